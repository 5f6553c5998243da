/**
 * PerSeg-layout export, as Personalize-SAM and DreamBooth-style masked training read it:
 * Images/<category>/NN.jpg and Annotations/<category>/NN.png, NN = 00, 01, ... contiguous
 * (persam.py iterates '%02d' % i), masks with PerSeg's foreground RGB (128,0,0). Each image that
 * has reviewed masks of a category appears once in that category, with the union of those
 * masks. JPEG sources without an EXIF rotation are copied byte for byte; others are decoded
 * upright and written as JPEG (quality 95).
 */
import { copyFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { ExportReport } from '../../../../common/ipc/types'
import { createMask, unionMasks } from '../../../../common/mask/index'
import { StudioError } from '../../../../common/ipc/result'
import { headerSize, sharpSource } from '../../images/sharpSource'
import { writeAtomically, writeMaskPng } from '../../images/maskPng'
import { binaryOfStored, type AnnotationStatus, type Project } from '../../store/index'
import { buildFolderAtomically, safeFolderName } from '../exportFolder'
import { ReportLines, type ProgressListener } from '../report'

export interface PersegExportOptions {
  readonly statuses?: readonly AnnotationStatus[]
  readonly categoryIds?: readonly number[]
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

export async function exportPerseg(project: Project, outDir: string, options: PersegExportOptions = {}): Promise<ExportReport> {
  const statuses = options.statuses ?? ['accepted', 'edited']
  const categories = project.categories.list().filter((c) => !options.categoryIds || options.categoryIds.includes(c.id))
  const warnings = new ReportLines()
  const used = new Set<string>()
  let images = 0
  let annotations = 0
  await buildFolderAtomically(outDir, async (root) => {
    for (const category of categories) {
      let folder = safeFolderName(category.name)
      while (used.has(folder.toLowerCase())) folder = `${folder}_${category.id}`
      used.add(folder.toLowerCase())
      const imageIds = project.annotations.imageIdsWithMasks(category.id, statuses)
      if (imageIds.length === 0) continue
      await mkdir(path.join(root, 'Images', folder), { recursive: true })
      await mkdir(path.join(root, 'Annotations', folder), { recursive: true })
      let index = 0
      for (const imageId of imageIds) {
        if (options.signal?.aborted) throw new StudioError('cancelled', 'the export was cancelled; no folder was written')
        const image = project.images.require(imageId)
        const source = project.absolutePath(image.relPath)
        const name = String(index).padStart(2, '0')
        try {
          await writeJpeg(source, path.join(root, 'Images', folder, `${name}.jpg`))
        } catch (error) {
          warnings.add(image.relPath, `not exported: ${error instanceof Error ? error.message : String(error)}`)
          continue
        }
        const masks = project.annotations.forImage(imageId, { categoryId: category.id }).filter((a) => a.mask !== null && (options.statuses ?? ['accepted', 'edited']).includes(a.status))
        let union = createMask(image.width, image.height)
        for (const annotation of masks) union = unionMasks(union, binaryOfStored(annotation.mask!))
        await writeMaskPng(path.join(root, 'Annotations', folder, `${name}.png`), union)
        annotations += masks.length
        images++
        index++
        options.onProgress?.({ phase: category.name, done: index, total: imageIds.length })
      }
    }
  })
  return { path: outDir, images, annotations, warnings: warnings.toArray() }
}

/** The image upright as JPEG: copied when it already is an unrotated JPEG, else re-encoded. */
export async function writeJpeg(source: string, target: string): Promise<void> {
  const header = await headerSize(source)
  if (header.format === 'jpeg' && header.orientation === 1) return copyFile(source, target)
  await writeAtomically(target, (await sharpSource(source)).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').jpeg({ quality: 95 }))
}
