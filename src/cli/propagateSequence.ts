/**
 * `persam-studio propagate --sequence`: the images of --images are the frames of one sequence, in
 * natural file-name order (frame2 before frame10); every --ref is one of those frames and becomes
 * a keyframe with its --ref-mask. The object is tracked forward and backward from the keyframes
 * (the sequence tracker) and the COCO output has one image entry per frame, carrying `sequence`
 * and `frame_index`, keyframes included with their given masks.
 */
import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { compressedRleToJson, encodeRle, resizeMask, rleArea, rleBbox, type BinaryMask } from '../common/mask'
import { SequenceTracker } from '../common/persam/trackSequence'
import { naturalCompare } from '../common/util/naturalOrder'
import type { CocoImageEntry } from '../main/services/exchange/coco/cocoWriter'
import { findImageFiles } from '../main/services/fs/findImageFiles'
import { prepareOutputFile, prepareOutputFolder } from '../main/services/fs/outputPath'
import { probeImage } from '../main/services/images/probe'
import { openRuntime } from './models'
import { readReferences, writeProposals, type PropagateOptions } from './propagate'
import { createProgressBar } from './progress'
import { UsageError } from './run'

/** The frame index of each --ref (which must be one of the frames), in --ref order. */
async function keyframeIndices(refs: readonly string[], frames: readonly string[], imagesDir: string): Promise<number[]> {
  const byPath = new Map<string, number>()
  for (const [i, frame] of frames.entries()) byPath.set(await realpath(frame), i)
  const taken = new Map<number, string>()
  const indices: number[] = []
  for (const ref of refs) {
    const real = await realpath(ref).catch(() => {
      throw new Error(`--ref ${ref}: not found`)
    })
    const index = byPath.get(real)
    if (index === undefined) throw new UsageError(`--ref ${ref}: not one of the frames in --images ${imagesDir} (with --sequence every reference is a keyframe of the sequence)`)
    const earlier = taken.get(index)
    if (earlier !== undefined) throw new UsageError(`--ref ${ref}: the same frame as --ref ${earlier}; give each keyframe once`)
    taken.set(index, ref)
    indices.push(index)
  }
  return indices
}

export async function runPropagateSequence(options: PropagateOptions): Promise<void> {
  if (options.queue) throw new UsageError('--sequence tracks in this process; it cannot be combined with --queue')
  if (options.maxInstances !== 1) throw new UsageError('--sequence follows one object; --max-instances must be 1')
  const out = await prepareOutputFile(options.out, '--out')
  if (!(await stat(options.images).catch(() => null))?.isDirectory()) throw new Error(`--images ${options.images}: not a folder`)
  const found = await findImageFiles(path.resolve(options.images))
  for (const problem of found.problems) process.stderr.write(`skipped ${problem.path}: ${problem.message}\n`)
  if (found.images.length === 0) throw new Error(`--images ${options.images}: no images (jpg, png, webp, tiff, bmp)`)
  const relative = (file: string) => path.relative(options.images, file)
  const frames = [...found.images].sort((a, b) => naturalCompare(relative(a), relative(b)))
  const references = await readReferences(options.refs, options.refMasks)
  const keyframes = await keyframeIndices(options.refs, frames, options.images)
  const sizes = await Promise.all(frames.map((file) => probeImage(file)))
  const sequence = path.basename(path.resolve(options.images))
  const cacheDir = options.cacheDir === null ? null : await prepareOutputFolder(options.cacheDir, '--cache')

  const runtime = await openRuntime(options.modelDir, options.provider, cacheDir)
  try {
    const progress = createProgressBar('tracking')
    const embedded = new Set<number>()
    const tracker = new SequenceTracker(
      frames.length,
      async (frame) => {
        const { embedding } = await runtime.encodeFile(frames[frame]!)
        embedded.add(frame)
        progress.update(embedded.size, frames.length)
        return embedding
      },
      runtime,
      {
        method: options.method,
        track: {
          ...(options.absentThreshold !== undefined ? { absentThreshold: options.absentThreshold } : {}),
          ...(options.candidates !== undefined ? { redetectCandidates: options.candidates } : {}),
        },
      },
    )
    keyframes.forEach((frame, i) => tracker.setKeyframe('object', frame, references[i]!.mask))
    const tracked = (await tracker.run()).objects[0]!.frames

    const images: CocoImageEntry[] = frames.map((file, i) => ({ id: i + 1, file_name: relative(file), width: sizes[i]!.width, height: sizes[i]!.height, sequence, frame_index: i }))
    const annotations: object[] = []
    let absent = 0
    let flagged = 0
    for (const frame of tracked) {
      const { width, height } = images[frame.frame]!
      if (!frame.mask) {
        absent++
        continue
      }
      if (frame.state === 'flagged') flagged++
      // Tracked masks come at the decoder's output size, which is smaller than the frame only for very large frames.
      const mask: BinaryMask = frame.mask.width === width && frame.mask.height === height ? frame.mask : resizeMask(frame.mask, width, height)
      const rle = encodeRle(mask)
      annotations.push({
        id: annotations.length + 1,
        image_id: frame.frame + 1,
        category_id: 1,
        segmentation: compressedRleToJson(rle),
        area: rleArea(rle),
        bbox: rleBbox(rle),
        iscrowd: 0,
        score: Number(frame.confidence.toFixed(4)),
        persam: { method: options.method, state: frame.state, mode: frame.mode },
      })
    }
    await writeProposals(out, options, images, annotations)
    progress.finish(`${annotations.length} masks on ${frames.length} frames of ${sequence} (${keyframes.length} keyframes, ${flagged} flagged, ${absent} absent) -> ${options.out}`)
  } finally {
    await runtime.close()
  }
}
