/**
 * A scripted world for tracking tests (no model): 64x64 frames where one embedding cell is one
 * pixel. Objects are rectangles whose cells carry a feature direction (their "look"); the decoder
 * returns the rectangle under the first positive point that hits one, else the one the box
 * overlaps most, else a 3x3 blob of background around the first point.
 */
import { resultForRequest, type DecodeRequest, type ImageEmbedding, type MaskPayload, type SamDecoderPort } from '../../../src/common/sam/port'
import { maskExtents } from '../../../src/common/sam/postprocess'
import type { BinaryMask } from '../../../src/common/mask'

export const SIZE = 64
const BACKGROUND_LOOK = 9

export interface Rect {
  readonly x0: number
  readonly y0: number
  /** Exclusive. */
  readonly x1: number
  readonly y1: number
  /** Feature direction of its cells: equal looks are indistinguishable. */
  readonly look: number
  /** Share of the background direction mixed into its cells (a look-alike that is not quite the same). */
  readonly mix?: number
}

export type WorldFrame = readonly Rect[]

export function rect(x0: number, y0: number, size: number, look = 0): Rect {
  return { x0, y0, x1: x0 + size, y1: y0 + size, look }
}

export function rectMask(r: Rect | null): BinaryMask {
  const data = new Uint8Array(SIZE * SIZE)
  if (r) for (let y = Math.max(0, r.y0); y < Math.min(SIZE, r.y1); y++) for (let x = Math.max(0, r.x0); x < Math.min(SIZE, r.x1); x++) data[y * SIZE + x] = 1
  return { width: SIZE, height: SIZE, data }
}

export function worldEmbedding(frames: readonly WorldFrame[], index: number): ImageEmbedding {
  const data = new Float32Array(256 * 4096)
  for (let cell = 0; cell < 4096; cell++) {
    const y = Math.floor(cell / 64)
    const x = cell % 64
    const hit = frames[index]!.find((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)
    data[(hit ? hit.look : BACKGROUND_LOOK) * 4096 + cell] = 1
    if (hit?.mix) data[BACKGROUND_LOOK * 4096 + cell] = hit.mix
  }
  return { modelId: 'world', imageKey: `frame-${index}`, data, geometry: { originalWidth: SIZE, originalHeight: SIZE, resizedWidth: 1024, resizedHeight: 1024 } }
}

const inside = (r: Rect, x: number, y: number): boolean => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1

export function worldDecoder(frames: readonly WorldFrame[], override?: (frame: number, request: DecodeRequest) => BinaryMask | null) {
  const requests: { frame: number; request: DecodeRequest }[] = []
  const decoder: SamDecoderPort = {
    capabilities: { maskCount: 4, persamInputs: false },
    async decode(request) {
      const frame = Number(request.embedding.imageKey.slice('frame-'.length))
      requests.push({ frame, request })
      const rects = frames[frame]!
      let chosen: BinaryMask | null = override?.(frame, request) ?? null
      if (!chosen) {
        const positive = request.points.filter((p) => p.label === 1)
        const hit = positive.map((p) => rects.find((r) => inside(r, p.x, p.y))).find((r) => r !== undefined)
        const box = request.box
        const overlap = (r: Rect): number =>
          box ? Math.max(0, Math.min(r.x1, box.x1 + 1) - Math.max(r.x0, box.x0)) * Math.max(0, Math.min(r.y1, box.y1 + 1) - Math.max(r.y0, box.y0)) : 0
        const boxed = [...rects].sort((a, b) => overlap(b) - overlap(a))[0]
        const p = positive[0] ?? request.points[0]!
        const blob = { x0: Math.round(p.x) - 1, y0: Math.round(p.y) - 1, x1: Math.round(p.x) + 2, y1: Math.round(p.y) + 2, look: BACKGROUND_LOOK }
        chosen = rectMask(hit ?? (boxed && overlap(boxed) > 0 ? boxed : blob))
      }
      const plane = SIZE * SIZE
      const masks = new Float32Array(4 * plane)
      for (let k = 0; k < 4; k++) for (let i = 0; i < plane; i++) masks[k * plane + i] = chosen.data[i] ? 10 : -10
      const output = request.maskOutput ?? 'logits'
      if (output === 'rle') throw new Error('the world decoder does not encode RLE')
      const payload: MaskPayload =
        output === 'logits' ? { maskOutput: 'logits', masks } : output === 'binary' ? { maskOutput: 'binary', binaryMasks: Uint8Array.from(masks, (v) => (v > 0 ? 1 : 0)) } : { maskOutput: 'none' }
      return resultForRequest(request, {
        ...payload,
        maskCount: 4,
        extents: maskExtents(masks, 4, SIZE, SIZE),
        outputSize: { width: SIZE, height: SIZE },
        iouPredictions: Float32Array.of(0.5, 0.6, 0.9, 0.7),
        lowResLogits: new Float32Array(4 * 65536),
        fullSizeMasks: [],
        fused: null,
      })
    },
  }
  return { decoder, requests }
}
