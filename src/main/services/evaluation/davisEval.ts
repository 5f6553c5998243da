/**
 * DAVIS-layout evaluation: JPEGImages/480p/<seq>/*.jpg with Annotations/480p/<seq>/*.png (object k
 * is palette index k, or the k-th colour of the DAVIS/VOC palette in a PNG without palette; read
 * by exchange/davis/davisLayout, as the DAVIS import reads them; frames in natural name order).
 * Frame 0's annotation is the reference, the others are ground truth. Two ways to segment the
 * frames from frame 0's objects: per-frame propagation (the image engine on every frame, the same
 * as propagating to a folder of photos) or sequence tracking (every object of frame 0 a keyframe).
 * J, F and J&F per object as the DAVIS 2017 toolkit averages them (first and last frame left out),
 * per sequence the mean over its objects (docs/video-tracking.md, "Measures").
 */
import { resizeMask, type BinaryMask } from '../../../common/mask'
import { sequenceScore } from '../../../common/metrics/davis'
import type { PersamMethod } from '../../../common/persam/target'
import { segmentImage } from '../../../common/persam/segment'
import { prepareTarget } from '../../../common/persam/target'
import { resolveOverlaps, SequenceTracker, type TrackedObject } from '../../../common/persam/trackSequence'
import type { ImageEmbedding } from '../../../common/sam/port'
import type { SamRuntime } from '../sam/samRuntime'
import { readDavisAnnotation, readDavisLayout } from '../exchange/davis/davisLayout'

export interface DavisSequenceScore {
  readonly name: string
  readonly frames: number
  readonly objects: number
  readonly j: number
  readonly f: number
  readonly jf: number
}

/** Per-frame propagation from frame 0, or sequence tracking from frame 0 as a keyframe. */
export type DavisMode = 'per-frame' | 'tracking'

export interface DavisReport {
  readonly modelId: string
  readonly method: PersamMethod
  readonly mode: DavisMode
  readonly sequences: readonly DavisSequenceScore[]
  /** Means over sequences. */
  readonly j: number
  readonly f: number
  readonly jf: number
}

export { davisColour } from '../exchange/davis/davisPalette'

/** One mask per object id 1..count (count: the highest id present when null), from the file's object ids. */
async function readAnnotation(file: string | null, frame: string, count: number | null): Promise<BinaryMask[]> {
  if (file === null) throw new Error(`${frame}: no annotation (the DAVIS layout needs one per frame for evaluation)`)
  const { width, height, ids } = await readDavisAnnotation(file)
  let highest = 0
  for (const id of ids) if (id > highest) highest = id
  return Array.from({ length: count ?? highest }, (_, k) => {
    const mask = new Uint8Array(width * height)
    for (let p = 0; p < mask.length; p++) mask[p] = ids[p] === k + 1 ? 1 : 0
    return { width, height, data: mask }
  })
}

/** The image engine on every frame from frame 0's masks; a pixel two objects claim goes to the more confident. */
async function perFrame(runtime: SamRuntime, frameCount: number, embed: (frame: number) => Promise<ImageEmbedding>, reference: readonly BinaryMask[], method: PersamMethod): Promise<TrackedObject[]> {
  const first = await embed(0)
  const objects: TrackedObject[] = []
  for (const [k, mask] of reference.entries()) {
    const target = await prepareTarget([{ embedding: first, mask }], method, runtime)
    const frames: TrackedObject['frames'][number][] = [{ frame: 0, mask, confidence: 1, state: 'keyframe', mode: 'keyframe' }]
    for (let f = 1; f < frameCount; f++) {
      const found = await segmentImage(target, await embed(f), runtime)
      const instance = found.instances[0]
      frames.push({ frame: f, mask: instance?.mask ?? null, confidence: instance?.confidence ?? found.bestConfidence, state: instance ? 'proposed' : 'absent', mode: 'global' })
    }
    objects.push({ id: String(k + 1), frames })
  }
  return resolveOverlaps(objects, frameCount)
}

export async function evaluateDavis(
  runtime: SamRuntime,
  root: string,
  options: { method?: PersamMethod; mode?: DavisMode; onSequence?: (name: string) => void } = {},
): Promise<DavisReport> {
  const layout = await readDavisLayout(root)
  const method = options.method ?? 'persam'
  const mode = options.mode ?? 'tracking'
  const sequences: DavisSequenceScore[] = []
  for (const { name, frames } of layout.sequences) {
    options.onSequence?.(name)
    const reference = await readAnnotation(frames[0]!.annotation, frames[0]!.image, null)
    if (reference.length === 0) throw new Error(`${frames[0]!.annotation}: the reference annotation shows no object`)
    const embeddings = new Map<number, Promise<ImageEmbedding>>()
    const embed = (f: number): Promise<ImageEmbedding> => {
      let pending = embeddings.get(f)
      if (!pending) embeddings.set(f, (pending = runtime.encodeFile(frames[f]!.image).then((outcome) => outcome.embedding)))
      return pending
    }
    let objects: readonly TrackedObject[]
    if (mode === 'tracking') {
      const tracker = new SequenceTracker(frames.length, embed, runtime, { method })
      reference.forEach((mask, k) => tracker.setKeyframe(String(k + 1), 0, mask))
      objects = (await tracker.run()).objects
    } else objects = await perFrame(runtime, frames.length, embed, reference, method)
    const truth = await Promise.all(frames.map((frame) => readAnnotation(frame.annotation, frame.image, reference.length)))
    const scores = objects.map((object, k) => {
      const { width, height } = truth[0]![k]!
      // Masks come at the decoder's output size, which is smaller than the frame only for very large frames.
      const predicted = object.frames.map((f) => (f.mask ? (f.mask.width === width && f.mask.height === height ? f.mask : resizeMask(f.mask, width, height)) : { width, height, data: new Uint8Array(width * height) }))
      return sequenceScore(
        truth.map((masks) => masks[k]!),
        predicted,
      )
    })
    const mean = (pick: (s: { j: number; f: number; jf: number }) => number) => scores.reduce((sum, s) => sum + pick(s), 0) / scores.length
    sequences.push({ name, frames: frames.length, objects: reference.length, j: mean((s) => s.j), f: mean((s) => s.f), jf: mean((s) => s.jf) })
  }
  const mean = (pick: (s: DavisSequenceScore) => number) => sequences.reduce((sum, s) => sum + pick(s), 0) / sequences.length
  return { modelId: runtime.model.id, method, mode, sequences, j: mean((s) => s.j), f: mean((s) => s.f), jf: mean((s) => s.jf) }
}
