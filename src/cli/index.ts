/** The headless entry point: `persam-studio <command>`; the same core as the desktop app. */
import { Command, InvalidArgumentError } from 'commander'
import packageJson from '../../package.json' with { type: 'json' }
import { serve } from './serve'
import { synth } from './synth'

function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`)
    }
    return number
  }
}

export function buildProgram(): Command {
  const program = new Command()
    .name('persam-studio')
    .description('PerSAM Studio: one-shot segmentation propagation, headless.')
    .version(packageJson.version)
  program
    .command('serve')
    .description('serve the studio UI and API on 127.0.0.1 (browser mode)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', integerIn(0, 65535), 0)
    .action((options: { port: number }) => serve({ port: options.port }))
  program
    .command('synth')
    .description('write the seeded synthetic PerSeg-like dataset (Images/, Annotations/, manifest.json)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--seed <n>', 'random seed', integerIn(0, 2 ** 31 - 1), 20231)
    .option('--objects <n>', 'number of objects', integerIn(1, 500), 24)
    .action((options: { out: string; seed: number; objects: number }) => synth(options))
  return program
}

await buildProgram().parseAsync(process.argv)
