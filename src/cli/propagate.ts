/**
 * `persam-studio propagate`: one or more reference masks, a folder of images, a COCO JSON of
 * proposals (compressed RLE, with scores) written through the project's COCO writer. Everything
 * the user named is checked before the model is opened: the output can be written, the folder
 * has images, each reference mask is readable, non-empty and the size of its (oriented) image.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { Command, Option } from 'commander'
import type { ExecutionProviderChoice } from '../common/ipc/dto/model'
import { compressedRleToJson, maskArea, rleArea, rleBbox, type BinaryMask } from '../common/mask'
import type { PersamMethod } from '../common/persam/target'
import { CocoWriter, type CocoImageEntry } from '../main/services/exchange/coco/cocoWriter'
import { findImageFiles } from '../main/services/fs/findImageFiles'
import { prepareOutputFile, prepareOutputFolder } from '../main/services/fs/outputPath'
import { readMaskImage } from '../main/services/images/maskPng'
import { probeImage } from '../main/services/images/probe'
import { PropagationRunner, type PropagationReference } from '../main/services/propagation/propagationRunner'
import { openRuntime, parseProvider, resolveModelDir } from './models'
import { integerIn, parseMethod, parseUnit } from './options'
import { createProgressBar } from './progress'
import { cocoOfQueued, propagateOnQueue } from './propagateQueued'
import { runPropagateSequence } from './propagateSequence'
import { action, UsageError } from './run'

export interface PropagateOptions {
  readonly refs: readonly string[]
  readonly refMasks: readonly string[]
  readonly images: string
  readonly out: string
  readonly method: PersamMethod
  readonly modelDir: string
  readonly provider: ExecutionProviderChoice
  readonly maxInstances: number
  readonly absentThreshold?: number
  readonly candidates?: number
  readonly category: string
  readonly cacheDir: string | null
  /** Segment on queue workers (redis://HOST:PORT) instead of in this process. */
  readonly queue?: string | null
}

function checkReferenceCounts(refs: readonly string[], refMasks: readonly string[]): void {
  if (refs.length === 0 || refs.length !== refMasks.length) {
    throw new UsageError(`give one --ref-mask per --ref (got ${refs.length} --ref and ${refMasks.length} --ref-mask)`)
  }
}

/**
 * Reads each --ref-mask with the studio's mask reader (EXIF orientation and alpha applied, as
 * for the images) and checks it against its image's oriented size.
 */
export async function readReferences(refs: readonly string[], refMasks: readonly string[]): Promise<PropagationReference[]> {
  checkReferenceCounts(refs, refMasks)
  const references: PropagationReference[] = []
  for (const [i, file] of refs.entries()) {
    const maskFile = refMasks[i]!
    const image = await probeImage(file).catch((error: unknown) => {
      throw new Error(`--ref ${error instanceof Error ? error.message : String(error)}`)
    })
    const mask: BinaryMask = await readMaskImage(maskFile).catch((error: unknown) => {
      throw new Error(`--ref-mask ${error instanceof Error ? error.message : String(error)}`)
    })
    if (maskArea(mask) === 0) throw new Error(`--ref-mask ${maskFile}: the mask is empty (no foreground pixel); mark the object in it`)
    if (mask.width !== image.width || mask.height !== image.height) {
      throw new Error(`--ref-mask ${maskFile}: the mask is ${mask.width}x${mask.height} but its image ${file} is ${image.width}x${image.height} (after EXIF orientation)`)
    }
    references.push({ file, mask })
  }
  return references
}

/** Writes the proposals through the COCO writer (in-process and queue mode alike). */
export async function writeProposals(out: string, options: PropagateOptions, images: readonly CocoImageEntry[], annotations: readonly object[]): Promise<void> {
  const info = { description: `PerSAM Studio proposals (${options.method})`, date_created: new Date().toISOString() }
  const writer = await CocoWriter.create(out, { info }, [{ id: 1, name: options.category }])
  try {
    for (const image of images) if (writer.image(image)) await writer.flush()
    for (const annotation of annotations) if (writer.annotation(annotation)) await writer.flush()
    await writer.commit()
  } catch (error) {
    await writer.abort()
    throw error
  }
}

