/**
 * `models persamify` on a decoder with SAM's own widths (the replica generator at SAM_WIDTHS:
 * 8 heads, 256/128-wide attentions, MLP 2048, about 16 MB, the official export's graph):
 *
 * - conversion time end to end (read, locate, rewrite, encode, write, onnxruntime load check),
 *   against a floor measured in the same run: reading, decoding, re-encoding and writing the same
 *   model unchanged (the protobuf round trip every conversion pays);
 * - decoder latency of the converted graph with PerSAM inputs against the unconverted one (floor);
 * - the converted full-width decoder's largest difference from the TypeScript reference PerSAM
 *   forward pass (a correctness figure at real widths; the tests use the small replica).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { SAM_WIDTHS } from '../scripts/sam-replica/config'
import { replicaDecoderBytes } from '../scripts/sam-replica/files'
import { replicaForward, type ReplicaPrompt } from '../scripts/sam-replica/reference'
import { replicaWeights } from '../scripts/sam-replica/weights'
import { persamifyDecoder } from '../src/main/services/onnx/persamify/persamifyDecoder'
import { outputsDiff, randomAttnSim, randomEmbedding, randomTargetEmbedding, runDecoder } from '../test/helpers/samReplica'
import { round, timeCalls, type Benchmark } from './lib/harness'

const { onnx } = onnxProto

const benchmark: Benchmark = {
  name: 'persamify',
  description: 'convert a full-width official-export SAM decoder; converted vs standard decoder latency',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'persamify-bench-'))
    try {
      const source = path.join(dir, 'decoder.onnx')
      const bytes = replicaDecoderBytes(SAM_WIDTHS)
      writeFileSync(source, bytes)
      const output = path.join(dir, 'decoder-persam.onnx')
      const roundTrip = await timeCalls(() => writeFileSync(path.join(dir, 'copy.onnx'), onnx.ModelProto.encode(onnx.ModelProto.decode(readFileSync(source))).finish()), { iterations: 8, warmup: 2 })
      const convert = await timeCalls(() => persamifyDecoder(source, output), { iterations: 8, warmup: 2 })
      const convertUnverified = await timeCalls(() => persamifyDecoder(source, output, { verify: false }), { iterations: 8, warmup: 2 })
      const report = await persamifyDecoder(source, output)

      const standard = await ort.InferenceSession.create(source, { intraOpNumThreads: 1 })
      const persam = await ort.InferenceSession.create(output, { intraOpNumThreads: 1 })
      const embedding = randomEmbedding(1)
      const prompt: ReplicaPrompt = { coords: [300, 200, 700, 100, 0, 0], labels: [1, 0, -1], origImSize: [768, 1024] }
      const inputs = { attnSim: randomAttnSim(2), targetEmbedding: randomTargetEmbedding(3) }
      const runStandard = await timeCalls(() => runDecoder(standard, embedding, prompt), { iterations: 20, warmup: 3 })
      const runPersam = await timeCalls(() => runDecoder(persam, embedding, prompt, inputs), { iterations: 20, warmup: 3 })

      const referenceStart = performance.now()
      const expected = replicaForward(replicaWeights(SAM_WIDTHS), embedding, prompt, inputs)
      const referenceMs = performance.now() - referenceStart
      const maxDiff = outputsDiff(await runDecoder(persam, embedding, prompt, inputs), expected)
      const changed = outputsDiff(await runDecoder(standard, embedding, prompt), expected)
      await Promise.all([standard.release(), persam.release()])

      const rows = [
        { measurement: 'floor: protobuf round trip (read, decode, encode, write)', p50_ms: round(roundTrip.p50, 1), min_ms: round(roundTrip.min, 1), ratio_vs_floor: 1 },
        { measurement: 'persamify (with onnxruntime load check)', p50_ms: round(convert.p50, 1), min_ms: round(convert.min, 1), ratio_vs_floor: round(convert.p50 / roundTrip.p50, 2) },
        { measurement: 'persamify (verify: false)', p50_ms: round(convertUnverified.p50, 1), min_ms: round(convertUnverified.min, 1), ratio_vs_floor: round(convertUnverified.p50 / roundTrip.p50, 2) },
        { measurement: 'floor: standard decoder run (1 thread, 768x1024 masks)', p50_ms: round(runStandard.p50, 1), min_ms: round(runStandard.min, 1), ratio_vs_floor: 1 },
        { measurement: 'converted decoder run with attn_sim + target_embedding', p50_ms: round(runPersam.p50, 1), min_ms: round(runPersam.min, 1), ratio_vs_floor: round(runPersam.p50 / runStandard.p50, 3) },
      ]
      return {
        rows,
        figures: {
          loadAverageAtStart: os.loadavg().map((v) => round(v, 2)),
          modelBytes: bytes.length,
          convertedBytes: report.bytes,
          nodes: { before: report.nodesBefore, after: report.nodesAfter, inserted: report.inserted.length, rewired: report.rewired.length },
          roundTripMs: roundTrip,
          convertMs: convert,
          convertUnverifiedMs: convertUnverified,
          standardRunMs: runStandard,
          persamRunMs: runPersam,
          fullWidthMaxAbsDiffVsReference: maxDiff,
          fullWidthStandardVsPersamReference: changed,
          referenceForwardMs: round(referenceMs, 0),
        },
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}

export default benchmark
