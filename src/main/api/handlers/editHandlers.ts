/** segment:*, annotation:* and history:* channels: everything that makes or changes a mask. */
import { createMask, paintStroke } from '../../../common/mask'
import { StudioError } from '../../../common/ipc/result'
import { binaryOfStored, storedMaskFromBinary } from '../../services/store'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { annotationInfo, historyState } from '../dto'

type EditChannels =
  | 'segment:preview'
  | 'segment:commit'
  | 'segment:prefetch'
  | 'annotation:stroke'
  | 'annotation:list'
  | 'annotation:review'
  | 'annotation:markImageAbsent'
  | 'annotation:setReference'
  | 'annotation:setCategory'
  | 'history:state'
  | 'history:undo'
  | 'history:redo'

const STATUS_OF = { accept: 'accepted', reject: 'rejected', absent: 'absent' } as const

export function editHandlers(context: StudioContext): Pick<Handlers, EditChannels> {
  const { events } = context.options
  const changed = (imageIds: readonly number[], reason: string): void => {
    const { project } = context.requireSession()
    events.emit('annotation:changed', { imageIds, reason })
    events.emit('history:changed', historyState(project))
  }
  /** Undo or redo one step; null when there is nothing to apply. */
  const replay = (direction: 'undo' | 'redo') => {
    const { project } = context.requireSession()
    const applied = direction === 'undo' ? project.history.undo() : project.history.redo()
    if (!applied) return null
    changed(applied.imageIds, direction)
    return { label: applied.step.label, imageIds: applied.imageIds, history: historyState(project) }
  }

  return {
    'segment:preview': (request) => context.requireSession().segment.preview(request),
    'segment:commit': ({ previewId, candidate, categoryId, replaceAnnotationId }) => {
      const { project, segment } = context.requireSession()
      const preview = segment.previewFor(previewId)
      const mask = preview.masks[candidate]
      if (!mask) throw new StudioError('invalid-input', `preview ${previewId} has no candidate ${candidate}`)
      if (mask.area === 0) throw new StudioError('invalid-input', 'that candidate mask is empty')
      project.categories.require(categoryId)
      const method = { prompt: 'sam', candidate, predictedIou: preview.scores[candidate] ?? null }
      const modelId = context.models.state().activeModelId
      let annotation
      if (replaceAnnotationId !== undefined) {
        const existing = project.annotations.require(replaceAnnotationId)
        if (existing.imageId !== preview.imageId) throw new StudioError('invalid-input', `annotation ${replaceAnnotationId} is on another image`)
        // A corrected mask stays the same object of a tracked sequence.
        const objectId = (existing.method as { objectId?: unknown } | null)?.objectId
        const corrected = typeof objectId === 'string' ? { ...method, objectId } : method
        annotation = project.annotations.update(replaceAnnotationId, { mask, categoryId, status: 'edited', method: corrected, modelId }, 'Correct mask')
      } else {
        annotation = project.annotations.create({ imageId: preview.imageId, categoryId, mask, status: 'accepted', source: 'manual', method, modelId }, 'Add mask')
      }
      changed([preview.imageId], 'segment')
      return annotationInfo(project, annotation)
    },
    'segment:prefetch': ({ imageIds }) => ({ queued: context.requireSession().segment.prefetch(imageIds) }),
    'annotation:stroke': ({ annotationId, imageId, categoryId, mode, points, radius }) => {
      const { project } = context.requireSession()
      const existing = annotationId !== undefined ? project.annotations.require(annotationId) : null
      const image = project.images.require(existing?.imageId ?? imageId!)
      const base = existing?.mask ? binaryOfStored(existing.mask) : createMask(image.width, image.height)
      const painted = paintStroke(base, points, radius, mode === 'brush' ? 1 : 0)
      const mask = storedMaskFromBinary(painted)
      if (mask.area === 0) throw new StudioError('invalid-input', 'the stroke would leave an empty mask; delete the annotation instead')
      const label = mode === 'brush' ? 'Brush stroke' : 'Eraser stroke'
      const annotation = existing
        ? project.annotations.update(existing.id, { mask, status: 'edited' }, label)
        : project.annotations.create({ imageId: image.id, categoryId: project.categories.require(categoryId!).id, mask, status: 'accepted', source: 'manual', method: { prompt: 'brush' } }, label)
      changed([image.id], 'stroke')
      return annotationInfo(project, annotation)
    },
    'annotation:list': ({ categoryId, statuses, order, offset, limit }) => {
      const { project } = context.requireSession()
      const list = project.annotations.list({ categoryId, statuses, order, offset, limit })
      return { total: list.total, items: list.items }
    },
    'annotation:review': ({ annotationId, action }) => {
      const { project } = context.requireSession()
      const annotation = project.annotations.require(annotationId)
      if (action === 'delete') {
        project.annotations.remove([annotationId], 'Delete annotation')
        changed([annotation.imageId], 'review')
        return null
      }
      const [updated] = project.annotations.setStatus([annotationId], STATUS_OF[action], `${action[0]!.toUpperCase()}${action.slice(1)}`)
      changed([annotation.imageId], 'review')
      return annotationInfo(project, updated!)
    },
    'annotation:markImageAbsent': ({ imageId, categoryId }) => {
      const { project } = context.requireSession()
      project.images.require(imageId)
      project.categories.require(categoryId)
      const annotation = project.annotations.create({ imageId, categoryId, mask: null, status: 'absent', source: 'manual' }, 'Mark absent')
      changed([imageId], 'review')
      return annotationInfo(project, annotation)
    },
    'annotation:setReference': ({ annotationId, isReference }) => {
      const { project } = context.requireSession()
      const annotation = project.annotations.require(annotationId)
      if (isReference && !annotation.mask) throw new StudioError('invalid-input', 'an "absent" marker has no mask to use as reference')
      project.references.setReference(annotationId, isReference)
      changed([annotation.imageId], 'reference')
      return annotationInfo(project, project.annotations.require(annotationId))
    },
    'annotation:setCategory': ({ annotationId, categoryId }) => {
      const { project } = context.requireSession()
      project.categories.require(categoryId)
      const annotation = project.annotations.update(annotationId, { categoryId }, 'Change category')
      changed([annotation.imageId], 'category')
      return annotationInfo(project, annotation)
    },
    'history:state': () => historyState(context.requireSession().project),
    'history:undo': () => replay('undo'),
    'history:redo': () => replay('redo'),
  }
}

