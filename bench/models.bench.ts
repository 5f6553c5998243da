/**
 * Model manager I/O, each against a floor measured in the same run:
 * - download: a 256 MiB file from a node:http server on 127.0.0.1 through downloadVerified
 *   (part file, progress callbacks, size check, sha256, rename), against a bare http.get piped
 *   into a file (no checks). Reported in MB/s; the ratio is the cost of the safety. On a real
 *   link the network, not this code, sets the speed.
 * - graph I/O: reading the inputs/outputs of a 384 MiB synthetic ONNX model (2,000 initializers)
 *   with readOnnxGraphIo, against reading the file and decoding it with onnx-proto (what the
 *   converter does). Reported in ms and peak RSS growth. Target: at least 10x faster, and
 *   memory that does not grow with the model.
 */
import { createHash } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import onnxProto from 'onnx-proto'
import { downloadVerified } from '../src/main/services/models/download'
import { readOnnxGraphIo } from '../src/main/services/onnx/onnxGraphIo'
import { round, type Benchmark, type Row } from './lib/harness'

const { onnx } = onnxProto
const DOWNLOAD_BYTES = 256 * 2 ** 20
const MODEL_BYTES = 384 * 2 ** 20
const INITIALIZERS = 2000
const GRAPH_IO_TARGET_RATIO = 10

function payload(bytes: number): Buffer {
  const buffer = Buffer.allocUnsafe(bytes)
  for (let offset = 0; offset < bytes; offset += 4) buffer.writeUInt32LE((offset * 2654435761) >>> 0, offset)
  return buffer
}

async function serve(body: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-length': body.length })
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/model.onnx`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

async function bareDownload(url: string, file: string): Promise<void> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, { agent: false }, resolve).on('error', reject))
  await pipeline(response, createWriteStream(file))
}

/** A model shaped like an exported encoder: many weights, two graph inputs and one output. */
function syntheticModel(): Uint8Array {
  const each = Math.floor(MODEL_BYTES / INITIALIZERS / 4) * 4
  const initializer = Array.from({ length: INITIALIZERS }, (_, index) => ({
    name: `blocks.${index}.weight`,
    dims: [each / 4],
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(each).fill(index % 251),
  }))
  const tensor = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } } },
  })
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'synthetic', initializer, input: [tensor('image', [1, 3, 1024, 1024])], output: [tensor('image_embeddings', [1, 256, 64, 64])] },
  }).finish()
}

async function measure(fn: () => Promise<unknown>, repeats: number): Promise<{ ms: number; rssMiB: number }> {
  let best = Number.POSITIVE_INFINITY
  let rss = 0
  for (let index = 0; index < repeats; index++) {
    globalThis.gc?.()
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
    const start = performance.now()
    await fn()
    best = Math.min(best, performance.now() - start)
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    rss = Math.max(rss, (peak - before) / 2 ** 20)
  }
  return { ms: best, rssMiB: rss }
}

const benchmark: Benchmark = {
  name: 'models',
  description: 'verified resumable download vs bare http.get; streamed graph I/O vs full onnx-proto decode',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'persam-bench-models-'))
    const rows: Row[] = []
    try {
      const body = payload(DOWNLOAD_BYTES)
      const sha256 = createHash('sha256').update(body).digest('hex')
      const server = await serve(body)
      const floor = await measure(() => bareDownload(server.url, path.join(dir, 'bare.bin')), 3)
      const verified = await measure(async () => {
        rmSync(path.join(dir, 'verified.onnx'), { force: true })
        await downloadVerified({ label: 'bench', urls: [server.url], bytes: DOWNLOAD_BYTES, sha256, file: path.join(dir, 'verified.onnx') })
      }, 3)
      await server.close()
      const mbps = (ms: number) => DOWNLOAD_BYTES / 2 ** 20 / (ms / 1000)
      rows.push({ case: 'download 256 MiB: bare http.get (floor)', ms: round(floor.ms, 0), 'MB/s': round(mbps(floor.ms), 0), ratio: 1 })
      rows.push({ case: 'download 256 MiB: downloadVerified', ms: round(verified.ms, 0), 'MB/s': round(mbps(verified.ms), 0), ratio: round(verified.ms / floor.ms, 2) })

      const modelFile = path.join(dir, 'synthetic.onnx')
      writeFileSync(modelFile, syntheticModel())
      const decode = await measure(async () => onnx.ModelProto.decode(readFileSync(modelFile)).graph?.input?.length, 3)
      const streamed = await measure(() => readOnnxGraphIo(modelFile), 5)
      const speedup = decode.ms / streamed.ms
      rows.push({ case: `graph I/O of a 384 MiB model: readFile + onnx-proto decode (floor)`, ms: round(decode.ms, 1), 'peak RSS +MiB': round(decode.rssMiB, 0), ratio: 1 })
      rows.push({ case: `graph I/O of a 384 MiB model: readOnnxGraphIo`, ms: round(streamed.ms, 1), 'peak RSS +MiB': round(streamed.rssMiB, 0), ratio: round(streamed.ms / decode.ms, 3) })
      return {
        rows,
        figures: {
          download: { floorMs: floor.ms, verifiedMs: verified.ms, ratio: verified.ms / floor.ms },
          graphIo: { decodeMs: decode.ms, streamedMs: streamed.ms, speedup, decodeRssMiB: decode.rssMiB, streamedRssMiB: streamed.rssMiB, target: GRAPH_IO_TARGET_RATIO, met: speedup >= GRAPH_IO_TARGET_RATIO },
        },
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

export default benchmark
