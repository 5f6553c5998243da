/** sequence:* channels: the project's frame sequences, their frames in order, and importing videos and frame folders as sequences. */
import path from 'node:path'
import { sampledFrameCount } from '../../../common/video/sampling'
import { importFrameFolder, importVideo } from '../../services/exchange/sequenceImport'
import { probeVideo } from '../../services/video/probe'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { historyState } from '../dto'

type SequenceChannels = 'sequence:list' | 'sequence:frames' | 'sequence:probe' | 'sequence:importVideo' | 'sequence:importFrames'

export function sequenceHandlers(context: StudioContext): Pick<Handlers, SequenceChannels> {
  const { events } = context.options
  const announce = (): void => {
    const { project } = context.requireSession()
    events.emit('project:changed', context.summary())
    events.emit('history:changed', historyState(project))
  }
  return {
    'sequence:list': () => context.requireSession().project.sequences.list(),
    'sequence:frames': ({ sequenceId }) =>
      context
        .requireSession()
        .project.sequences.frames(sequenceId)
        .map(({ frameIndex, imageId, timestampMs }) => ({ frameIndex, imageId, timestampMs })),
    'sequence:probe': async ({ path: file, sampling }) => {
      const { startSeconds: _start, ...probe } = await probeVideo(file)
      return { ...probe, framesToExtract: sampledFrameCount(probe.frameCount, probe.fps, sampling) }
    },
    'sequence:importVideo': ({ path: file, name, sampling, framesFolder }) => {
      const { project } = context.requireSession()
      return context.jobs.start({
        kind: 'import',
        label: `Import video ${path.basename(file)}`,
        total: 0,
        run: async (job): Promise<Record<string, unknown>> => {
          const report = await importVideo(project, file, {
            name,
            sampling,
            framesFolder,
            signal: job.signal,
            // Extraction is the long part; probing the written frames is reported as a second pass.
            onProgress: ({ done, total }) => job.progress(done, total),
          })
          announce()
          return { ...report }
        },
      })
    },
    'sequence:importFrames': ({ folder, name, fps }) => {
      const { project } = context.requireSession()
      return context.jobs.start({
        kind: 'import',
        label: `Import frames from ${folder}`,
        total: 0,
        run: async (job): Promise<Record<string, unknown>> => {
          const report = await importFrameFolder(project, folder, { name, fps, signal: job.signal, onProgress: ({ done, total }) => job.progress(done, total) })
          announce()
          return { ...report }
        },
      })
    },
  }
}