export async function runPropagate(options: PropagateOptions): Promise<void> {
  checkReferenceCounts(options.refs, options.refMasks)
  const out = await prepareOutputFile(options.out, '--out')
  if (!(await stat(options.images).catch(() => null))?.isDirectory()) throw new Error(`--images ${options.images}: not a folder`)
  const found = await findImageFiles(path.resolve(options.images))
  for (const problem of found.problems) process.stderr.write(`skipped ${problem.path}: ${problem.message}\n`)
  if (found.images.length === 0) throw new Error(`--images ${options.images}: no images (jpg, png, webp, tiff, bmp)`)
  const references = await readReferences(options.refs, options.refMasks)
  const cacheDir = options.cacheDir === null ? null : await prepareOutputFolder(options.cacheDir, '--cache')

  const runtime = await openRuntime(options.modelDir, options.provider, cacheDir)
  try {
    const runner = await PropagationRunner.prepare(runtime, references, {
      method: options.method,
      maxInstances: options.maxInstances,
      ...(options.absentThreshold !== undefined ? { absentThreshold: options.absentThreshold } : {}),
      ...(options.candidates !== undefined ? { candidates: options.candidates } : {}),
    })
    if (runner.target.fusion) process.stderr.write(`PerSAM-F weights: ${runner.target.fusion.weights.map((w) => w.toFixed(3)).join(', ')}\n`)
    const progress = createProgressBar('propagating')
    if (options.queue) {
      // Queue mode: workers segment, this process prepares the target and writes the file.
      const segment = { maxInstances: options.maxInstances, ...(options.absentThreshold !== undefined ? { absentThreshold: options.absentThreshold } : {}), ...(options.candidates !== undefined ? { candidates: options.candidates } : {}) }
      const results = await propagateOnQueue(options.queue, options.modelDir, runner.target, segment, found.images, (done, total) => progress.update(done, total))
      const coco = cocoOfQueued(results, options.method, (file) => path.relative(options.images, file))
      await writeProposals(out, options, coco.images, coco.annotations)
      progress.finish(`${coco.annotations.length} proposals on ${coco.images.length} images (${coco.absent} marked absent) -> ${options.out}`)
      for (const failure of coco.failures) process.stderr.write(`skipped ${failure}\n`)
      return
    }
    const images: { id: number; file_name: string; width: number; height: number }[] = []
    const annotations: object[] = []
    const failures: string[] = []
    let absent = 0
    for await (const event of runner.run(found.images.map((file, index) => ({ id: index + 1, file })))) {
      const fileName = path.relative(options.images, event.image.file)
      if (event.kind === 'failed') {
        failures.push(`${fileName}: ${event.error}`)
      } else {
        images.push({ id: event.image.id, file_name: fileName, width: event.width, height: event.height })
        if (event.result.absent) absent++
        event.masks.forEach((rle, k) => {
          const instance = event.result.instances[k]!
          annotations.push({
            id: annotations.length + 1,
            image_id: event.image.id,
            category_id: 1,
            segmentation: compressedRleToJson(rle),
            area: rleArea(rle),
            bbox: rleBbox(rle),
            iscrowd: 0,
            score: Number(instance.confidence.toFixed(4)),
            persam: { method: options.method, positive: [instance.positive.x, instance.positive.y], chosenMask: instance.chosenMask, firstCall: event.result.firstCall, signals: instance.signals },
          })
        })
      }
      progress.update(images.length + failures.length, found.images.length)
    }
    await writeProposals(out, options, images, annotations)
    progress.finish(`${annotations.length} proposals on ${images.length} images (${absent} marked absent) -> ${options.out}`)
    for (const failure of failures) process.stderr.write(`skipped ${failure}\n`)
  } finally {
    await runtime.close()
  }
}

interface PropagateCliOptions {
  ref: string[]
  refMask: string[]
  images: string
  out: string
  method: PersamMethod
  model: string
  ep: ExecutionProviderChoice
  maxInstances: number
  absentThreshold?: number
  candidates?: number
  category: string
  cache?: string
  queue?: string
  sequence?: boolean
}

export function propagateCommand(): Command {
  return new Command('propagate')
    .description('segment the referenced object in every image of a folder; write the proposals as COCO JSON')
    .requiredOption('--ref <image...>', 'reference image(s)')
    .requiredOption('--ref-mask <png...>', 'reference mask(s), one per --ref (non-zero = object; EXIF orientation applied)')
    .requiredOption('--images <dir>', 'folder of images to propagate to (searched recursively, symbolic links followed)')
    .requiredOption('--out <file.json>', 'COCO JSON to write (compressed RLE, with scores); its folder is created')
    .addOption(new Option('--method <method>', 'persam or persam-f').argParser(parseMethod).default('persam-f'))
    .option('--model <id|dir>', 'model folder or bundled model id', resolveModelDir, resolveModelDir('toy-sam'))
    .option('--ep <provider>', 'execution provider: auto, cuda, dml, coreml, cpu', parseProvider, 'auto')
    .option('--max-instances <n>', 'instances per image', integerIn(1, 20), 1)
    .option('--absent-threshold <x>', 'confidence below which an image is marked absent', parseUnit)
    .option('--candidates <n>', 'location peaks to try per instance (1 = the reference)', integerIn(1, 10))
    .option('--category <name>', 'category name in the COCO file', 'object')
    .option('--cache <dir>', 'embedding cache folder')
    .option('--queue <url>', 'segment on queue workers (persam-studio worker) at redis://HOST:PORT (or PERSAM_QUEUE_URL)')
    .option('--sequence', 'the images are the frames of one sequence in natural name order; each --ref is one of them (a keyframe) and the object is tracked through the frames')
    .action(
      action((o: PropagateCliOptions) =>
        (o.sequence ? runPropagateSequence : runPropagate)({ refs: o.ref, refMasks: o.refMask, images: o.images, out: o.out, method: o.method, modelDir: o.model, provider: o.ep, maxInstances: o.maxInstances, absentThreshold: o.absentThreshold, candidates: o.candidates, category: o.category, cacheDir: o.cache ?? null, queue: o.queue ?? process.env.PERSAM_QUEUE_URL ?? null }),
      ),
    )
}
