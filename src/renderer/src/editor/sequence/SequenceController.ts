/**
 * The sequence view's controller: which sequence and category are open, the timeline (one state
 * per frame, read from the core), the frame on the canvas, playback, and tracking. The canvas
 * shows the current frame through the editor's own open image, so the masks, tools and review
 * actions are the ones every image has; a correction there makes the core re-run the spans it
 * bounds, and the timeline is read again as its results land.
 */
import type { SequenceInfo, TimelineFrame } from '../../../../common/ipc/dto/sequence'
import type { JobInfo } from '../../../../common/ipc/types'
import { coalesced } from '../coalesce'
import type { Editor } from '../Editor'
import { Store } from '../store'
import { frameAtPosition, nextFlagged, nextToReview, playbackFrame, startPlayback, stepFrame, type Playback } from './timeline'

export interface SequenceViewState {
  /** The project's sequences; null until read. */
  readonly sequences: readonly SequenceInfo[] | null
  readonly sequence: SequenceInfo | null
  readonly categoryId: number | null
  readonly frames: readonly TimelineFrame[]
  /** Index of the frame on the canvas (in `frames`). */
  readonly current: number
  readonly playing: boolean
  /** The newest tracking job of the open sequence and category. */
  readonly trackingJobId: string | null
}

export interface PlaybackTimer {
  now(): number
  every(ms: number, tick: () => void): () => void
}

const realTimer: PlaybackTimer = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const handle = setInterval(tick, ms)
    return () => clearInterval(handle)
  },
}

const INITIAL: SequenceViewState = { sequences: null, sequence: null, categoryId: null, frames: [], current: 0, playing: false, trackingJobId: null }

export class SequenceController {
  readonly store = new Store<SequenceViewState>(INITIAL)
  private playback: Playback | null = null
  private stopTimer: (() => void) | null = null
  private projectDir: string | null = null

  constructor(
    private readonly editor: Editor,
    private readonly timer: PlaybackTimer = realTimer,
  ) {}

  get state(): SequenceViewState {
    return this.store.get()
  }

  private set(change: Partial<SequenceViewState>): void {
    this.store.update((state) => ({ ...state, ...change }))
  }

