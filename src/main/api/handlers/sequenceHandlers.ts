/** sequence:* channels: the project's frame sequences and their frames in order. */
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'

type SequenceChannels = 'sequence:list' | 'sequence:frames'

export function sequenceHandlers(context: StudioContext): Pick<Handlers, SequenceChannels> {
  return {
    'sequence:list': () => context.requireSession().project.sequences.list(),
    'sequence:frames': ({ sequenceId }) =>
      context
        .requireSession()
        .project.sequences.frames(sequenceId)
        .map(({ frameIndex, imageId, timestampMs }) => ({ frameIndex, imageId, timestampMs })),
  }
}
