/** Store rows to the contract's payload types. */
import type { AnnotationInfo, Category as CategoryDto, HistoryState, ImageListItem as ImageItemDto } from '../../common/ipc/types'
import type { Annotation, Category, ImageListItem, Project } from '../services/store'

const iso = (ms: number): string => new Date(ms).toISOString()

export function annotationDto(annotation: Annotation, referenceIds: ReadonlySet<number>): AnnotationInfo {
  const { mask } = annotation
  return {
    id: annotation.id,
    imageId: annotation.imageId,
    categoryId: annotation.categoryId,
    status: annotation.status,
    source: annotation.source,
    score: annotation.score,
    isReference: referenceIds.has(annotation.id),
    mask: mask ? { size: [mask.size[0], mask.size[1]], counts: mask.counts } : null,
    bbox: mask ? [mask.bbox[0], mask.bbox[1], mask.bbox[2], mask.bbox[3]] : null,
    area: mask?.area ?? 0,
    modelId: annotation.modelId,
    details: annotation.method && typeof annotation.method === 'object' ? (annotation.method as Record<string, unknown>) : null,
    createdAt: iso(annotation.createdAt),
    updatedAt: iso(annotation.updatedAt),
  }
}

/** One annotation with its reference flag looked up (for single-annotation replies). */
export function annotationInfo(project: Project, annotation: Annotation): AnnotationInfo {
  return annotationDto(annotation, new Set(project.references.referenceIdsForImage(annotation.imageId)))
}

export function imageItemDto(item: ImageListItem): ImageItemDto {
  const annotationCount = Object.values(item.counts).reduce((sum, n) => sum + n, 0)
  return {
    id: item.id,
    fileName: item.relPath,
    width: item.width,
    height: item.height,
    contentHash: item.contentHash,
    state: item.state,
    annotationCount,
    minScore: item.minScore,
  }
}

export function categoryDto(project: Project, category: Category): CategoryDto {
  const counts = project.images.annotationCounts(category.id)
  const set = project.references.findDefaultSet(category.id)
  const referenceCount = set ? project.references.members(set.id).length : 0
  return {
    id: category.id,
    name: category.name,
    color: category.color,
    annotationCount: Object.values(counts).reduce((sum, n) => sum + n, 0),
    referenceCount,
  }
}

export function historyState(project: Project): HistoryState {
  const { undo, redo } = project.history.peek()
  return { canUndo: undo !== null, canRedo: redo !== null, undoLabel: undo?.label ?? null, redoLabel: redo?.label ?? null }
}
