/** image:* and category:* channels. */
import { StudioError } from '../../../common/ipc/result'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { annotationDto, categoryDto, imageItemDto } from '../dto'

type ImageChannels = 'image:list' | 'image:get' | 'category:list' | 'category:create' | 'category:update' | 'category:delete'

export function imageHandlers(context: StudioContext): Pick<Handlers, ImageChannels> {
  return {
    'image:list': ({ offset, limit, state, categoryId, order }) => {
      const { project } = context.requireSession()
      const page = project.images.page({ offset, limit, state, categoryId, order })
      return { total: page.total, offset, items: page.items.map(imageItemDto), imageCounts: page.stateCounts, annotationCounts: page.annotationCounts }
    },
    'image:get': ({ imageId }) => {
      const { project } = context.requireSession()
      const item = project.images.item(imageId)
      const references = new Set(project.references.referenceIdsForImage(imageId))
      return {
        image: { ...imageItemDto(item), relativePath: item.relPath },
        annotations: project.annotations.forImage(imageId).map((annotation) => annotationDto(annotation, references)),
      }
    },
    'category:list': () => {
      const { project } = context.requireSession()
      return project.categories.list().map((category) => categoryDto(project, category))
    },
    'category:create': ({ name, color }) => {
      const { project } = context.requireSession()
      return categoryDto(project, project.categories.create({ name, ...(color ? { color } : {}) }))
    },
    'category:update': ({ categoryId, name, color }) => {
      const { project } = context.requireSession()
      let category = project.categories.require(categoryId)
      if (name !== undefined) category = project.categories.rename(categoryId, name)
      if (color !== undefined) category = project.categories.recolor(categoryId, color)
      return categoryDto(project, category)
    },
    'category:delete': ({ categoryId, confirmAnnotationCount }) => {
      const { project } = context.requireSession()
      const shown = categoryDto(project, project.categories.require(categoryId)).annotationCount
      if (shown !== confirmAnnotationCount) {
        throw new StudioError('conflict', `the category now has ${shown} annotations, not ${confirmAnnotationCount}; confirm again`)
      }
      return { deletedAnnotations: project.categories.remove(categoryId).annotationsDeleted }
    },
  }
}
