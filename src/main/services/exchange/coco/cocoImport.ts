/**
 * COCO instance-segmentation import: polygons, compressed and uncompressed RLE, categories,
 * iscrowd kept, images matched by file_name (cocoImages.ts). All or nothing:
 *
 * 1. pass 1 streams `images` and `categories` (and any other member) and validates them;
 * 2. images are matched to the project (files under imagesDir may be probed; nothing written);
 * 3. pass 2 streams `annotations`, validates each, converts its segmentation to the stored RLE
 *    with the mask core and stages it (Project.beginImport: outside the project file);
 * 4. the stager's commit adds new images and categories and the staged annotations in one
 *    transaction.
 *
 * Any malformed record rejects the file with messages naming JSON paths, and the project is
 * unchanged. A crash before step 4 commits leaves only staged rows, which SQLite discards.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { StudioError, formatPath } from '../../../../common/ipc/result'
import type { ImportReport } from '../../../../common/ipc/types'
import { MaskFormatError, segmentationToRle } from '../../../../common/mask/index'
import { storedMaskFromRle, toRelPath, type ImportStager, type Project } from '../../store/index'
import { JsonSyntaxError } from '../json/jsonDiagnose'
import { scanJsonSections } from '../json/jsonSections'
import { ReportLines, importReport, type ProgressListener } from '../report'
import { resolveCocoImages, type ImageResolution } from './cocoImages'
import { cocoAnnotationSchema, cocoCategorySchema, cocoImageSchema, maskIssue, parseRecord, type CocoCategory, type CocoImage, type CocoIssue } from './cocoSchema'

export interface CocoImportOptions {
  /** Where images not yet in the project are looked for (by file_name); they are then added. */
  readonly imagesDir?: string
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
  /** Issues collected before giving up. */
  readonly maxIssues?: number
}

/** The file was refused: `issues` lists what is wrong where; nothing was imported. */
export class CocoImportError extends StudioError {
  constructor(file: string, issues: readonly CocoIssue[]) {
    const first = issues[0]!
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''
    super('invalid-input', `${file}: ${first.path}: ${first.message}${more}. Nothing was imported.`, issues)
    this.name = 'CocoImportError'
  }
}

const SECTIONS = new Set(['images', 'annotations', 'categories'])
const running = new WeakSet<Project>()

class Issues {
  readonly list: CocoIssue[] = []
  constructor(
    private readonly file: string,
    private readonly max: number,
  ) {}
  add(issue: CocoIssue): void {
    this.list.push(issue)
    if (this.list.length >= this.max) this.throwIfAny()
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new CocoImportError(this.file, this.list)
  }
}

