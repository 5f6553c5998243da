import { describe, expect, it } from 'vitest'
import type { RequestOf, ResponseOf, InvokeChannel } from '../../../src/common/ipc/contract'
import type { SequenceInfo, TimelineFrame, TimelineState } from '../../../src/common/ipc/dto/sequence'
import { SequenceController, type PlaybackTimer } from '../../../src/renderer/src/editor/sequence/SequenceController'
import { frameAtPosition, nextFlagged, nextToReview, playbackFrame, startPlayback, stepFrame } from '../../../src/renderer/src/editor/sequence/timeline'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

const frames = (states: TimelineState[]): TimelineFrame[] => states.map((state, i) => ({ frameIndex: i, imageId: i + 1, state, confidence: state === 'none' ? null : 0.5, reason: null }))

describe('timeline state machines', () => {
  it('scrub maps a pointer position to a frame, clamped past the ends', () => {
    expect(frameAtPosition(0, 200, 10)).toBe(0)
    expect(frameAtPosition(59, 200, 10)).toBe(2)
    expect(frameAtPosition(199, 200, 10)).toBe(9)
    expect(frameAtPosition(250, 200, 10)).toBe(9)
    expect(frameAtPosition(-30, 200, 10)).toBe(0)
  })

  it('frame steps stay inside the sequence', () => {
    expect(stepFrame(0, -1, 5)).toBe(0)
    expect(stepFrame(3, 1, 5)).toBe(4)
    expect(stepFrame(4, 1, 5)).toBe(4)
  })

  it('next flagged goes forward and wraps; review goes to the next undecided frame in frame order', () => {
    const strip = frames(['keyframe', 'proposed', 'flagged', 'accepted', 'absent', 'flagged', 'proposed'])
    expect(nextFlagged(strip, 0)).toBe(2)
    expect(nextFlagged(strip, 2)).toBe(5)
    expect(nextFlagged(strip, 5)).toBe(2)
    expect(nextFlagged(frames(['keyframe', 'flagged']), 1)).toBeNull()
    expect(nextToReview(strip, 2)).toBe(5)
    expect(nextToReview(strip, 5)).toBe(6)
  })

  it('playback advances at the fps and stops on the last frame; play on the last frame starts over', () => {
    const playback = startPlayback(2, 10, 1000, 4)
    expect(playbackFrame(playback, 1000, 10)).toEqual({ frame: 2, ended: false })
    expect(playbackFrame(playback, 1500, 10)).toEqual({ frame: 4, ended: false })
    expect(playbackFrame(playback, 9000, 10)).toEqual({ frame: 9, ended: true })
    expect(startPlayback(9, 10, 0, null)).toEqual({ startFrame: 0, startedAt: 0, fps: 10 })
  })
})

/** FakeStudio plus one sequence over its five images, with a timeline the test sets. */
class SequenceStudio extends FakeStudio {
  timeline = frames(['keyframe', 'proposed', 'flagged', 'proposed', 'flagged'])
  readonly sequence: SequenceInfo = { id: 7, name: 'walk', source: 'frames', sourcePath: null, fps: 5, frameCount: 5, createdAt: 0 }

  override call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (channel === 'sequence:list') return Promise.resolve([this.sequence] as ResponseOf<C>)
    if (channel === 'sequence:timeline') return Promise.resolve(this.timeline as ResponseOf<C>)
    return super.call(channel, request)
  }
}

class ManualTimer implements PlaybackTimer {
  time = 0
  tick: (() => void) | null = null
  now = () => this.time
  every(_ms: number, tick: () => void) {
    this.tick = tick
    return () => {
      this.tick = null
    }
  }
}

async function openSequence(): Promise<{ editor: TestEditor; studio: SequenceStudio; controller: SequenceController; timer: ManualTimer }> {
  const studio = new SequenceStudio()
  const editor = await TestEditor.withDemo(studio)
  const timer = new ManualTimer()
  const controller = new SequenceController(editor, timer)
  controller.attach()
  await controller.loadSequences()
  await controller.open(7)
  return { editor, studio, controller, timer }
}

