/** app:*, dialog:* and project:* channels. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { importNewProject } from '../../services/exchange/newProjectImport'
import { listBackups } from '../../services/store'
import { readAppInfo } from '../../services/system/appInfo'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { historyState } from '../dto'

type ProjectChannels =
  | 'app:info'
  | 'dialog:pickPath'
  | 'project:create'
  | 'project:open'
  | 'project:openDemo'
  | 'project:current'
  | 'project:recent'
  | 'project:close'
  | 'project:backups'
  | 'project:restore'

/** A new folder under the data folder's projects/, never an existing one. */
function freshProjectDir(dataDir: string, name: string): string {
  const base = path.join(dataDir, 'projects', name.replace(/[^\w .-]+/g, '_').trim() || 'project')
  let dir = base
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`
  return dir
}

export function projectHandlers(context: StudioContext): Pick<Handlers, ProjectChannels> {
  const { options } = context
  return {
    'app:info': () => readAppInfo(options.host),
    'dialog:pickPath': async ({ kind, title, defaultName }) => {
      if (!options.dialogs) return { path: null, supported: false }
      return { path: await options.dialogs.pickPath(kind, title, defaultName), supported: true }
    },
    'project:create': async ({ imagesRoot, projectDir, name, importAnnotations }) => {
      const dir = projectDir ?? freshProjectDir(options.dataDir, name ?? path.basename(path.resolve(imagesRoot)))
      const session = await context.createProject(dir, imagesRoot)
      const importJob = context.jobs.start({
        kind: 'import',
        label: importAnnotations ? `Import ${{ coco: 'COCO', perseg: 'PerSeg', davis: 'DAVIS' }[importAnnotations.format]} annotations and images from ${imagesRoot}` : `Import images from ${imagesRoot}`,
        total: 0,
        run: async (job) => {
          const common = { signal: job.signal, onProgress: ({ done, total }: { done: number; total: number }) => job.progress(done, total) }
          const report = await importNewProject(session.project, path.resolve(imagesRoot), importAnnotations, common)
          options.events.emit('project:changed', context.summary(session))
          options.events.emit('history:changed', historyState(session.project))
          return { ...report }
        },
      })
      return { project: context.summary(session)!, importJob }
    },
    'project:open': async ({ projectDir, readOnly }) => context.summary(await context.openProject(projectDir, false, readOnly ?? false))!,
    'project:openDemo': async ({ which }) => context.summary((await context.openDemo(which)).session)!,
    'project:current': () => context.summary(),
    'project:recent': () => context.recent.list(),
    'project:close': async () => {
      await context.closeProject()
      return null
    },
    'project:backups': ({ projectDir }) => listBackups(path.resolve(projectDir ?? context.requireSession().project.dir)),
    'project:restore': async ({ projectDir, backup }) => {
      const { session, previous } = await context.restoreProject(projectDir, backup)
      return { project: context.summary(session)!, previous }
    },
  }
}
