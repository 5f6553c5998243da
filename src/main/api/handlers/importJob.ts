/**
 * One shape for every import into the open project (annotations, image folders, videos and frame
 * folders): an 'import' job that reports progress and stops on cancel, and, once rows are stored,
 * tells the renderer the project and its history changed. The project is the one open when the
 * import started, so closing or switching projects meanwhile cannot fail a finished import.
 */
import type { JobInfo } from '../../../common/ipc/types'
import type { Project } from '../../services/store/index'
import type { StudioContext } from '../context'
import { historyState } from '../dto'

export interface ImportJobIo {
  readonly signal: AbortSignal
  readonly onProgress: (progress: { readonly done: number; readonly total: number }) => void
}

export function startImportJob(context: StudioContext, label: string, importInto: (project: Project, io: ImportJobIo) => Promise<object>): JobInfo {
  const { project } = context.requireSession()
  const { events } = context.options
  return context.jobs.start({
    kind: 'import',
    label,
    total: 0,
    run: async (job): Promise<Record<string, unknown>> => {
      const report = await importInto(project, { signal: job.signal, onProgress: ({ done, total }) => job.progress(done, total) })
      events.emit('project:changed', context.summary())
      events.emit('history:changed', historyState(project))
      return { ...report }
    },
  })
}
