/** sequence:* channels: the project's frame sequences, their frames in order, importing videos and frame folders as sequences, tracking and the timeline. */
import path from 'node:path'
import { sampledFrameCount } from '../../../common/video/sampling'
import { importFrameFolder, importVideo } from '../../services/exchange/sequenceImport'
import { sequenceTimeline } from '../../services/sequence/sequenceFrames'
import { probeVideo } from '../../services/video/probe'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { SequenceTrackingHost } from '../sequenceTrackingHost'
import { startImportJob } from './importJob'

type SequenceChannels = 'sequence:list' | 'sequence:frames' | 'sequence:probe' | 'sequence:importVideo' | 'sequence:importFrames' | 'sequence:track' | 'sequence:timeline'

export function sequenceHandlers(context: StudioContext): Pick<Handlers, SequenceChannels> {
  const tracking = new SequenceTrackingHost(context)
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
    'sequence:importVideo': ({ path: file, name, sampling, framesFolder }) =>
      // Extraction is the long part; probing the written frames is reported as a second pass.
      startImportJob(context, `Import video ${path.basename(file)}`, (project, io) => importVideo(project, file, { name, sampling, framesFolder, ...io })),
    'sequence:importFrames': ({ folder, name, fps }) =>
      startImportJob(context, `Import frames from ${folder}`, (project, io) => importFrameFolder(project, folder, { name, fps, ...io })),
    'sequence:track': ({ sequenceId, categoryId }) => {
      const session = context.requireSession()
      context.jobs.assertIdle(context.propagationKey(session))
      return tracking.start(session, sequenceId, categoryId)
    },
    'sequence:timeline': ({ sequenceId, categoryId }) => sequenceTimeline(context.requireSession().project, sequenceId, categoryId),
  }
}
