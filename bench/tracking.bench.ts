/**
 * Frame-sequence tracking's own work per frame, beyond the model runs (targets: < 10 ms at
 * 854x480, < 30 ms at 3840x2160). The decoder is a recorded-replies port that hands back
 * prebuilt results (the object's mask at the runtime's mask size), and the time spent inside it
 * is subtracted too, so what remains is the location map, the peak search, the prompts, the mask
 * bookkeeping, the confidence and the drift checks. Two floors are measured in the same run, so
 * the figures can be read on a loaded machine: one pass over the frame's pixels (counting a
 * frame-size mask) and one pass over the embedding (summing its 256x64x64 values; every location
 * map reads the whole embedding once). The load average is recorded at the start and the end.
 */
import os from 'node:os'
import { prepareTarget } from '../src/common/persam/target'
import { trackSpan } from '../src/common/persam/trackSpan'
import { maskExtents } from '../src/common/sam/postprocess'
import { maskOutputSize, resizeLongestSide, SAM_CANVAS } from '../src/common/sam/geometry'
import { resultForRequest, type DecodeResult, type ImageEmbedding, type SamDecoderPort } from '../src/common/sam/port'
import { Random } from '../src/common/synthetic/random'
import type { BinaryMask } from '../src/common/mask'
import { distribution, round, timeCalls, type Benchmark, type Row } from './lib/harness'

const FRAMES = 16
const ITERATIONS = 8

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

const SIZES = [
  [854, 480, '< 10 ms'],
  [3840, 2160, '< 30 ms'],
] as const

const CONFIGS = [
  ['local step only, 3 decoder calls', 0],
  ['default: every 8th frame also searched globally', 8],
] as const

function setUp(width: number, height: number) {
  const keyframeMask = ellipse(width, height)
  const frame = embedding(width, height, keyframeMask)
  return { keyframeMask, frame, ...recordedPort(width, height) }
}

/** Tracking's own milliseconds per frame over one span of FRAMES frames, the port's time subtracted. */
async function spanPerFrame(setup: ReturnType<typeof setUp>, target: Awaited<ReturnType<typeof prepareTarget>>, recheckEvery: number): Promise<number> {
  const portBefore = setup.elapsed()
  const start = performance.now()
  const frames = await trackSpan({ target, decoder: setup.port, embed: async () => setup.frame, keyframe: 0, keyframeMask: setup.keyframeMask, direction: 1, stop: FRAMES + 1, options: { recheckEvery } })
  const total = performance.now() - start - (setup.elapsed() - portBefore)
  if (frames.some((f) => f.state !== 'proposed')) throw new Error(`the bench object was lost: ${frames.map((f) => f.state).join(',')}`)
  return total / FRAMES
}

const benchmark: Benchmark = {
  name: 'tracking',
  description: "frame-sequence tracking's own work per frame (model runs replaced by recorded replies and subtracted)",
  async run() {
    const rows: Row[] = []
    const figures: Record<string, unknown> = { frames: FRAMES, iterations: ITERATIONS, loadAverageAtStart: os.loadavg().map((v) => round(v, 2)) }
    const setups = await Promise.all(
      SIZES.map(async ([width, height]) => {
        const setup = setUp(width, height)
        const target = await prepareTarget([{ embedding: setup.frame, mask: setup.keyframeMask }], 'persam', setup.port)
        return { setup, target }
      }),
    )
    // Warm every path at every size first, so the first size measured does not pay for the JIT.
    for (const { setup, target } of setups) for (const [, recheckEvery] of CONFIGS) await spanPerFrame(setup, target, recheckEvery)
    for (const [i, [width, height, goal]] of SIZES.entries()) {
      const { setup, target } = setups[i]!
      const frameMask = new Uint8Array(width * height).fill(1, 0, (width * height) >> 1)
      const framePass = await timeCalls(() => {
        let count = 0
        for (let p = 0; p < frameMask.length; p++) count += frameMask[p]!
        return count
      }, { iterations: 20 })
      const embeddingPass = await timeCalls(() => {
        const data = setup.frame.data
        let sum = 0
        for (let p = 0; p < data.length; p++) sum += data[p]!
        return sum
      }, { iterations: 20 })
      figures[`${width}x${height} floors`] = { framePassMs: framePass, embeddingPassMs: embeddingPass }
      rows.push({ measurement: `${width}x${height}, floor: one pass over the frame's pixels`, p50_ms: round(framePass.p50, 2), min_ms: round(framePass.min, 2), max_ms: round(framePass.max, 2), target: '' })
      rows.push({ measurement: `${width}x${height}, floor: one pass over the embedding`, p50_ms: round(embeddingPass.p50, 2), min_ms: round(embeddingPass.min, 2), max_ms: round(embeddingPass.max, 2), target: '' })
      for (const [label, recheckEvery] of CONFIGS) {
        const samples: number[] = []
        for (let iteration = 0; iteration < ITERATIONS; iteration++) samples.push(await spanPerFrame(setup, target, recheckEvery))
        const d = distribution(samples)
        const floors = { framePasses: round(d.p50 / framePass.p50, 1), embeddingPasses: round(d.p50 / embeddingPass.p50, 1) }
        figures[`${width}x${height} ${label}`] = { perFrameMs: d, target: goal, p50InFloors: floors }
        rows.push({ measurement: `${width}x${height}, ${label}`, p50_ms: round(d.p50, 2), min_ms: round(d.min, 2), max_ms: round(d.max, 2), target: goal, x_frame_pass: floors.framePasses, x_embedding_pass: floors.embeddingPasses })
      }
    }
    figures.loadAverageAtEnd = os.loadavg().map((v) => round(v, 2))
    return { rows, figures }
  },
}

export default benchmark
