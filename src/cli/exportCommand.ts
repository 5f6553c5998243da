/**
 * `persam-studio export <project-folder> --format coco|perseg|png|davis|youtube-vis --out PATH`: writes a project's
 * reviewed annotations without the studio, through the same export code as the studio's Export
 * dialog. The project is opened read-only, so this is safe while the studio has it open.
 */
import path from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { ANNOTATION_STATUSES, type AnnotationStatus } from '../common/ipc/dto/annotation'
import { EXPORT_FORMATS, type ExportFormat } from '../common/ipc/dto/job'
import { exportProject } from '../main/services/exchange/exportProject'
import { prepareOutputFile, prepareOutputFolder } from '../main/services/fs/outputPath'
import { Project } from '../main/services/store/index'
import { createProgressBar } from './progress'
import { action } from './run'

interface ExportCliOptions {
  readonly format: ExportFormat
  readonly out: string
  readonly polygons: boolean
  readonly semantic: boolean
  readonly status?: AnnotationStatus[]
  readonly category?: string[]
}

function parseStatus(value: string, previous: AnnotationStatus[] = []): AnnotationStatus[] {
  if (!(ANNOTATION_STATUSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${ANNOTATION_STATUSES.join(', ')}`)
  return [...previous, value as AnnotationStatus]
}

export async function runExport(projectDir: string, options: ExportCliOptions): Promise<void> {
  const project = Project.openReadOnly(projectDir)
  try {
    // The output is checked before anything is read or written (virtual filesystems, files in the way).
    if (options.format === 'coco' || options.format === 'youtube-vis') await prepareOutputFile(options.out, '--out')
    else await prepareOutputFolder(path.dirname(path.resolve(options.out)), '--out')
    const categories = project.categories.list()
    const categoryIds = options.category?.map((name) => {
      const found = categories.find((c) => c.name === name)
      if (!found) throw new Error(`--category ${name}: no such category in ${projectDir} (it has ${categories.map((c) => c.name).join(', ') || 'none'})`)
      return found.id
    })
    const progress = createProgressBar(`export ${options.format}`)
    const report = await exportProject(project, {
      format: options.format,
      target: options.out,
      statuses: options.status,
      categoryIds,
      cocoSegmentation: options.polygons ? 'polygons' : 'rle',
      pngMode: options.semantic ? 'semantic' : 'instance',
      onProgress: ({ done, total }) => progress.update(done, total),
    })
    progress.finish(`wrote ${report.annotations} annotations of ${report.images} images to ${report.path}`)
    for (const warning of report.warnings) process.stderr.write(`warning: ${warning.where}: ${warning.message}\n`)
  } finally {
    project.close()
  }
}

export function exportCommand(): Command {
  return new Command('export')
    .description('export a project (default: accepted and edited annotations) as COCO JSON, PerSeg folders, PNG masks, or its frame sequences as DAVIS folders or YouTube-VIS JSON')
    .argument('<project-folder>', 'the project folder (holds project.sqlite)')
    .addOption(new Option('--format <format>', 'what to write').choices(EXPORT_FORMATS).default('coco'))
    .requiredOption('-o, --out <path>', 'COCO and YouTube-VIS: the .json file; PerSeg, PNG and DAVIS: the folder')
    .option('--polygons', 'COCO: polygons instead of compressed RLE', false)
    .option('--semantic', 'PNG: one label per category instead of per instance', false)
    .option('--status <status>', `export annotations with this status (repeatable; ${ANNOTATION_STATUSES.join(', ')})`, parseStatus)
    .option('--category <name...>', 'only these categories')
    .action(action((projectDir: string, options: ExportCliOptions) => runExport(projectDir, options)))
}
