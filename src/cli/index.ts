/** The headless entry point: `persam-studio <command>`; the same core as the desktop app. */
import { Command, InvalidArgumentError } from 'commander'
import packageJson from '../../package.json' with { type: 'json' }
import type { PersamMethod } from '../common/persam/target'
import { evalCommand } from './evaluate'
import { exportCliCommand } from './exportCommand'
import { parseProvider, resolveModelDir } from './models'
import { modelsCommand } from './modelsCommand'
import { registerPersamifyCommand } from './persamifyCommand'
import { propagateCommand } from './propagate'
import { serve } from './serve'
import { synth } from './synth'
import { workerCommand } from './workerCommand'

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
  program
    .command('propagate')
    .description('segment the referenced object in every image of a folder; write the proposals as COCO JSON')
    .requiredOption('--ref <image...>', 'reference image(s)')
    .requiredOption('--ref-mask <png...>', 'reference mask(s), one per --ref (non-zero = object)')
    .requiredOption('--images <dir>', 'folder of images to propagate to (searched recursively)')
    .requiredOption('--out <file.json>', 'COCO JSON to write (compressed RLE, with scores)')
    .option('--method <method>', 'persam or persam-f', parseMethod, 'persam-f')
    .option('--model <id|dir>', 'model folder or bundled model id', resolveModelDir, resolveModelDir('toy-sam'))
    .option('--ep <provider>', 'execution provider: auto, cuda, dml, coreml, cpu', parseProvider, 'auto')
    .option('--max-instances <n>', 'instances per image', integerIn(1, 20), 1)
    .option('--absent-threshold <x>', 'confidence below which an image is marked absent', parseUnit)
    .option('--candidates <n>', 'location peaks to try per instance (1 = the reference)', integerIn(1, 10))
    .option('--category <name>', 'category name in the COCO file', 'object')
    .option('--cache <dir>', 'embedding cache folder')
    .option('--queue <url>', 'segment on queue workers (persam-studio worker) at redis://HOST:PORT')
    .action((o: { ref: string[]; refMask: string[]; images: string; out: string; method: PersamMethod; model: string; ep: ReturnType<typeof parseProvider>; maxInstances: number; absentThreshold?: number; candidates?: number; category: string; cache?: string; queue?: string }) =>
      propagateCommand({ refs: o.ref, refMasks: o.refMask, images: o.images, out: o.out, method: o.method, modelDir: o.model, provider: o.ep, maxInstances: o.maxInstances, absentThreshold: o.absentThreshold, candidates: o.candidates, category: o.category, cacheDir: o.cache ?? null, queue: o.queue ?? process.env.PERSAM_QUEUE_URL ?? null }),
    )
  program
    .command('eval')
    .description('evaluate on a PerSeg-layout folder (Images/<object>/NN.jpg, Annotations/<object>/NN.png, 00 = reference)')
    .requiredOption('--data <dir>', 'PerSeg-layout folder')
    .option('--method <method...>', 'persam and/or persam-f', ['persam', 'persam-f'])
    .option('--model <id|dir>', 'model folder or bundled model id', resolveModelDir, resolveModelDir('toy-sam'))
    .option('--ep <provider>', 'execution provider', parseProvider, 'auto')
    .option('--report <file.json>', 'write the full report as JSON')
    .option('--max-instances <n>', 'instances per image', integerIn(1, 20), 2)
    .option('--candidates <n>', 'location peaks to try per instance (1 = the reference)', integerIn(1, 10))
    .option('--absent-threshold <x>', 'confidence below which an image is marked absent', parseUnit)
    .action(async (o: { data: string; method: string[]; model: string; ep: ReturnType<typeof parseProvider>; report?: string; maxInstances: number; candidates?: number; absentThreshold?: number }) => {
      await evalCommand({ data: o.data, methods: o.method.map(parseMethod), modelDir: o.model, provider: o.ep, report: o.report ?? null, maxInstances: o.maxInstances, candidates: o.candidates, absentThreshold: o.absentThreshold })
    })
  program.addCommand(exportCliCommand())
  program.addCommand(modelsCommand())
  registerPersamifyCommand(program)
  program.addCommand(workerCommand())
  return program
}

function parseMethod(value: string): PersamMethod {
  if (value !== 'persam' && value !== 'persam-f') throw new InvalidArgumentError('expected persam or persam-f')
  return value
}

function parseUnit(value: string): number {
  const number = Number(value)
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1')
  return number
}

await buildProgram().parseAsync(process.argv)
