/**
 * Frame-sequence tracking with keyframes (docs/video-tracking.md): every reference or corrected
 * frame of an object is a keyframe; the object is tracked forward and backward from each keyframe
 * up to the next one, and where a forward and a backward span meet on a frame the more confident
 * proposal is kept. Spans are cached by what they depend on (their keyframe's mask, their target
 * and where they stop), so changing a keyframe re-runs only the spans it bounds. With several
 * objects, a pixel two masks claim goes to the more confident one.
 */
import { maskArea, resizeMask, type BinaryMask } from '../mask'
import type { ImageEmbedding, SamDecoderPort } from '../sam/port'
import { prepareTarget, type PersamMethod, type PrepareOptions, type PreparedTarget } from './target'
import { trackSpan, type TrackedFrame, type TrackOptions } from './trackSpan'

export interface SequenceTrackerOptions {
  readonly method?: PersamMethod
  readonly track?: Partial<TrackOptions>
  readonly prepare?: PrepareOptions
}

export interface TrackedObject {
  readonly id: string
  /** One entry per frame of the sequence. */
  readonly frames: readonly TrackedFrame[]
}

export interface SequenceTrack {
  readonly objects: readonly TrackedObject[]
  /** Spans tracked by this run and spans reused from the previous one. */
  readonly spansComputed: number
  readonly spansReused: number
}

interface Keyframe {
  readonly mask: BinaryMask
  readonly version: number
}

export class SequenceTracker {
  private readonly keyframes = new Map<string, Map<number, Keyframe>>()
  private spans = new Map<string, TrackedFrame[]>()
  private targets = new Map<string, Promise<PreparedTarget>>()
  private version = 0

  constructor(
    readonly frameCount: number,
    private readonly embed: (frame: number) => Promise<ImageEmbedding>,
    private readonly decoder: SamDecoderPort,
    private readonly options: SequenceTrackerOptions = {},
  ) {
    if (!(Number.isInteger(frameCount) && frameCount >= 1)) throw new RangeError(`frameCount must be a positive integer, got ${frameCount}`)
  }

  /** Marks `frame` a keyframe of `objectId` with its (reference or corrected) mask; an empty mask says the object is not there. */
  setKeyframe(objectId: string, frame: number, mask: BinaryMask): void {
    if (!(Number.isInteger(frame) && frame >= 0 && frame < this.frameCount)) throw new RangeError(`keyframe ${frame} of ${objectId} is outside frames 0..${this.frameCount - 1}`)
    let frames = this.keyframes.get(objectId)
    if (!frames) this.keyframes.set(objectId, (frames = new Map()))
    frames.set(frame, { mask, version: ++this.version })
  }

  removeKeyframe(objectId: string, frame: number): void {
    const frames = this.keyframes.get(objectId)
    frames?.delete(frame)
    if (frames?.size === 0) this.keyframes.delete(objectId)
  }

  /** Tracks every object over the whole sequence, re-running only spans whose inputs changed since the last run. */
  async run(): Promise<SequenceTrack> {
    const usedSpans = new Map<string, TrackedFrame[]>()
    const usedTargets = new Map<string, Promise<PreparedTarget>>()
    let spansComputed = 0
    let spansReused = 0
    const perObject: TrackedObject[] = []
    for (const [id, keyframes] of this.keyframes) {
      const order = [...keyframes.keys()].sort((a, b) => a - b)
      const candidates: TrackedFrame[][] = Array.from({ length: this.frameCount }, () => [])
      for (let k = 0; k < order.length; k++) {
        const at = order[k]!
        const keyframe = keyframes.get(at)!
        const source = this.targetSource(keyframes, order, at)
        const bounds: [1 | -1, number][] = [
          [1, order[k + 1] ?? this.frameCount],
          [-1, order[k - 1] ?? -1],
        ]
        for (const [direction, stop] of bounds) {
          if (Math.abs(stop - at) <= 1) continue
          const spanKey = `${id}|${at}|v${keyframe.version}|${direction}|${stop}|t${source ?? 'none'}`
          let frames = this.spans.get(spanKey)
          if (frames) spansReused++
          else if (source === null) {
            // No keyframe shows the object: there is nothing to look for.
            frames = []
            for (let f = at + direction; f !== stop; f += direction) frames.push({ frame: f, mask: null, confidence: 0, state: 'absent', mode: 'global' })
          } else {
            const target = this.target(source, keyframes, usedTargets)
            frames = await trackSpan({ target: await target, decoder: this.decoder, embed: this.embed, keyframe: at, keyframeMask: keyframe.mask, direction, stop, options: this.options.track })
            spansComputed++
          }
          usedSpans.set(spanKey, frames)
          for (const tracked of frames) candidates[tracked.frame]!.push(tracked)
        }
      }
      const frames = candidates.map((options, frame): TrackedFrame => {
        const keyframe = keyframes.get(frame)
        if (keyframe) {
          const present = maskArea(keyframe.mask) > 0
          return { frame, mask: present ? keyframe.mask : null, confidence: 1, state: 'keyframe', mode: 'keyframe' }
        }
        return options.reduce<TrackedFrame | null>((best, next) => (best === null || rank(next) > rank(best) ? next : best), null) ?? { frame, mask: null, confidence: 0, state: 'absent', mode: 'global' }
      })
      perObject.push({ id, frames })
    }
    this.spans = usedSpans
    this.targets = usedTargets
    return { objects: resolveOverlaps(perObject, this.frameCount), spansComputed, spansReused }
  }