describe('the sequence controller', () => {
  it('opens on frame 0, scrubs, steps with , and ., and jumps to the next flagged frame', async () => {
    const { editor, controller } = await openSequence()
    expect(controller.state.frames.map((f) => f.state)).toEqual(['keyframe', 'proposed', 'flagged', 'proposed', 'flagged'])
    expect(editor.doc.image?.image.id).toBe(1)
    await controller.scrubTo(70, 100)
    expect(controller.state.current).toBe(3)
    expect(editor.doc.image?.image.id).toBe(4)
    expect(await controller.nextFlagged()).toBe(true)
    expect(editor.doc.image?.image.id).toBe(5)
  })

  it('the keys , . and N step and jump through the editor\'s own sequence view', async () => {
    const studio = new SequenceStudio()
    const editor = await TestEditor.withDemo(studio)
    editor.sequence.attach()
    await editor.sequence.loadSequences()
    await editor.sequence.open(7)
    expect(editor.press(',')).toBe(true)
    await editor.whenIdle()
    expect(editor.sequence.state.current).toBe(0)
    editor.press('.')
    await editor.whenIdle()
    expect(editor.sequence.state.current).toBe(1)
    editor.press('N')
    await editor.whenIdle()
    expect(editor.sequence.state.current).toBe(2)
    expect(editor.doc.image?.image.id).toBe(3)
  })

  it('plays at the sequence fps and stops at the end', async () => {
    const { editor, controller, timer } = await openSequence()
    controller.play()
    expect(controller.state.playing).toBe(true)
    timer.time = 400 // 5 fps: two frames later
    timer.tick!()
    await editor.whenIdle()
    expect(controller.state.current).toBe(2)
    timer.time = 5000
    timer.tick!()
    expect(controller.state.playing).toBe(false)
    expect(controller.state.current).toBe(4)
  })

  it('reads the timeline again when a frame changes and follows the tracking job the core announces', async () => {
    const { studio, controller } = await openSequence()
    studio.timeline = frames(['keyframe', 'proposed', 'keyframe', 'proposed', 'absent'])
    studio.emit('sequence:tracking', { sequenceId: 7, categoryId: 1, jobId: 'job-9' })
    studio.emit('annotation:changed', { imageIds: [3], reason: 'tracking' })
    await controller.reloadTimeline()
    expect(controller.state.frames.map((f) => f.state)).toEqual(['keyframe', 'proposed', 'keyframe', 'proposed', 'absent'])
    expect(controller.state.trackingJobId).toBe('job-9')
    // Another sequence's job is not this one's.
    studio.emit('sequence:tracking', { sequenceId: 8, categoryId: 1, jobId: 'job-10' })
    expect(controller.state.trackingJobId).toBe('job-9')
  })

  it('reviews in frame order: accepting the frame\'s proposals moves to the next frame that has some', async () => {
    const { studio, controller, editor } = await openSequence()
    const proposal = studio.addAnnotation({ imageId: 2, categoryId: 1, status: 'proposed', box: { x0: 10, y0: 10, x1: 40, y1: 40 } })
    await controller.goTo(1)
    studio.timeline = frames(['keyframe', 'accepted', 'flagged', 'proposed', 'flagged'])
    await controller.decide('accept')
    expect(studio.annotations.get(proposal.id)?.status).toBe('accepted')
    expect(controller.state.current).toBe(2)
    expect(editor.doc.image?.image.id).toBe(3)
  })

  it('keeps the open sequence when its project announces a change (an import), and closes it for another project', async () => {
    const { studio, controller } = await openSequence()
    studio.emit('project:changed', { ...studio.project!, imageCount: 40 })
    await controller.loadSequences()
    expect(controller.state.sequence?.id).toBe(7)
    studio.emit('project:changed', { ...studio.project!, projectDir: '/projects/other' })
    expect(controller.state.sequence).toBeNull()
    expect(controller.state.frames).toEqual([])
  })
})
