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
