/**
 * What the store holds on each frame of a sequence for one category: its keyframes (what tracking
 * starts from) and the per-frame state the timeline shows.
 *
 * A keyframe of an object on a frame is a mask a person made or confirmed by hand:
 * - a reference of the category (a member of its default reference set) with a mask;
 * - an 'edited' mask: a proposal a person corrected (SAM correction, brush, eraser); accepting it
 *   in the review keeps it 'edited';
 * - an 'accepted' mask a person drew ('manual' source);
 * - an 'absent' marker a person set (not a propagation's automatic verdict): an empty keyframe,
 *   the object is not on that frame (for every object of the category).
 * An accepted proposal is a decision, not a keyframe: the track is not re-anchored on it, and
 * tracking leaves that frame's object alone.
 *
 * Objects: an annotation's method JSON may name its object (`"objectId": "<string>"`, the name the
 * DAVIS exchange uses too); without one it belongs to DEFAULT_OBJECT_ID.
 */
import { createMask, type BinaryMask } from '../../../common/mask'
import type { TimelineFrame, TimelineState } from '../../../common/ipc/dto/sequence'
import { binaryOfStored, isReplaceableByPropagation, type Annotation, type Project, type SequenceFrame } from '../store'

export const DEFAULT_OBJECT_ID = '1'

export interface Keyframe {
  readonly annotationId: number
  /** Changes whenever the keyframe's mask may have changed (the annotation's id and revision). */
  readonly signature: string
  /** Full-size mask; empty when a person marked the object absent. */
  readonly mask: () => BinaryMask
}

export interface SequenceKeyframes {
  readonly frames: readonly SequenceFrame[]
  /** objectId -> frame index -> keyframe. */
  readonly objects: ReadonlyMap<string, ReadonlyMap<number, Keyframe>>
}

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {})

export function objectIdOf(annotation: Pick<Annotation, 'method'>): string {
  const id = record(annotation.method).objectId
  return typeof id === 'string' && id !== '' ? id : DEFAULT_OBJECT_ID
}

/** The tracking verdict a stored proposal carries (`method.track`), if tracking made it. */
export function trackOf(annotation: Pick<Annotation, 'method'>): { state: string; reason: string | null } | null {
  const track = record(annotation.method).track
  if (track === undefined) return null
  const { state, reason } = record(track)
  return { state: typeof state === 'string' ? state : 'proposed', reason: typeof reason === 'string' ? reason : null }
}

function referenceIds(project: Project, categoryId: number): Set<number> {
  const set = project.references.findDefaultSet(categoryId)
  return new Set(set ? project.references.members(set.id).map((a) => a.id) : [])
}

function isPersonMarkedAbsent(annotation: Annotation): boolean {
  return annotation.status === 'absent' && !isReplaceableByPropagation(annotation)
}

function isKeyframe(annotation: Annotation, references: ReadonlySet<number>): boolean {
  if (annotation.mask === null) return isPersonMarkedAbsent(annotation)
  return references.has(annotation.id) || annotation.status === 'edited' || (annotation.status === 'accepted' && annotation.source === 'manual')
}

/** Each frame's annotations of the category, in frame order. */
export function frameAnnotations(project: Project, sequenceId: number, categoryId: number): { frame: SequenceFrame; annotations: Annotation[] }[] {
  project.categories.require(categoryId)
  return project.sequences.frames(sequenceId).map((frame) => ({ frame, annotations: project.annotations.forImage(frame.imageId, { categoryId }) }))
}

export function sequenceKeyframes(project: Project, sequenceId: number, categoryId: number): SequenceKeyframes {
  const references = referenceIds(project, categoryId)
  const perFrame = frameAnnotations(project, sequenceId, categoryId)
  const objects = new Map<string, Map<number, Keyframe>>()
  const absentFrames: { frame: SequenceFrame; annotation: Annotation }[] = []
  const objectMap = (id: string) => {
    let frames = objects.get(id)
    if (!frames) objects.set(id, (frames = new Map()))
    return frames
  }
  for (const { frame, annotations } of perFrame) {
    for (const annotation of annotations) {
      if (!isKeyframe(annotation, references)) continue
      if (annotation.mask === null) {
        absentFrames.push({ frame, annotation })
        continue
      }
      const stored = annotation.mask
      objectMap(objectIdOf(annotation)).set(frame.frameIndex, { annotationId: annotation.id, signature: `${annotation.id}r${annotation.revision}`, mask: () => binaryOfStored(stored) })
    }
  }
  if (absentFrames.length > 0 && objects.size === 0) objectMap(DEFAULT_OBJECT_ID)
  for (const { frame, annotation } of absentFrames) {
    const image = project.images.require(frame.imageId)
    for (const frames of objects.values()) {
      // A mask a person kept on the same frame wins over the absent marker.
      if (frames.has(frame.frameIndex)) continue
      frames.set(frame.frameIndex, { annotationId: annotation.id, signature: `${annotation.id}r${annotation.revision}`, mask: () => createMask(image.width, image.height) })
    }
  }
  return { frames: perFrame.map((entry) => entry.frame), objects }
}

const RANK: Record<TimelineState, number> = { keyframe: 5, accepted: 4, flagged: 3, proposed: 2, absent: 1, none: 0 }

/** One frame's state for the timeline: the strongest of its annotations' (keyframe > accepted > flagged > proposed > absent). */
function frameState(annotations: readonly Annotation[], references: ReadonlySet<number>): Omit<TimelineFrame, 'frameIndex' | 'imageId'> {
  let state: TimelineState = 'none'
  let confidence: number | null = null
  let reason: string | null = null
  for (const annotation of annotations) {
    let next: TimelineState
    if (isKeyframe(annotation, references)) next = 'keyframe'
    else if (annotation.status === 'accepted') next = 'accepted'
    else if (annotation.status === 'proposed') next = trackOf(annotation)?.state === 'flagged' ? 'flagged' : 'proposed'
    else if (annotation.status === 'absent') next = 'absent'
    else continue
    const score = next === 'keyframe' ? 1 : annotation.score
    if (RANK[next] > RANK[state]) {
      state = next
      confidence = score
      reason = next === 'flagged' ? (trackOf(annotation)?.reason ?? null) : null
    } else if (next === state && score !== null) {
      // Several objects on a frame: the least confident one says how much to trust the frame.
      confidence = confidence === null ? score : Math.min(confidence, score)
    }
  }
  return { state, confidence, reason }
}

export function sequenceTimeline(project: Project, sequenceId: number, categoryId: number): TimelineFrame[] {
  const references = referenceIds(project, categoryId)
  return frameAnnotations(project, sequenceId, categoryId).map(({ frame, annotations }) => ({
    frameIndex: frame.frameIndex,
    imageId: frame.imageId,
    ...frameState(annotations, references),
  }))
}
