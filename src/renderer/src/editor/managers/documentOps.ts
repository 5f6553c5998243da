/** Pure updates of the document state's open image, shared by the managers. */
import type { AnnotationInfo, ImageDetail } from '../../../../common/ipc/types'

/** Puts `annotation` in the image (replacing the same id, or `replacedId`), keeping the order. */
export function upsertAnnotation(detail: ImageDetail, annotation: AnnotationInfo, replacedId?: number): ImageDetail {
  if (annotation.imageId !== detail.image.id) return detail
  const annotations = [...detail.annotations]
  const at = annotations.findIndex((a) => a.id === annotation.id || (replacedId !== undefined && a.id === replacedId))
  if (at >= 0) annotations[at] = annotation
  else annotations.push(annotation)
  // A replacement may come back with a new id while the old one is still listed after it.
  const deduplicated = annotations.filter((a, index) => index === at || a.id !== replacedId || a.id === annotation.id)
  return { ...detail, annotations: deduplicated }
}

export function removeAnnotation(detail: ImageDetail, annotationId: number): ImageDetail {
  const annotations = detail.annotations.filter((a) => a.id !== annotationId)
  return annotations.length === detail.annotations.length ? detail : { ...detail, annotations }
}

export function findAnnotation(detail: ImageDetail | null, annotationId: number | null): AnnotationInfo | null {
  if (!detail || annotationId === null) return null
  return detail.annotations.find((a) => a.id === annotationId) ?? null
}

/**
 * The image's annotations as the review walks them: its proposals in walk order first (so
 * "proposal 1 of 2" is the first card), then the others as stored.
 */
export function inReviewOrder<A extends { readonly id: number }>(annotations: readonly A[], proposals: readonly number[]): A[] {
  const rank = new Map(proposals.map((id, index) => [id, index]))
  const walked = annotations.filter((a) => rank.has(a.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)
  return [...walked, ...annotations.filter((a) => !rank.has(a.id))]
}

/** Proposals still waiting for a decision, least confident first (unscored ones first of all). */
export function proposalsByConfidence(detail: ImageDetail): number[] {
  return detail.annotations
    .filter((a) => a.status === 'proposed')
    .sort((a, b) => (a.score ?? -1) - (b.score ?? -1) || a.id - b.id)
    .map((a) => a.id)
}
