/**
 * Finds where and why a JSON text is invalid, as a path users can read
 * (`annotations[12].segmentation.counts`). Only run on a record that JSON.parse already refused
 * (or whose bytes are not UTF-8), so it favours precise messages over speed: a recursive-descent
 * walk over the raw bytes that checks the grammar, the UTF-8 of every string and the nesting depth.
 */
import { formatPath } from '../../../../common/ipc/result'

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError'
  constructor(
    /** Keys and indices from the root of the diagnosed text. */
    readonly path: readonly (string | number)[],
    readonly reason: string,
  ) {
    super(`${formatPath(path)}: ${reason}`)
  }
}

export const MAX_JSON_DEPTH = 64

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])

/** Throws a JsonSyntaxError for the first problem in `bytes`; returns quietly if the text is valid. */
export function diagnoseJson(bytes: Uint8Array, basePath: readonly (string | number)[] = [], fileOffset = 0, maxDepth = MAX_JSON_DEPTH): void {
  const walker = new Walker(bytes, basePath, maxDepth, fileOffset)
  walker.skipWhitespace()
  walker.value(0)
  walker.skipWhitespace()
  if (walker.at < bytes.length) walker.fail(`unexpected ${walker.describeNext()} after the end of the value`)
}

class Walker {
  at = 0
  private readonly path: (string | number)[]

  constructor(
    private readonly bytes: Uint8Array,
    basePath: readonly (string | number)[],
    private readonly maxDepth: number,
    /** Where `bytes` starts in the file, so messages give file offsets. */
    private readonly fileOffset: number,
  ) {
    this.path = [...basePath]
  }

  /** The file offset of a position in `bytes`. */
  byteAt(position = this.at): number {
    return this.fileOffset + position
  }

  fail(reason: string): never {
    throw new JsonSyntaxError([...this.path], reason)
  }

  describeNext(): string {
    if (this.at >= this.bytes.length) return 'end of file (truncated JSON?)'
    const byte = this.bytes[this.at]!
    return byte >= 0x20 && byte < 0x7f ? `character '${String.fromCharCode(byte)}' at byte ${this.byteAt()}` : `byte 0x${byte.toString(16).padStart(2, '0')} at byte ${this.byteAt()}`
  }

  skipWhitespace(): void {
    while (this.at < this.bytes.length && WHITESPACE.has(this.bytes[this.at]!)) this.at++
  }

  value(depth: number): void {
    const byte = this.bytes[this.at]
    if (byte === 0x7b) return this.object(depth + 1)
    if (byte === 0x5b) return this.array(depth + 1)
    if (byte === 0x22) return void this.string()
    if (byte === 0x2d || (byte !== undefined && byte >= 0x30 && byte <= 0x39)) return this.number()
    for (const literal of ['true', 'false', 'null']) if (this.matches(literal)) return void (this.at += literal.length)
    this.fail(`expected a value, found ${this.describeNext()}`)
  }

  private matches(literal: string): boolean {
    for (let i = 0; i < literal.length; i++) if (this.bytes[this.at + i] !== literal.charCodeAt(i)) return false
    return true
  }

  private object(depth: number): void {
    if (depth > this.maxDepth) this.fail(`nested deeper than ${this.maxDepth} levels`)
    this.at++
    this.skipWhitespace()
    if (this.bytes[this.at] === 0x7d) return void this.at++
    for (;;) {
      if (this.bytes[this.at] !== 0x22) this.fail(`expected a key in double quotes, found ${this.describeNext()}`)
      const key = this.string()
      this.skipWhitespace()
      if (this.bytes[this.at] !== 0x3a) this.fail(`expected ':' after key "${key}", found ${this.describeNext()}`)
      this.at++
      this.skipWhitespace()
      this.path.push(key)
      this.value(depth)
      this.path.pop()
      this.skipWhitespace()
      const next = this.bytes[this.at]
      if (next === 0x7d) return void this.at++
      if (next !== 0x2c) this.fail(`expected ',' or '}' after the value of "${key}", found ${this.describeNext()}`)
      this.at++
      this.skipWhitespace()
    }
  }

  private array(depth: number): void {
    if (depth > this.maxDepth) this.fail(`nested deeper than ${this.maxDepth} levels`)
    this.at++
    this.skipWhitespace()
    if (this.bytes[this.at] === 0x5d) return void this.at++
    for (let index = 0; ; index++) {
      this.path.push(index)
      this.value(depth)
      this.path.pop()
      this.skipWhitespace()
      const next = this.bytes[this.at]
      if (next === 0x5d) return void this.at++
      if (next !== 0x2c) {
        this.path.push(index)
        this.fail(`expected ',' or ']' after this element, found ${this.describeNext()}`)
      }
      this.at++
      this.skipWhitespace()
    }
  }

  private number(): void {
    const start = this.at
    const digits = (): number => {
      const from = this.at
      while (this.at < this.bytes.length && this.bytes[this.at]! >= 0x30 && this.bytes[this.at]! <= 0x39) this.at++
      return this.at - from
    }
    if (this.bytes[this.at] === 0x2d) this.at++
    if (this.bytes[this.at] === 0x30) this.at++
    else if (digits() === 0) this.fail(`invalid number at byte ${this.byteAt(start)}`)
    if (this.bytes[this.at] === 0x2e) {
      this.at++
      if (digits() === 0) this.fail(`invalid number at byte ${this.byteAt(start)}: digits must follow '.'`)
    }
    if (this.bytes[this.at] === 0x65 || this.bytes[this.at] === 0x45) {
      this.at++
      if (this.bytes[this.at] === 0x2b || this.bytes[this.at] === 0x2d) this.at++
      if (digits() === 0) this.fail(`invalid number at byte ${this.byteAt(start)}: digits must follow the exponent`)
    }
  }

  /** Reads a string (checking escapes, control characters and UTF-8) and returns its value. */
  private string(): string {
    const start = ++this.at
    let escaped = false
    for (; this.at < this.bytes.length; this.at++) {
      const byte = this.bytes[this.at]!
      if (escaped) {
        if (byte === 0x75) {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(this.bytes[this.at + k] ?? 0))) this.fail(`invalid \\u escape at byte ${this.byteAt()}`)
          this.at += 4
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(byte))) this.fail(`invalid escape '\\${String.fromCharCode(byte)}' at byte ${this.byteAt()}`)
        escaped = false
      } else if (byte === 0x5c) escaped = true
      else if (byte === 0x22) {
        const text = new TextDecoder().decode(this.bytes.subarray(start - 1, ++this.at))
        return JSON.parse(text) as string
      } else if (byte < 0x20) this.fail(`unescaped control character 0x${byte.toString(16).padStart(2, '0')} in a string at byte ${this.byteAt()}`)
      else if (byte >= 0x80) this.at += this.utf8Sequence(byte) - 1
    }
    return this.fail('the file ends inside a string (truncated JSON?)')
  }

  /** Length of the UTF-8 sequence starting here; fails on invalid, overlong or surrogate encodings. */
  private utf8Sequence(lead: number): number {
    const invalid = (): never => this.fail(`invalid UTF-8 at byte ${this.byteAt()} (0x${lead.toString(16)}): the file must be UTF-8`)
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : invalid()
    let code = lead & (0xff >> (length + 1))
    for (let k = 1; k < length; k++) {
      const next = this.bytes[this.at + k]
      if (next === undefined || (next & 0xc0) !== 0x80) invalid()
      code = (code << 6) | (next! & 0x3f)
    }
    const overlong = (length === 3 && code < 0x800) || (length === 4 && code < 0x10000)
    if (overlong || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) invalid()
    return length
  }
}