  /** The keyframe whose mask gives a span its target: the span's own, or the nearest one showing the object. */
  private targetSource(keyframes: Map<number, Keyframe>, order: readonly number[], at: number): string | null {
    const showing = order.filter((frame) => maskArea(keyframes.get(frame)!.mask) > 0)
    if (showing.length === 0) return null
    const nearest = showing.reduce((best, frame) => (Math.abs(frame - at) < Math.abs(best - at) ? frame : best))
    return `${nearest}v${keyframes.get(nearest)!.version}`
  }

  private target(source: string, keyframes: Map<number, Keyframe>, used: Map<string, Promise<PreparedTarget>>): Promise<PreparedTarget> {
    let target = this.targets.get(source) ?? used.get(source)
    if (!target) {
      const frame = Number(source.slice(0, source.indexOf('v')))
      const mask = keyframes.get(frame)!.mask
      target = this.embed(frame).then((embedding) => prepareTarget([{ embedding, mask }], this.options.method ?? 'persam', this.decoder, this.options.prepare))
    }
    used.set(source, target)
    return target
  }
}

/** Proposals beat absent verdicts; among equals, the more confident wins. */
function rank(frame: TrackedFrame): number {
  return (frame.state === 'absent' ? 0 : 2) + frame.confidence
}

/** Per frame, a pixel claimed by several objects stays with the most confident; a mask left empty makes its object absent. */
export function resolveOverlaps(objects: readonly TrackedObject[], frameCount: number): TrackedObject[] {
  if (objects.length < 2) return [...objects]
  const frames = objects.map((object) => [...object.frames])
  for (let f = 0; f < frameCount; f++) {
    const present = objects.map((_, i) => i).filter((i) => frames[i]![f]!.mask !== null)
    if (present.length < 2) continue
    const first = frames[present[0]!]![f]!.mask!
    const { width, height } = first
    const masks = present.map((i) => {
      const mask = frames[i]![f]!.mask!
      return mask.width === width && mask.height === height ? mask : resizeMask(mask, width, height)
    })
    const owner = new Int32Array(width * height).fill(-1)
    const ownerConfidence = new Float64Array(width * height).fill(-1)
    present.forEach((i, n) => {
      const { data } = masks[n]!
      const tracked = frames[i]![f]!
      // A keyframe (set by hand) always keeps its pixels.
      const confidence = tracked.confidence + (tracked.state === 'keyframe' ? 1 : 0)
      for (let p = 0; p < data.length; p++) {
        if (data[p] && confidence > ownerConfidence[p]!) {
          owner[p] = i
          ownerConfidence[p] = confidence
        }
      }
    })
    present.forEach((i, n) => {
      const tracked = frames[i]![f]!
      const data = new Uint8Array(width * height)
      const source = masks[n]!.data
      for (let p = 0; p < data.length; p++) data[p] = source[p]! && owner[p] === i ? 1 : 0
      const mask: BinaryMask = { width, height, data }
      const empty = maskArea(mask) === 0
      frames[i]![f] = { ...tracked, mask: empty ? null : mask, state: empty && tracked.state !== 'keyframe' ? 'absent' : tracked.state }
    })
  }
  return objects.map((object, i) => ({ id: object.id, frames: frames[i]! }))
}
