/**
 * One entry for every export format, shared by the studio's exchange:export job and the CLI's
 * `export` command, so both write exactly the same files for the same choices.
 */
import path from 'node:path'
import type { ExportFormat, ExportReport } from '../../../common/ipc/types'
import { prepareOutputFolder } from '../fs/outputPath'
import type { AnnotationStatus, Project } from '../store/index'
import { exportCoco } from './coco/cocoExport'
import { exportDavis } from './davis/davisExport'
import { exportPerseg } from './perseg/persegExport'
import { exportPngMasks } from './pngExport'
import type { ProgressListener } from './report'
import { exportYoutubeVis } from './youtubeVis/youtubeVisExport'

export interface ProjectExportOptions {
  readonly format: ExportFormat
  /** A .json file for COCO and YouTube-VIS, a folder for PerSeg, PNG masks and DAVIS. Missing parent folders are made. */
  readonly target: string
  /** Default: accepted and edited. */
  readonly statuses?: readonly AnnotationStatus[]
  readonly categoryIds?: readonly number[]
  readonly cocoSegmentation?: 'rle' | 'polygons'
  readonly pngMode?: 'instance' | 'semantic'
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

export async function exportProject(project: Project, options: ProjectExportOptions): Promise<ExportReport> {
  const target = path.resolve(options.target)
  const common = { statuses: options.statuses, categoryIds: options.categoryIds, signal: options.signal, onProgress: options.onProgress }
  // The chosen place may be a folder that does not exist yet (a typed path in browser mode, a CLI argument).
  await prepareOutputFolder(path.dirname(target))
  if (options.format === 'coco') return exportCoco(project, target, { ...common, segmentation: options.cocoSegmentation })
  if (options.format === 'perseg') return exportPerseg(project, target, common)
  if (options.format === 'davis') return exportDavis(project, target, common)
  if (options.format === 'youtube-vis') return exportYoutubeVis(project, target, common)
  return exportPngMasks(project, target, { ...common, mode: options.pngMode ?? 'instance' })
}
