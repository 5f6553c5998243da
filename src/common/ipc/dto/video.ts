/** Video import as the renderer sees it: what a video holds, and how its frames are sampled. */

/** Which frames of a video become a sequence: every frame, at most `fps` frames per second, or every Nth frame. */
export type FrameSampling = 'native' | { readonly fps: number } | { readonly everyNth: number }

export interface VideoProbeInfo {
  readonly path: string
  /** Container and codec, e.g. "mov,mp4,m4a,3gp,3g2,mj2" and "h264". */
  readonly container: string
  readonly codec: string
  readonly durationMs: number
  /** Average frames per second (29.97 for NTSC video). */
  readonly fps: number
  /** Frame size as shown, after the rotation is applied. */
  readonly width: number
  readonly height: number
  /** Clockwise rotation the player applies (0, 90, 180, 270). */
  readonly rotation: number
  readonly frameCount: number
  /** Frames the chosen sampling keeps (exact except for a chosen fps on a variable-frame-rate video, where it estimates). */
  readonly framesToExtract: number
}