export async function importCoco(project: Project, file: string, options: CocoImportOptions = {}): Promise<ImportReport> {
  if (!(await stat(file).catch(() => null))?.isFile()) throw new StudioError('not-found', `${file} does not exist`)
  if (running.has(project)) throw new StudioError('conflict', 'an import is already running in this project')
  running.add(project)
  let stager: ImportStager | undefined
  try {
    const issues = new Issues(path.basename(file), options.maxIssues ?? 20)
    const scan = async (wanted: string, onElement: (key: string, index: number, value: unknown) => void, phase: string) => {
      try {
        return await scanJsonSections(
          file,
          { wants: (key) => key === wanted || (wanted === 'images' && key === 'categories'), onElement },
          { arrays: SECTIONS, onBytes: (done, total) => options.onProgress?.({ phase, done, total }) },
        )
      } catch (error) {
        if (error instanceof JsonSyntaxError) throw new CocoImportError(path.basename(file), [...issues.list, { path: formatPath(error.path), message: error.reason }])
        throw error
      }
    }

    // Pass 1: images and categories.
    const images = new Map<number, CocoImage>()
    const categories = new Map<number, CocoCategory>()
    const categoryNames = new Map<string, number>()
    const summary = await scan(
      'images',
      (key, index, value) => {
        if (key === 'images') {
          const parsed = parseRecord(cocoImageSchema, value, [key, index])
          if ('issues' in parsed) return parsed.issues.forEach((issue) => issues.add(issue))
          if (images.has(parsed.value.id)) return issues.add({ path: `images[${index}].id`, message: `image id ${parsed.value.id} is used twice` })
          images.set(parsed.value.id, parsed.value)
        } else {
          const parsed = parseRecord(cocoCategorySchema, value, [key, index])
          if ('issues' in parsed) return parsed.issues.forEach((issue) => issues.add(issue))
          const { id, name } = parsed.value
          if (categories.has(id)) return issues.add({ path: `categories[${index}].id`, message: `category id ${id} is used twice` })
          if (categoryNames.has(name)) return issues.add({ path: `categories[${index}].name`, message: `category name "${name}" is used twice` })
          categories.set(id, parsed.value)
          categoryNames.set(name, id)
        }
      },
      'read images',
    )
    for (const key of SECTIONS) if (!summary.keys.includes(key)) issues.add({ path: '(root)', message: `required key "${key}" is missing` })
    issues.throwIfAny()

    const resolution = await resolveCocoImages(project, images, { ...(options.imagesDir ? { imagesDir: options.imagesDir } : {}), ...(options.signal ? { signal: options.signal } : {}) })

    // Pass 2: annotations, converted and staged.
    const staging = (stager = project.beginImport())
    const annotationIds = new Set<number>()
    const skippedPerImage = new Map<number, number>()
    const duplicates = new ReportLines()
    const existingMasks = new Map<number, Set<string>>()
    // Re-importing a file must not double its annotations; a project without any skips the check.
    const dedupe = Object.values(project.images.annotationCounts()).some((n) => n > 0)
    const sourceFile = path.basename(file)
    let staged = 0
    await scan(
      'annotations',
      (_key, index, value) => {
        if (options.signal?.aborted) throw new StudioError('cancelled', 'the import was cancelled; nothing was changed')
        const at = `annotations[${index}]`
        const parsed = parseRecord(cocoAnnotationSchema, value, ['annotations', index])
        if ('issues' in parsed) return parsed.issues.forEach((issue) => issues.add(issue))
        const annotation = parsed.value
        if (annotation.id !== undefined) {
          if (annotationIds.has(annotation.id)) return issues.add({ path: `${at}.id`, message: `annotation id ${annotation.id} is used twice` })
          annotationIds.add(annotation.id)
        }
        const image = images.get(annotation.image_id)
        if (!image) return issues.add({ path: `${at}.image_id`, message: `no image has id ${annotation.image_id}` })
        const category = categories.get(annotation.category_id)
        if (!category) return issues.add({ path: `${at}.category_id`, message: `no category has id ${annotation.category_id}` })
        let mask
        try {
          const segmentation = annotation.segmentation as { counts?: unknown }
          const compressed = !Array.isArray(segmentation) && typeof segmentation.counts === 'string' ? segmentation.counts : undefined
          mask = storedMaskFromRle(segmentationToRle(segmentation, image.height, image.width, `${at}.segmentation`), compressed)
        } catch (error) {
          if (error instanceof MaskFormatError) return issues.add(maskIssue(`${at}.segmentation`, error.message))
          throw error
        }
        const target = resolution.get(annotation.image_id)!
        if (target.kind === 'skipped') return void skippedPerImage.set(annotation.image_id, (skippedPerImage.get(annotation.image_id) ?? 0) + 1)
        if (dedupe && target.kind === 'existing' && isDuplicate(project, existingMasks, target.imageId, category.name, mask.counts)) {
          return duplicates.add(at, `the same ${category.name} mask is already on ${project.images.get(target.imageId)!.relPath}; not added again`)
        }
        staged++
        // Once the file is known bad nothing will be committed: stop staging, keep collecting issues.
        if (issues.list.length > 0) return
        staging.stageAnnotation({
          imageKey: annotation.image_id,
          categoryKey: annotation.category_id,
          mask,
          iscrowd: annotation.iscrowd === 1,
          status: 'accepted',
          source: 'manual',
          score: annotation.score ?? null,
          method: { coco: { file: sourceFile, id: annotation.id ?? null } },
        })
      },
      'read annotations',
    )
    issues.throwIfAny()

    // One transaction: new images, categories, annotations.
    options.onProgress?.({ phase: 'write', done: 0, total: staged })
    const tally = { images: 0, annotations: 0, categories: 0 }
    tally.annotations = staging.commit((keys) => {
      const fresh = [...resolution].filter((entry): entry is [number, Extract<ImageResolution, { kind: 'new' }>] => entry[1].kind === 'new')
      if (fresh.length > 0) project.coverFolder(options.imagesDir!)
      const added = project.images.add(fresh.map(([, { file: imageFile, probe }]) => ({ ...probe, relPath: toRelPath(project.imagesRoot, imageFile) })))
      tally.images = added.length
      fresh.forEach(([cocoId], i) => keys.image(cocoId, added[i]!.id))
      for (const [cocoId, target] of resolution) if (target.kind === 'existing') keys.image(cocoId, target.imageId)
      for (const [cocoId, category] of categories) {
        const known = project.categories.byName(category.name)
        if (!known) tally.categories++
        keys.category(cocoId, (known ?? project.categories.create({ name: category.name, supercategory: category.supercategory ?? null })).id)
      }
    })
    const skipped = new ReportLines()
    for (const [cocoId, target] of resolution) {
      if (target.kind !== 'skipped') continue
      const count = skippedPerImage.get(cocoId) ?? 0
      skipped.add(`images (id ${cocoId}, ${images.get(cocoId)!.file_name})`, `${target.reason}; ${count} annotation${count === 1 ? '' : 's'} skipped`)
    }
    return importReport(tally, skipped, duplicates)
  } finally {
    stager?.close()
    running.delete(project)
  }
}

/** Whether this exact mask of this category is already on the image (re-importing a file). */
function isDuplicate(project: Project, cache: Map<number, Set<string>>, imageId: number, categoryName: string, counts: string): boolean {
  let known = cache.get(imageId)
  if (!known) {
    const masks = project.annotations.masksByCategoryName(imageId)
    cache.set(imageId, (known = new Set(masks.map((mask) => `${mask.categoryName}\u0000${mask.counts}`))))
  }
  return known.has(`${categoryName}\u0000${counts}`)
}
