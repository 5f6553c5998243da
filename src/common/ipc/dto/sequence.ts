/** Frame sequences as the renderer sees them (a video's frames or a frame folder, in order). */
export type SequenceSource = 'video' | 'frames'

export interface SequenceInfo {
  readonly id: number
  readonly name: string
  readonly source: SequenceSource
  readonly sourcePath: string | null
  /** Frames per second of the stored frames (after sampling), when known. */
  readonly fps: number | null
  readonly frameCount: number
  readonly createdAt: number
}

export interface SequenceFrameInfo {
  readonly frameIndex: number
  readonly imageId: number
  /** Time of the frame in the source video, when known. */
  readonly timestampMs: number | null
}

/**
 * A frame's state on the timeline for one category: a keyframe (a reference or a mask a person
 * made or corrected), a tracking proposal (flagged when the track is unsure), accepted, absent,
 * or nothing yet.
 */
export type TimelineState = 'keyframe' | 'proposed' | 'accepted' | 'flagged' | 'absent' | 'none'

export interface TimelineFrame {
  readonly frameIndex: number
  readonly imageId: number
  readonly state: TimelineState
  /** The frame's (least) confidence; 1 for a keyframe, null when nothing says. */
  readonly confidence: number | null
  /** Why tracking flagged the frame, for a flagged frame. */
  readonly reason: string | null
}

/** A tracking job started on a sequence (after a request or a correction on one of its frames). */
export interface SequenceTrackingEvent {
  readonly sequenceId: number
  readonly categoryId: number
  readonly jobId: string
}
