/**
 * What a new project's import job does: the images of its folder, then the annotations the user
 * chose to bring along. A PerSeg or DAVIS folder is imported as such only (its Annotations/ PNGs
 * are masks, not photos); a COCO file after the folder, so every image it names is found.
 */
import type { ImportReport } from '../../../common/ipc/types'
import type { Project } from '../store/index'
import { importCoco } from './coco/cocoImport'
import { importDavis } from './davis/davisImport'
import { importImageFolder } from './folderImport'
import { importPerseg } from './perseg/persegImport'
import type { ProgressListener } from './report'

export interface AnnotationSource {
  readonly format: 'coco' | 'perseg' | 'davis'
  readonly path: string
}

export interface NewProjectImportOptions {
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

export async function importNewProject(project: Project, imagesRoot: string, annotations: AnnotationSource | undefined, options: NewProjectImportOptions): Promise<ImportReport> {
  if (annotations?.format === 'perseg') return importPerseg(project, annotations.path, options)
  if (annotations?.format === 'davis') return importDavis(project, annotations.path, options)
  const images = await importImageFolder(project, imagesRoot, options)
  if (!annotations) return images
  const coco = await importCoco(project, annotations.path, { ...options, imagesDir: imagesRoot })
  return {
    imported: { images: images.imported.images + coco.imported.images, annotations: coco.imported.annotations, categories: coco.imported.categories },
    skipped: [...images.skipped, ...coco.skipped],
    duplicates: [...images.duplicates, ...coco.duplicates],
  }
}
