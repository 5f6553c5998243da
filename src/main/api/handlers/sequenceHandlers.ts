/** sequence:* channels: the project's frame sequences, their frames in order, tracking and the timeline. */
import { sequenceTimeline } from '../../services/sequence/sequenceFrames'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { SequenceTrackingHost } from '../sequenceTrackingHost'

type SequenceChannels = 'sequence:list' | 'sequence:frames' | 'sequence:track' | 'sequence:timeline'

export function sequenceHandlers(context: StudioContext): Pick<Handlers, SequenceChannels> {
  const tracking = new SequenceTrackingHost(context)
  return {
    'sequence:list': () => context.requireSession().project.sequences.list(),
    'sequence:frames': ({ sequenceId }) =>
      context
        .requireSession()
        .project.sequences.frames(sequenceId)
        .map(({ frameIndex, imageId, timestampMs }) => ({ frameIndex, imageId, timestampMs })),
    'sequence:track': ({ sequenceId, categoryId }) => {
      const session = context.requireSession()
      context.jobs.assertIdle(context.propagationKey(session))
      return tracking.start(session, sequenceId, categoryId)
    },
    'sequence:timeline': ({ sequenceId, categoryId }) => sequenceTimeline(context.requireSession().project, sequenceId, categoryId),
  }
}
