/**
 * Frame-sequence tracking's own work per frame, beyond the model runs (targets: < 10 ms at
 * 854x480, < 30 ms at 3840x2160). The decoder is a recorded-replies port that hands back
 * prebuilt results (the object's mask at the runtime's mask size), and the time spent inside it
 * is subtracted too, so what remains is the location map, the peak search, the prompts, the mask
 * bookkeeping, the confidence and the drift checks.
 */
import { prepareTarget } from '../src/common/persam/target'
import { trackSpan } from '../src/common/persam/trackSpan'
import { maskExtents } from '../src/common/sam/postprocess'
import { maskOutputSize, resizeLongestSide, SAM_CANVAS } from '../src/common/sam/geometry'
import { resultForRequest, type DecodeResult, type ImageEmbedding, type SamDecoderPort } from '../src/common/sam/port'
import { Random } from '../src/common/synthetic/random'
import type { BinaryMask } from '../src/common/mask'
import { distribution, round, type Benchmark, type Row } from './lib/harness'

const FRAMES = 12
const ITERATIONS = 5

function ellipse(width: number, height: number): BinaryMask {
  const data = new Uint8Array(width * height)
  const cx = width * 0.45
  const cy = height * 0.5
  const rx = width * 0.12
  const ry = height * 0.18
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1) data[y * width + x] = 1
  return { width, height, data }
}

/** Random cell features, the object's cells pulled towards one direction (so the map has a clear peak). */
function embedding(width: number, height: number, object: BinaryMask): ImageEmbedding {
  const geometry = resizeLongestSide(width, height)
  const random = new Random(5)
  const data = new Float32Array(256 * 4096)
  for (let i = 0; i < data.length; i++) data[i] = random.next() - 0.5
  for (let r = 0; r < 64; r++) {
    for (let c = 0; c < 64; c++) {
      const x = Math.floor((((c + 0.5) * 16) / geometry.resizedWidth) * width)
      const y = Math.floor((((r + 0.5) * 16) / geometry.resizedHeight) * height)
      if (x < width && y < height && object.data[y * width + x]) data[r * 64 + c] = 3
    }
  }
  return { modelId: 'bench', imageKey: `${width}x${height}`, data, geometry }
}

function recordedPort(width: number, height: number): { port: SamDecoderPort; elapsed: () => number } {
  const out = maskOutputSize(width, height, SAM_CANVAS * SAM_CANVAS)
  const mask = ellipse(out.width, out.height)
  const plane = out.width * out.height
  const logits = new Float32Array(4 * plane)
  const binaryMasks = new Uint8Array(4 * plane)
  for (let k = 0; k < 4; k++) for (let i = 0; i < plane; i++) {
    logits[k * plane + i] = mask.data[i] ? 10 : -10
    binaryMasks[k * plane + i] = mask.data[i]!
  }
  const common = { maskCount: 4, extents: maskExtents(logits, 4, out.width, out.height), outputSize: out, iouPredictions: Float32Array.of(0.5, 0.9, 0.8, 0.7), lowResLogits: new Float32Array(4 * 65536), fullSizeMasks: [], fused: null }
  let spent = 0
  const port: SamDecoderPort = {
    capabilities: { maskCount: 4, persamInputs: false },
    async decode(request) {
      const start = performance.now()
      const reply: DecodeResult = request.maskOutput === 'binary' ? { ...common, maskOutput: 'binary', binaryMasks } : { ...common, maskOutput: 'none' }
      const result = resultForRequest(request, reply)
      spent += performance.now() - start
      return result
    },
  }
  return { port, elapsed: () => spent }
}

const benchmark: Benchmark = {
  name: 'tracking',
  description: "frame-sequence tracking's own work per frame (model runs replaced by recorded replies and subtracted)",
  async run() {
    const rows: Row[] = []
    const figures: Record<string, unknown> = { frames: FRAMES, iterations: ITERATIONS }
    for (const [width, height, target] of [
      [854, 480, '< 10 ms'],
      [3840, 2160, '< 30 ms'],
    ] as const) {
      const keyframeMask = ellipse(width, height)
      const frame = embedding(width, height, keyframeMask)
      const { port, elapsed } = recordedPort(width, height)
      const prepared = await prepareTarget([{ embedding: frame, mask: keyframeMask }], 'persam', port)
      for (const [label, recheckEvery] of [
        ['local step only, 3 decoder calls', 0],
        ['default: every 4th frame also searched globally', 4],
      ] as const) {
        const samples: number[] = []
        for (let iteration = 0; iteration < ITERATIONS + 1; iteration++) {
          const portBefore = elapsed()
          const start = performance.now()
          const frames = await trackSpan({ target: prepared, decoder: port, embed: async () => frame, keyframe: 0, keyframeMask, direction: 1, stop: FRAMES + 1, options: { recheckEvery } })
          const total = performance.now() - start - (elapsed() - portBefore)
          if (frames.some((f) => f.state !== 'proposed')) throw new Error(`the bench object was lost: ${frames.map((f) => f.state).join(',')}`)
          if (iteration > 0) samples.push(total / FRAMES)
        }
        const d = distribution(samples)
        figures[`${width}x${height} ${label}`] = { perFrameMs: d, target }
        rows.push({ measurement: `${width}x${height}, ${label}`, p50_ms: round(d.p50, 2), min_ms: round(d.min, 2), max_ms: round(d.max, 2), target })
      }
    }
    return { rows, figures }
  },
}

export default benchmark
