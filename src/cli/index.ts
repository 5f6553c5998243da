/** The headless entry point: `persam-studio <command>`; the same core as the desktop app. */
import { Command, CommanderError } from 'commander'
import packageJson from '../../package.json' with { type: 'json' }
import { evalCommand } from './evaluate'
import { exportCommand } from './exportCommand'
import { importCommand } from './importCommand'
import { modelsCommand } from './modelsCommand'
import { propagateCommand } from './propagate'
import { restoreCommand } from './restoreCommand'
import { reportFailure } from './run'
import { serveCommand } from './serve'
import { synthCommand } from './synth'
import { workerCommand } from './workerCommand'

/** Every command is built by its own file as `xxxCommand(): Command` and added here. */
export function buildProgram(): Command {
  const program = new Command()
    .name('persam-studio')
    .description('PerSAM Studio: one-shot segmentation propagation, headless.')
    .version(packageJson.version)
    .option('--verbose', 'print the stack trace of a failure (also when DEBUG is set)')
  program.addCommand(serveCommand())
  program.addCommand(synthCommand())
  program.addCommand(propagateCommand())
  program.addCommand(evalCommand())
  program.addCommand(exportCommand())
  program.addCommand(importCommand())
  program.addCommand(modelsCommand())
  program.addCommand(restoreCommand())
  program.addCommand(workerCommand())
  return program
}

/** Usage errors (unknown option, bad value) end with exit code 2 instead of commander's exit(1). */
function throwOnUsageErrors(command: Command): void {
  command.exitOverride()
  for (const sub of command.commands) throwOnUsageErrors(sub)
}

const program = buildProgram()
throwOnUsageErrors(program)
try {
  await program.parseAsync(process.argv)
} catch (error) {
  // Commander has printed its own one-line "error: ..." already.
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2
  else reportFailure(error)
}
