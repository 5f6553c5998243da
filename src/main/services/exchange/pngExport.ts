/**
 * Per-image PNG masks: one label map per image at <out>/<image path without extension>.png.
 * 'instance': each exported annotation of the image gets 1, 2, ... in id order; 'semantic':
 * each pixel gets its category's number (1..K in category order, listed in categories.json).
 * 0 is background; where masks overlap, the later annotation wins. 8-bit PNG, 16-bit when a
 * label exceeds 255. instances.json maps instance numbers back to annotations and categories.
 * Every image gets a file, an unannotated one an all-background map.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ExportReport } from '../../../common/ipc/types'
import { StudioError } from '../../../common/ipc/result'
import { writeLabelPng } from '../images/maskPng'
import { binaryOfStored, type AnnotationStatus, type Project } from '../store/index'
import { buildFolderAtomically } from './exportFolder'
import { ReportLines, type ProgressListener } from './report'

export interface PngExportOptions {
  readonly mode: 'instance' | 'semantic'
  readonly statuses?: readonly AnnotationStatus[]
  readonly categoryIds?: readonly number[]
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

export async function exportPngMasks(project: Project, outDir: string, options: PngExportOptions): Promise<ExportReport> {
  const statuses = options.statuses ?? ['accepted', 'edited']
  const categories = project.categories.list().filter((c) => !options.categoryIds || options.categoryIds.includes(c.id))
  const label = new Map(categories.map((c, i) => [c.id, i + 1]))
  const total = project.images.count()
  const warnings = new ReportLines()
  const instances: Record<string, { label: number; annotationId: number; categoryId: number; category: string }[]> = {}
  let images = 0
  let annotations = 0
  await buildFolderAtomically(outDir, async (root) => {
    const taken = new Set<string>()
    // Materialized: no statement stays open on the shared connection across the awaits below.
    for (const image of [...project.images.iterate()]) {
      if (options.signal?.aborted) throw new StudioError('cancelled', 'the export was cancelled; no folder was written')
      const stem = image.relPath.replace(/\.[^./]+$/, '')
      // a.jpg and a.png in one folder would both become a.png: the second keeps its extension.
      const name = taken.has(stem.toLowerCase()) ? image.relPath : stem
      taken.add(name.toLowerCase())
      const labels = new Uint16Array(image.width * image.height)
      const listed: (typeof instances)[string] = []
      for (const annotation of project.annotations.forImage(image.id)) {
        const categoryLabel = label.get(annotation.categoryId)
        if (annotation.mask === null || categoryLabel === undefined || !statuses.includes(annotation.status)) continue
        const value = options.mode === 'semantic' ? categoryLabel : listed.length + 1
        if (value > 65535) {
          warnings.add(image.relPath, 'more than 65535 instances; the rest are not in the PNG')
          break
        }
        const mask = binaryOfStored(annotation.mask).data
        for (let i = 0; i < mask.length; i++) if (mask[i]) labels[i] = value
        listed.push({ label: value, annotationId: annotation.id, categoryId: annotation.categoryId, category: categories[categoryLabel - 1]!.name })
        annotations++
      }
      const file = path.join(root, ...`${name}.png`.split('/'))
      await mkdir(path.dirname(file), { recursive: true })
      await writeLabelPng(file, image.width, image.height, labels)
      if (options.mode === 'instance') instances[`${name}.png`] = listed
      images++
      options.onProgress?.({ phase: 'masks', done: images, total })
    }
    await writeFile(path.join(root, 'categories.json'), `${JSON.stringify(categories.map((c, i) => ({ label: i + 1, id: c.id, name: c.name })), null, 2)}\n`)
    if (options.mode === 'instance') await writeFile(path.join(root, 'instances.json'), `${JSON.stringify(instances)}\n`)
  })
  return { path: outDir, images, annotations, warnings: warnings.toArray() }
}
