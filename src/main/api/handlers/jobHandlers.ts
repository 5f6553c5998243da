/** propagation:*, job:* and exchange:* channels: the background work. */
import path from 'node:path'
import type { ImportReport } from '../../../common/ipc/dto/job'
import { StudioError } from '../../../common/ipc/result'
import { importCoco } from '../../services/exchange/coco/cocoImport'
import { importDavis } from '../../services/exchange/davis/davisImport'
import { importImageFolder } from '../../services/exchange/folderImport'
import { importPerseg } from '../../services/exchange/perseg/persegImport'
import { exportProject } from '../../services/exchange/exportProject'
import { imagesInScope, referencesOf } from '../../services/propagation/propagationJob'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { startImportJob } from './importJob'

type JobChannels = 'propagation:start' | 'job:list' | 'job:cancel' | 'exchange:import' | 'exchange:export'

export function jobHandlers(context: StudioContext): Pick<Handlers, JobChannels> {
  return {
    'propagation:start': ({ categoryId, method, scope, maxInstances, absentThreshold, excludeImageIds }) => {
      const session = context.requireSession()
      const { project } = session
      // Refuse before anything is stored: a job record left behind would resume on the next open.
      context.jobs.assertIdle(context.propagationKey(session))
      project.categories.require(categoryId)
      if (referencesOf(project, categoryId).length === 0) {
        throw new StudioError('invalid-input', 'the category has no reference mask: mark the object and use it as reference first')
      }
      const imageIds = imagesInScope(project, categoryId, scope, excludeImageIds)
      if (imageIds.length === 0) throw new StudioError('invalid-input', 'no image is in scope (every image is reviewed, or a reference)')
      const job = project.runs.create({
        method,
        categoryId,
        referenceSetId: project.references.defaultSet(categoryId).id,
        params: { maxInstances, ...(absentThreshold !== undefined ? { absentThreshold } : {}) },
        modelId: context.models.state().activeModelId,
        imageIds,
      })
      return context.startPropagation(session, job)
    },
    'job:list': () => context.jobs.list(),
    'job:cancel': ({ jobId }) => context.jobs.cancel(jobId),
    'exchange:import': ({ format, path: source }) =>
      startImportJob(context, `Import ${format === 'folder' ? 'images' : format.toUpperCase()} from ${source}`, async (project, io): Promise<ImportReport> => {
        if (format === 'folder') return importImageFolder(project, path.resolve(source), io)
        if (format === 'coco') return importCoco(project, path.resolve(source), { ...io, imagesDir: project.imagesRoot })
        if (format === 'davis') return importDavis(project, path.resolve(source), io)
        return importPerseg(project, path.resolve(source), io)
      }),
    'exchange:export': ({ format, path: target, statuses, cocoSegmentation, pngMode, categoryIds }) => {
      const { project } = context.requireSession()
      return context.jobs.start({
        kind: 'export',
        label: `Export ${format === 'png' ? 'PNG masks' : format === 'youtube-vis' ? 'YouTube-VIS' : format.toUpperCase()} to ${target}`,
        total: 0,
        run: async (job): Promise<Record<string, unknown>> => {
          const report = await exportProject(project, {
            format,
            target,
            statuses,
            categoryIds,
            cocoSegmentation,
            pngMode,
            signal: job.signal,
            onProgress: ({ done, total }) => job.progress(done, total),
          })
          return { ...report }
        },
      })
    },
  }
}
