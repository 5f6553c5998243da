/** Option parsers shared by the commands; each throws InvalidArgumentError, which commander reports with the option's name. */
import { InvalidArgumentError } from 'commander'
import type { PersamMethod } from '../common/persam/target'

export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`)
    }
    return number
  }
}

export function parseMethod(value: string): PersamMethod {
  if (value !== 'persam' && value !== 'persam-f') throw new InvalidArgumentError('expected persam or persam-f')
  return value
}

/** For a repeatable `--method <method...>`: collects the parsed methods (the default is not extended). */
export function collectMethods(value: string, previous: PersamMethod[] | undefined): PersamMethod[] {
  return [...(previous ?? []), parseMethod(value)]
}

export function parseUnit(value: string): number {
  const number = Number(value)
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1')
  return number
}
