/**
 * COCO RLE throughput: encode + compress and decompress + decode of 1024x1024 and 4000x3000
 * masks (random blobs, and horizontal stripes, the worst case: every pixel is its own run),
 * in MB/s of mask pixels (one byte each), against a straightforward per-pixel baseline (column
 * walk with stride `width`, string built character by character) measured in the same run.
 * Decoding is timed into a reused buffer and into a new mask; the "floor" rows show what merely
 * filling a new buffer of the output's size costs on this machine (first-touch page faults),
 * which bounds any decoder that returns a new mask and the encoder on dense masks.
 * Target: encode alone at least 1 GB/s on blob masks.
 */
import { compressRle, decodeRle, decodeRleInto, decompressRle, encodeRle, type BinaryMask, type CompressedCocoRle } from '../src/common/mask'
import os from 'node:os'
import { round, timeCalls, type Benchmark, type Distribution, type Row } from './lib/harness'
import { naiveCounts } from '../test/helpers/naiveRle'

const ENCODE_TARGET_MB_S = 1000

function blobMask(width: number, height: number, seed: number): BinaryMask {
  let state = seed
  const random = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const data = new Uint8Array(width * height)
  for (let i = 0; i < 12; i++) {
    const cx = random() * width
    const cy = random() * height
    const rx = 5 + random() * width * 0.25
    const ry = 5 + random() * height * 0.25
    const value = random() < 0.25 ? 0 : 1
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
      const q = 1 - ((y + 0.5 - cy) / ry) ** 2
      if (q <= 0) continue
      const half = rx * Math.sqrt(q)
      const x0 = Math.max(0, Math.round(cx - half))
      const x1 = Math.min(width, Math.round(cx + half))
      if (x1 > x0) data.fill(value, y * width + x0, y * width + x1)
    }
  }
  return { width, height, data }
}

function stripeMask(width: number, height: number): BinaryMask {
  const data = new Uint8Array(width * height)
  for (let y = 1; y < height; y += 2) data.fill(1, y * width, (y + 1) * width)
  return { width, height, data }
}

/** Baseline encode: column-major walk over the row-major bytes, then a char-by-char string. */
function naiveEncodeCompress(mask: BinaryMask): string {
  const counts = naiveCounts(mask)
  let text = ''
  for (let i = 0; i < counts.length; i++) {
    let v = i > 2 ? counts[i]! - counts[i - 2]! : counts[i]!
    for (;;) {
      let c = v & 0x1f
      v >>= 5
      const more = c & 0x10 ? v !== -1 : v !== 0
      if (more) c |= 0x20
      text += String.fromCharCode(c + 48)
      if (!more) break
    }
  }
  return text
}

/** Baseline decode: parse the string, then write each pixel at its column-major position. */
function naiveDecompressDecode(rle: CompressedCocoRle, target: Uint8Array): Uint8Array {
  const [height, width] = rle.size
  const counts: number[] = []
  for (let p = 0; p < rle.counts.length; ) {
    let v = 0
    let k = 0
    let more = true
    while (more) {
      const c = rle.counts.charCodeAt(p++) - 48
      v |= (c & 0x1f) << (5 * k++)
      more = (c & 0x20) !== 0
      if (!more && c & 0x10) v |= -1 << (5 * k)
    }
    if (counts.length > 2) v += counts[counts.length - 2]!
    counts.push(v)
  }
  target.fill(0)
  let position = 0
  for (let i = 0; i < counts.length; i++) {
    const end = position + counts[i]!
    if (i % 2 === 1) {
      for (let p = position; p < end; p++) {
        const x = Math.floor(p / height)
        target[(p - x * height) * width + x] = 1
      }
    }
    position = end
  }
  return target
}

