/**
 * DAVIS-layout evaluation: JPEGImages/480p/<seq>/*.jpg with Annotations/480p/<seq>/*.png (object k
 * drawn in the k-th colour of the DAVIS/VOC palette; frame 0's annotation is the reference, the
 * others are ground truth; frames in natural name order). Two ways to segment the frames from
 * frame 0's objects: per-frame propagation (the image engine on every frame, the same as
 * propagating to a folder of photos) or sequence tracking (every object of frame 0 a keyframe).
 * J, F and J&F per object as the DAVIS 2017 toolkit averages them (first and last frame left
 * out), per sequence the mean over its objects (docs/video-tracking.md, "Measures").
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { resizeMask, type BinaryMask } from '../../../common/mask'
import { sequenceScore } from '../../../common/metrics/davis'
import type { PersamMethod } from '../../../common/persam/target'
import { segmentImage } from '../../../common/persam/segment'
import { prepareTarget } from '../../../common/persam/target'
import { resolveOverlaps, SequenceTracker, type TrackedObject } from '../../../common/persam/trackSequence'
import type { ImageEmbedding } from '../../../common/sam/port'
import type { SamRuntime } from '../sam/samRuntime'

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

/** Colour of palette index `i` in the DAVIS (PASCAL VOC) palette. */
export function davisColour(index: number): [number, number, number] {
  const rgb: [number, number, number] = [0, 0, 0]
  let c = index
  for (let shift = 7; c > 0; shift--, c >>= 3) {
    for (let k = 0; k < 3; k++) rgb[k]! |= ((c >> k) & 1) << shift
  }
  return rgb
}

/** One mask per object id 1..count, from an annotation drawn in the palette's colours. */
async function readAnnotation(file: string, count: number | null): Promise<BinaryMask[]> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
  const pixels = info.width * info.height
  const ids = new Uint8Array(pixels)
  const byColour = new Map<number, number>()
  for (let id = 1; id < 256; id++) {
    const [r, g, b] = davisColour(id)
    byColour.set((r << 16) | (g << 8) | b, id)
  }
  let highest = 0
  for (let p = 0; p < pixels; p++) {
    const o = p * info.channels
    const key = (data[o]! << 16) | (data[o + 1]! << 8) | data[o + 2]!
    if (key === 0) continue
    const id = byColour.get(key)
    if (id === undefined) throw new Error(`${file}: pixel (${p % info.width}, ${Math.floor(p / info.width)}) has colour ${key.toString(16).padStart(6, '0')}, not in the DAVIS palette`)
    ids[p] = id
    highest = Math.max(highest, id)
  }
  return Array.from({ length: count ?? highest }, (_, k) => {
    const mask = new Uint8Array(pixels)
    for (let p = 0; p < pixels; p++) mask[p] = ids[p] === k + 1 ? 1 : 0
    return { width: info.width, height: info.height, data: mask }
  })
}

const stem = (file: string): string => path.basename(file, path.extname(file))

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' })

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
  const imagesRoot = path.join(root, 'JPEGImages', '480p')
  const annotationsRoot = path.join(root, 'Annotations', '480p')
  const names = (await readdir(imagesRoot, { withFileTypes: true }).catch(() => {
    throw new Error(`${imagesRoot}: not found (expected the DAVIS layout JPEGImages/480p/<sequence>/)`)
  }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  if (names.length === 0) throw new Error(`${imagesRoot}: no sequence folders`)
  const method = options.method ?? 'persam'
  const mode = options.mode ?? 'tracking'
  const sequences: DavisSequenceScore[] = []
  for (const name of names) {
    options.onSequence?.(name)
    const frames = (await readdir(path.join(imagesRoot, name))).filter((file) => /\.(jpe?g|png)$/i.test(file)).sort(naturalOrder.compare)
    if (frames.length === 0) throw new Error(`${path.join(imagesRoot, name)}: no frames`)
    const annotationFile = (frame: string) => path.join(annotationsRoot, name, `${stem(frame)}.png`)
    const reference = await readAnnotation(annotationFile(frames[0]!), null)
    if (reference.length === 0) throw new Error(`${annotationFile(frames[0]!)}: the reference annotation shows no object`)
    const embeddings = new Map<number, Promise<ImageEmbedding>>()
    const embed = (f: number): Promise<ImageEmbedding> => {
      let pending = embeddings.get(f)
      if (!pending) embeddings.set(f, (pending = runtime.encodeFile(path.join(imagesRoot, name, frames[f]!)).then((outcome) => outcome.embedding)))
      return pending
    }
    let objects: readonly TrackedObject[]
    if (mode === 'tracking') {
      const tracker = new SequenceTracker(frames.length, embed, runtime, { method })
      reference.forEach((mask, k) => tracker.setKeyframe(String(k + 1), 0, mask))
      objects = (await tracker.run()).objects
    } else objects = await perFrame(runtime, frames.length, embed, reference, method)
    const truth = await Promise.all(frames.map((frame) => readAnnotation(annotationFile(frame), reference.length)))
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