  /** Listens to the core: frames whose annotations change, and tracking jobs of the open sequence. */
  attach(): () => void {
    const { api } = this.editor
    const unsubscribers = [
      api.on('annotation:changed', ({ imageIds }) => {
        if (this.state.frames.some((frame) => imageIds.includes(frame.imageId))) void this.reloadTimeline()
      }),
      api.on('sequence:tracking', ({ sequenceId, categoryId, jobId }) => {
        if (sequenceId === this.state.sequence?.id && categoryId === this.state.categoryId) this.set({ trackingJobId: jobId })
      }),
      api.on('project:changed', (project) => {
        // Another project: its sequences are others. The same one (an import added a sequence): read the list again.
        if (project?.projectDir !== this.projectDir) {
          this.close()
          this.set({ sequences: null })
        }
        this.projectDir = project?.projectDir ?? null
        if (project) void this.loadSequences()
      }),
    ]
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe())
  }

  async loadSequences(): Promise<void> {
    if (!this.editor.doc.project) return
    this.projectDir ??= this.editor.doc.project.projectDir
    const sequences = await this.editor.attempt('Reading the sequences', () => this.editor.api.call('sequence:list', {}))
    if (sequences) this.set({ sequences })
  }

  async open(sequenceId: number): Promise<void> {
    const sequence = this.state.sequences?.find((s) => s.id === sequenceId) ?? null
    if (!sequence) return
    this.pause()
    const categoryId = this.state.categoryId ?? this.editor.session.activeCategoryId ?? this.editor.doc.categories[0]?.id ?? null
    this.set({ sequence, categoryId, frames: [], current: 0, trackingJobId: null })
    await this.reloadTimeline()
    await this.goTo(0)
  }

  close(): void {
    this.pause()
    this.set({ sequence: null, frames: [], current: 0, trackingJobId: null })
  }

  async setCategory(categoryId: number): Promise<void> {
    this.set({ categoryId, trackingJobId: null })
    await this.reloadTimeline()
  }

  /** Reads the timeline again; bursts (one event per stored frame) collapse into a few reads. */
  readonly reloadTimeline = coalesced(async () => {
    const { sequence, categoryId } = this.state
    if (!sequence || categoryId === null) return
    const frames = await this.editor.attempt('Reading the timeline', () => this.editor.api.call('sequence:timeline', { sequenceId: sequence.id, categoryId }))
    if (frames && this.state.sequence?.id === sequence.id && this.state.categoryId === categoryId) this.set({ frames })
  })

  /** Shows frame `index` on the canvas. */
  async goTo(index: number): Promise<void> {
    const { frames } = this.state
    if (frames.length === 0) return
    const target = stepFrame(index, 0, frames.length)
    this.set({ current: target })
    if (this.editor.doc.image?.image.id !== frames[target]!.imageId) await this.editor.documents.openImage(frames[target]!.imageId)
  }

  step(delta: number): Promise<void> {
    this.pause()
    return this.goTo(stepFrame(this.state.current, delta, this.state.frames.length))
  }

  /** Scrubbing: the frame under the pointer at `x` on a strip `width` wide. */
  scrubTo(x: number, width: number): Promise<void> {
    this.pause()
    return this.goTo(frameAtPosition(x, width, this.state.frames.length))
  }

  async nextFlagged(): Promise<boolean> {
    this.pause()
    const next = nextFlagged(this.state.frames, this.state.current)
    if (next === null) {
      this.editor.notify('info', 'No flagged frame in this sequence.', { key: 'sequence-flagged' })
      return false
    }
    await this.goTo(next)
    return true
  }

  /** Review in frame order: accept or reject the current frame's proposals, then go to the next frame that has some. */
  async decide(action: 'accept' | 'reject'): Promise<void> {
    this.pause()
    const detail = this.editor.doc.image
    const proposals = detail?.annotations.filter((a) => a.status === 'proposed' && a.categoryId === this.state.categoryId) ?? []
    for (const proposal of proposals) await this.editor.annotations.review(proposal.id, action)
    await this.reloadTimeline()
    const next = nextToReview(this.state.frames, this.state.current)
    if (next !== null && next > this.state.current) await this.goTo(next)
  }

  play(): void {
    const { frames, current, sequence } = this.state
    if (frames.length < 2 || this.state.playing) return
    this.playback = startPlayback(current, frames.length, this.timer.now(), sequence?.fps ?? null)
    this.set({ playing: true })
    this.stopTimer = this.timer.every(1000 / this.playback.fps, () => this.tick())
    void this.goTo(this.playback.startFrame)
  }

  pause(): void {
    this.stopTimer?.()
    this.stopTimer = null
    this.playback = null
    if (this.state.playing) this.set({ playing: false })
  }

  togglePlay(): void {
    if (this.state.playing) this.pause()
    else this.play()
  }

  private tick(): void {
    if (!this.playback) return
    const { frame, ended } = playbackFrame(this.playback, this.timer.now(), this.state.frames.length)
    if (frame !== this.state.current) void this.goTo(frame)
    if (ended) this.pause()
  }

  async track(): Promise<JobInfo | undefined> {
    const { sequence, categoryId } = this.state
    if (!sequence || categoryId === null) return undefined
    const job = await this.editor.attempt('Tracking the sequence', () => this.editor.api.call('sequence:track', { sequenceId: sequence.id, categoryId }))
    if (job) {
      this.editor.jobs.track(job)
      this.set({ trackingJobId: job.id })
    }
    return job
  }

  /** The tracking job's latest report, while it runs or after. */
  trackingJob(): JobInfo | null {
    return this.editor.jobs.byId(this.state.trackingJobId)
  }
}
