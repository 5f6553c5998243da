/**
 * `persam-studio import <project-folder> --coco FILE | --perseg DIR | --davis DIR | --video FILE | --frames DIR`:
 * brings annotations, or a video or frame folder as one sequence, into a project without the
 * studio, through the same importers as the studio's import. A folder without a project becomes
 * one (its images root: --images, else the COCO file's or video's folder, or the PerSeg, DAVIS or
 * frames folder). The import is all or nothing: a malformed file changes nothing and ends with one
 * line, `error: <file>: <what is wrong>`, and exit code 1.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import type { ImportReport } from '../common/ipc/types'
import { importCoco } from '../main/services/exchange/coco/cocoImport'
import { importDavis } from '../main/services/exchange/davis/davisImport'
import { importPerseg } from '../main/services/exchange/perseg/persegImport'
import { runSequenceImport, sequenceSource, type SequenceCliOptions } from './importSequence'
import { PROJECT_FILE, Project } from '../main/services/store/index'
import { createProgressBar } from './progress'

interface ImportCliOptions extends SequenceCliOptions {
  readonly coco?: string
  readonly perseg?: string
  readonly davis?: string
  readonly images?: string
}

/** `created`: the project is new; `createdDir`: so is its folder (removed again when the import fails). */
function openOrCreate(projectDir: string, imagesRoot: string): { project: Project; created: boolean; createdDir: boolean } {
  if (existsSync(path.join(projectDir, PROJECT_FILE))) return { project: Project.open(projectDir), created: false, createdDir: false }
  if (!existsSync(imagesRoot)) throw new Error(`${imagesRoot}: the images folder does not exist`)
  const createdDir = !existsSync(projectDir)
  mkdirSync(projectDir, { recursive: true })
  return { project: Project.create(projectDir, { imagesRoot: path.resolve(imagesRoot) }), created: true, createdDir }
}

export async function runImport(projectDir: string, options: ImportCliOptions): Promise<ImportReport | null> {
  const given = [options.coco, options.perseg, options.davis, options.video, options.frames].filter((value) => value !== undefined)
  if (given.length !== 1) throw new Error('give exactly one of --coco FILE, --perseg DIR, --davis DIR, --video FILE or --frames DIR')
  const source = path.resolve(given[0]!)
  if (!existsSync(source)) throw new Error(`${source} does not exist`)
  const imagesRoot = path.resolve(options.images ?? (options.coco || options.video ? path.dirname(source) : source))
  const sequence = sequenceSource(options)
  const { project, created, createdDir } = openOrCreate(path.resolve(projectDir), imagesRoot)
  let succeeded = false
  try {
    if (sequence) {
      await runSequenceImport(project, sequence, options, created)
      succeeded = true
      return null
    }
    const progress = createProgressBar(options.coco ? 'import coco' : options.davis ? 'import davis' : 'import perseg')
    const onProgress = ({ phase, done, total }: { phase: string; done: number; total: number }) => progress.update(done, total, phase)
    const report = options.coco
      ? await importCoco(project, source, { onProgress, imagesDir: options.images ? imagesRoot : project.imagesRoot })
      : options.davis
        ? await importDavis(project, source, { onProgress })
        : await importPerseg(project, source, { onProgress })
    const { images, annotations, categories } = report.imported
    progress.finish(`${created ? 'created the project and ' : ''}imported ${annotations} annotations, ${images} new images, ${categories} new categories into ${project.dir}`)
    for (const line of report.skipped) process.stderr.write(`skipped: ${line.where}: ${line.message}\n`)
    for (const line of report.duplicates) process.stderr.write(`duplicate: ${line.where}: ${line.message}\n`)
    succeeded = true
    return report
  } finally {
    project.close()
    // A project this command created for an import that failed would be an empty leftover.
    if (!succeeded && createdDir) rmSync(project.dir, { recursive: true, force: true })
  }
}

export function importCommand(): Command {
  return new Command('import')
    .description('import COCO JSON, a PerSeg or DAVIS folder, or a video or frame folder as a sequence into a project (created when the folder holds none)')
    .argument('<project-folder>', 'the project folder (holds project.sqlite)')
    .option('--coco <file.json>', 'a COCO instances file (polygons, RLE or compressed RLE)')
    .option('--perseg <dir>', 'a PerSeg-layout folder (Images/<object>/, Annotations/<object>/)')
    .option('--davis <dir>', 'a DAVIS-layout folder (JPEGImages/480p/<sequence>/, Annotations/480p/<sequence>/): one sequence per folder')
    .option('--images <dir>', 'where the images named by the COCO file are (default: the project\'s images folder)')
    .option('--video <file>', 'a video (mp4, mov, webm, mkv, ...): its frames are extracted next to it (<name>_frames/) and imported as one sequence')
    .option('--frames <dir>', 'a folder of frames, imported as one sequence in natural file-name order')
    .option('--fps <n>', 'with --video: extract at most N frames per second; with --frames: the frames\' rate (gives them timestamps)')
    .option('--every <n>', 'with --video: extract every Nth frame')
    .option('--name <name>', 'the sequence\'s name (default: the video\'s or folder\'s name)')
    .option('--frames-folder <dir>', 'with --video: where the extracted frames go (default: <video folder>/<video name>_frames)')
    .action(async (projectDir: string, options: ImportCliOptions) => {
      try {
        await runImport(projectDir, options)
      } catch (error) {
        // One line, the importer's own sentence: it names the file and the JSON path.
        process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}error: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exitCode = 1
      }
    })
}
