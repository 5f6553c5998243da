/**
 * `persam-studio propagate`: one or more reference masks, a folder of images, a COCO JSON of
 * proposals (compressed RLE, with scores) written atomically.
 */
import { readdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { compressedRleToJson, rleArea, rleBbox } from '../common/mask'
import type { ExecutionProviderChoice } from '../common/ipc/dto/model'
import type { PersamMethod } from '../common/persam/target'
import { readGroundTruthMask } from '../main/services/evaluation/persegDataset'
import { PropagationRunner } from '../main/services/propagation/propagationRunner'
import { openRuntime } from './models'
import { cocoOfQueued, propagateOnQueue } from './propagateQueued'
import { createProgressBar } from './progress'

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.bmp'])

export interface PropagateCommand {
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

async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

async function writeCoco(command: PropagateCommand, images: readonly object[], annotations: readonly object[]): Promise<void> {
  const document = { info: { description: `PerSAM Studio proposals (${command.method})`, date_created: new Date().toISOString() }, images, annotations, categories: [{ id: 1, name: command.category }] }
  const temporary = `${command.out}.tmp-${process.pid}`
  await writeFile(temporary, JSON.stringify(document))
  await rename(temporary, command.out)
}

export async function propagateCommand(command: PropagateCommand): Promise<void> {
  if (command.refs.length === 0 || command.refs.length !== command.refMasks.length) {
    throw new Error(`give one --ref-mask per --ref (got ${command.refs.length} --ref and ${command.refMasks.length} --ref-mask)`)
  }
  const files = await listImages(command.images)
  if (files.length === 0) throw new Error(`${command.images}: no images (jpg, png, webp, tiff, bmp)`)
  const runtime = await openRuntime(command.modelDir, command.provider, command.cacheDir)
  try {
    const references = []
    for (const [i, file] of command.refs.entries()) references.push({ file, mask: await readGroundTruthMask(command.refMasks[i]!) })
    const runner = await PropagationRunner.prepare(runtime, references, {
      method: command.method,
      maxInstances: command.maxInstances,
      ...(command.absentThreshold !== undefined ? { absentThreshold: command.absentThreshold } : {}),
      ...(command.candidates !== undefined ? { candidates: command.candidates } : {}),
    })
    if (runner.target.fusion) process.stderr.write(`PerSAM-F weights: ${runner.target.fusion.weights.map((w) => w.toFixed(3)).join(', ')}\n`)
    const progress = createProgressBar('propagating')
    if (command.queue) {
      // Queue mode: workers segment, this process prepares the target and writes the file.
      const segment = { maxInstances: command.maxInstances, ...(command.absentThreshold !== undefined ? { absentThreshold: command.absentThreshold } : {}), ...(command.candidates !== undefined ? { candidates: command.candidates } : {}) }
      const results = await propagateOnQueue(command.queue, command.modelDir, runner.target, segment, files, (done, total) => progress.update(done, total))
      const coco = cocoOfQueued(results, command.method, (file) => path.relative(command.images, file))
      await writeCoco(command, coco.images, coco.annotations)
      progress.finish(`${coco.annotations.length} proposals on ${coco.images.length} images (${coco.absent} marked absent) -> ${command.out}`)
      for (const failure of coco.failures) process.stderr.write(`skipped ${failure}\n`)
      return
    }
    const images: object[] = []
    const annotations: object[] = []
    const failures: string[] = []
    let absent = 0
    for await (const event of runner.run(files.map((file, index) => ({ id: index + 1, file })))) {
      const fileName = path.relative(command.images, event.image.file)
      if (event.kind === 'failed') {
        failures.push(`${fileName}: ${event.error}`)
      } else {
        const [height, width] = event.masks[0]?.size ?? [event.result.instances[0]?.mask.height ?? 0, 0]
        images.push({ id: event.image.id, file_name: fileName, width: width || null, height: height || null })
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
            persam: { method: command.method, positive: [instance.positive.x, instance.positive.y], chosenMask: instance.chosenMask, firstCall: event.result.firstCall },
          })
        })
      }
      progress.update(images.length + failures.length, files.length)
    }
    await writeCoco(command, images, annotations)
    progress.finish(`${annotations.length} proposals on ${images.length} images (${absent} marked absent) -> ${command.out}`)
    for (const failure of failures) process.stderr.write(`skipped ${failure}\n`)
  } finally {
    await runtime.close()
  }
}
