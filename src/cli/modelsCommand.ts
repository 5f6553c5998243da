/**
 * `persam-studio models list|install ID|import PATH|remove ID|providers`: the model manager from
 * the command line, on the same models folder as browser mode ($STUDIO_DATA_DIR/models, else the
 * user data folder). Downloads show a progress bar and stop cleanly on Ctrl-C.
 */
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { formatSize } from '../common/util/formatSize'
import { loadCatalog } from '../main/services/models/bundledCatalog'
import { ModelManager } from '../main/services/models/modelManager'
import { modelManagerPaths, studioDataDir } from '../main/services/models/modelPaths'
import { persamifyCommand } from './persamifyCommand'
import { createProgressBar } from './progress'
import { action } from './run'

interface CommonOptions {
  readonly dataDir?: string
  readonly catalog?: string
}

const MB = 2 ** 20
const megabytes = formatSize

async function openManager(options: CommonOptions, extra: Partial<Parameters<typeof ModelManager.open>[0]> = {}): Promise<ModelManager> {
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : studioDataDir()
  const catalog = options.catalog ? await loadCatalog(path.resolve(options.catalog)) : undefined
  return ModelManager.open({ ...modelManagerPaths(dataDir), ...(catalog ? { catalog } : {}), ...extra })
}

const table = (rows: readonly (readonly string[])[]) => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]!.length))) ?? []
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n')
}

async function list(options: CommonOptions): Promise<void> {
  const manager = await openManager(options)
  const { models, problems } = await manager.installedModels()
  const { catalog } = await manager.list()
  const selected = manager.state().activeModelId
  process.stdout.write(`Installed models (${manager.modelsDir}):\n`)
  process.stdout.write(
    `${table(models.map((model) => ['  ' + model.id, model.manifest.name, megabytes(model.sizeBytes), [model.isToy ? 'bundled toy' : '', model.manifest.files.persamDecoder ? 'PerSAM decoder' : '', model.id === selected ? 'selected' : ''].filter(Boolean).join(', ')]))}\n`,
  )
  process.stdout.write('\nCatalog (persam-studio models install ID):\n')
  process.stdout.write(`${table(catalog.map((model) => ['  ' + model.id, model.name, megabytes(model.downloadBytes), model.verified ? 'verified' : 'unverified', model.installed ? 'installed' : '']))}\n`)
  for (const problem of problems) process.stdout.write(`\nNot a usable model: ${problem.dir}: ${problem.message}\n`)
}

async function install(catalogId: string, options: CommonOptions & { readonly timeout: number }): Promise<void> {
  const manager = await openManager(options, { download: { idleTimeoutMs: options.timeout * 1000 } })
  const controller = new AbortController()
  const onInterrupt = () => controller.abort()
  process.once('SIGINT', onInterrupt)
  const bar = createProgressBar(`install ${catalogId}`)
  try {
    const installed = await manager.install(catalogId, {
      signal: controller.signal,
      onProgress: (progress) => bar.update(Math.round(progress.doneBytes / MB * 10) / 10, Math.round(progress.totalBytes / MB * 10) / 10, `MB ${progress.phase} ${progress.file}`),
    })
    bar.finish()
    const record = (await manager.installedModels()).models.find((model) => model.id === installed.id)
    process.stdout.write(`installed ${installed.id} (${megabytes(installed.sizeBytes)}) in ${record?.dir ?? manager.modelsDir}\n`)
    for (const step of record?.provenance?.postInstall ?? []) process.stdout.write(`  ${step.step}: ${step.outcome} (${step.message})\n`)
  } catch (error) {
    bar.finish()
    throw error
  } finally {
    process.off('SIGINT', onInterrupt)
  }
}

async function importModel(source: string, options: CommonOptions & { readonly id?: string; readonly name?: string; readonly decoder?: string }): Promise<void> {
  const manager = await openManager(options)
  const from = options.decoder ? { encoder: source, decoder: options.decoder } : source
  const imported = await manager.import(from, { id: options.id, name: options.name })
  process.stdout.write(`imported ${imported.id} (${imported.name}, ${megabytes(imported.sizeBytes)}${imported.hasPersamDecoder ? ', with a PerSAM decoder' : ''}) into ${await manager.modelDir(imported.id)}\n`)
}

async function remove(modelId: string, options: CommonOptions): Promise<void> {
  const manager = await openManager(options)
  await manager.remove(modelId)
  process.stdout.write(`removed ${modelId}\n`)
}

async function providers(options: CommonOptions): Promise<void> {
  const manager = await openManager(options)
  const rows = manager.providers().map((provider) => [provider.name, provider.available ? 'available' : 'unavailable', provider.reason ?? ''])
  process.stdout.write(`${table(rows)}\nchosen: ${manager.state().requestedProvider} (auto = the platform's accelerator when available, else cpu)\n`)
}

function positiveSeconds(value: string): number {
  const seconds = Number(value)
  if (!(seconds > 0 && seconds <= 3600)) throw new InvalidArgumentError('expected seconds from 0 to 3600')
  return seconds
}

export function modelsCommand(): Command {
  const models = new Command('models')
    .description('install, import, list and remove SAM models; show the execution providers of this machine')
    .option('--data-dir <dir>', 'studio data folder (default: $STUDIO_DATA_DIR, else the user data folder)')
  const common = (command: Command): CommonOptions => command.optsWithGlobals<CommonOptions>()
  models
    .command('list')
    .description('installed models and the catalog')
    .option('--catalog <file.json>', 'a catalog file instead of the bundled one')
    .action(action((_options, command: Command) => list(common(command))))
  models
    .command('install <id>')
    .description('download, verify and install a catalog model (resumes an interrupted download)')
    .option('--catalog <file.json>', 'a catalog file instead of the bundled one')
    .option('--timeout <seconds>', 'give up on a server silent for this long', positiveSeconds, 30)
    .action(action((id: string, _options, command: Command) => install(id, { ...common(command), timeout: command.opts<{ timeout: number }>().timeout })))
  models
    .command('import <path>')
    .description('import a model folder, or an encoder file with --decoder')
    .option('--decoder <file>', 'the decoder, when <path> is an encoder file')
    .option('--id <id>', 'model id (default: from the manifest or the folder name)')
    .option('--name <name>', 'display name')
    .action(action((source: string, _options, command: Command) => importModel(source, common(command))))
  models
    .command('remove <id>')
    .description('remove an installed model')
    .action(action((id: string, _options, command: Command) => remove(id, common(command))))
  models
    .command('providers')
    .description('execution providers this machine can run, and why not')
    .action(action((_options, command: Command) => providers(common(command))))
  models.addCommand(persamifyCommand())
  return models
}
