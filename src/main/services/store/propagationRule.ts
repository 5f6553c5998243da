/**
 * What a propagation may do to an image, in one place:
 * - it replaces the category's results of earlier propagations that nobody has touched: masks
 *   still 'proposed', and 'absent' verdicts exactly as a propagation stored them (not 'manual',
 *   revision 1: any review or edit bumps the revision);
 * - it never touches a person's decisions (accepted, edited, rejected, marked absent) nor a
 *   reference;
 * - max instances counts the masks already accepted or edited, and a new mask may not overlap
 *   one of them beyond MAX_PROPOSAL_OVERLAP (IoU);
 * - an image a person marked absent, or that already holds accepted masks, gets no 'absent' verdict.
 */
import { rleIou } from '../../../common/mask'
import { statement, type SqliteDatabase } from './connection'
import { rleOfStored } from './masks'
import type { Annotation, AnnotationStatus, StoredMask } from './types'

/** Above this IoU with a mask a person kept, a new proposal is a duplicate of it. */
export const MAX_PROPOSAL_OVERLAP = 0.3

/** Statuses of the masks a person kept: they count towards max instances. */
export const KEPT_STATUSES: readonly AnnotationStatus[] = ['accepted', 'edited']

/** True for a result of an earlier propagation that a new propagation replaces. */
export function isReplaceableByPropagation(annotation: Pick<Annotation, 'status' | 'source' | 'revision'>): boolean {
  if (annotation.status === 'proposed') return true
  return annotation.status === 'absent' && annotation.source !== 'manual' && annotation.revision === 1
}

export interface ProposalCandidate {
  readonly mask: StoredMask | null
  readonly status?: Extract<AnnotationStatus, 'proposed' | 'absent'>
}

export interface ImageDecisions {
  /** The earlier results to delete (references excluded). */
  readonly replaced: readonly Annotation[]
  /** Masks a person kept (accepted or edited). */
  readonly kept: readonly Annotation[]
  /** A person said the object is not in the image. */
  readonly markedAbsent: boolean
}

/** Sorts one image's annotations of a category by what a propagation may do with them. */
export function imageDecisions(db: SqliteDatabase, existing: readonly Annotation[]): ImageDecisions {
  const references = new Set(
    existing.length === 0
      ? []
      : (statement(db, 'SELECT annotation_id AS id FROM reference_members WHERE annotation_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(existing.map((a) => a.id))) as { id: number }[]).map((row) => row.id),
  )
  const replaceable = (a: Annotation) => isReplaceableByPropagation(a) && !references.has(a.id)
  return {
    replaced: existing.filter(replaceable),
    kept: existing.filter((a) => a.mask !== null && KEPT_STATUSES.includes(a.status)),
    markedAbsent: existing.some((a) => a.status === 'absent' && !replaceable(a)),
  }
}

/** The proposals that may be stored next to the kept masks, in the engine's order. */
export function admissibleProposals<P extends ProposalCandidate>(proposals: readonly P[], decisions: ImageDecisions, maxInstances: number): P[] {
  if (decisions.markedAbsent) return []
  const keptMasks = decisions.kept.map((a) => rleOfStored(a.mask!))
  let capacity = maxInstances - keptMasks.length
  const admitted: P[] = []
  for (const proposal of proposals) {
    if (proposal.mask === null || proposal.status === 'absent') {
      if (keptMasks.length === 0) admitted.push(proposal)
      continue
    }
    if (capacity <= 0) continue
    if (keptMasks.length > 0) {
      const rle = rleOfStored(proposal.mask)
      if (keptMasks.some((kept) => rleIou(rle, kept) > MAX_PROPOSAL_OVERLAP)) continue
    }
    admitted.push(proposal)
    capacity--
  }
  return admitted
}