const benchmark: Benchmark = {
  name: 'mask-rle',
  description: 'COCO RLE encode+compress / decompress+decode, MB/s of mask pixels, vs a per-pixel baseline',
  async run() {
    // Blob masks first: the stripe cases allocate hundreds of MB and leave the GC busy.
    const cases = [
      { name: '1024x1024 blobs', mask: blobMask(1024, 1024, 7), iterations: 60 },
      { name: '4000x3000 blobs', mask: blobMask(4000, 3000, 11), iterations: 30 },
      { name: '1024x1024 stripes', mask: stripeMask(1024, 1024), iterations: 8 },
      { name: '4000x3000 stripes', mask: stripeMask(4000, 3000), iterations: 3 },
    ]
    const rows: Row[] = []
    // Other processes share the two cores; the load average says how much the figures can trust.
    const figures: Record<string, unknown> = { encodeTargetMBs: ENCODE_TARGET_MB_S, loadAverageAtStart: os.loadavg().map((v) => round(v, 2)) }
    for (const { name, mask, iterations } of cases) {
      const megabytes = (mask.width * mask.height) / 1e6
      const mbs = (ms: number): number => round(megabytes / (ms / 1000), 1)
      const compressed = compressRle(encodeRle(mask))
      if (naiveEncodeCompress(mask) !== compressed.counts) throw new Error(`${name}: baseline and encoder disagree`)
      const reused = new Uint8Array(mask.width * mask.height)
      const baselineIterations = Math.max(2, Math.ceil(iterations / 4))
      const encodeOnly = await timeCalls(() => encodeRle(mask), { iterations })
      const encode = await timeCalls(() => compressRle(encodeRle(mask)), { iterations })
      const decodeReused = await timeCalls(() => decodeRleInto(decompressRle(compressed), reused), { iterations })
      const decodeFresh = await timeCalls(() => decodeRle(decompressRle(compressed)), { iterations })
      const encodeBaseline = await timeCalls(() => naiveEncodeCompress(mask), { iterations: baselineIterations })
      const decodeBaselineReused = await timeCalls(() => naiveDecompressDecode(compressed, reused), { iterations: baselineIterations })
      const decodeBaselineFresh = await timeCalls(() => naiveDecompressDecode(compressed, new Uint8Array(mask.width * mask.height)), {
        iterations: baselineIterations,
      })
      // What first-touching fresh memory costs here (page faults), for the outputs each side allocates.
      const freshMask = await timeCalls(() => new Uint8Array(mask.width * mask.height).fill(1), { iterations })
      const freshCounts = await timeCalls(() => new Uint32Array(encodeRle(mask).counts.length).fill(1), { iterations })
      const row = (operation: string, ms: Distribution, baseline: Distribution | null): Row => ({
        mask: name,
        operation,
        p50_ms: round(ms.p50),
        MB_s: mbs(ms.p50),
        best_MB_s: mbs(ms.min),
        ratio_vs_baseline: baseline ? round(baseline.p50 / ms.p50, 1) : '',
      })
      rows.push(
        row('encode only', encodeOnly, encodeBaseline),
        row('encode + compress', encode, encodeBaseline),
        row('baseline encode + compress', encodeBaseline, encodeBaseline),
        row('decompress + decode into reused buffer', decodeReused, decodeBaselineReused),
        row('baseline, reused buffer', decodeBaselineReused, decodeBaselineReused),
        row('decompress + decode, new mask', decodeFresh, decodeBaselineFresh),
        row('baseline, new mask', decodeBaselineFresh, decodeBaselineFresh),
        row('floor: fill a new mask-sized buffer', freshMask, null),
        { ...row('floor: fill a new counts-sized buffer', freshCounts, null), MB_s: '', best_MB_s: '' },
      )
      figures[name] = {
        runs: encodeRle(mask).counts.length,
        stringLength: compressed.counts.length,
        encodeOnlyMBs: mbs(encodeOnly.p50),
        encodeCompressMBs: mbs(encode.p50),
        decodeReusedMBs: mbs(decodeReused.p50),
        decodeFreshMBs: mbs(decodeFresh.p50),
        baselineEncodeMBs: mbs(encodeBaseline.p50),
        baselineDecodeReusedMBs: mbs(decodeBaselineReused.p50),
        baselineDecodeFreshMBs: mbs(decodeBaselineFresh.p50),
        encodeBestMBs: mbs(encodeOnly.min),
        encodeTargetMetAtP50: mbs(encodeOnly.p50) >= ENCODE_TARGET_MB_S,
        encodeMs: encodeOnly,
        encodeCompressMs: encode,
        decodeReusedMs: decodeReused,
        decodeFreshMs: decodeFresh,
        freshMaskBufferMs: freshMask,
        freshCountsBufferMs: freshCounts,
      }
    }
    figures.loadAverageAtEnd = os.loadavg().map((v) => round(v, 2))
    return { rows, figures }
  },
}

export default benchmark
