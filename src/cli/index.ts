/** The headless entry point: `persam-studio <command>`; the same core as the desktop app. */
import { Command, InvalidArgumentError } from 'commander'
import packageJson from '../../package.json' with { type: 'json' }
import { serve } from './serve'

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port number between 0 and 65535')
  }
  return port
}

export function buildProgram(): Command {
  const program = new Command()
    .name('persam-studio')
    .description('PerSAM Studio: one-shot segmentation propagation, headless.')
    .version(packageJson.version)
  program
    .command('serve')
    .description('serve the studio UI and API on 127.0.0.1 (browser mode)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .action((options: { port: number }) => serve({ port: options.port }))
  return program
}

await buildProgram().parseAsync(process.argv)
