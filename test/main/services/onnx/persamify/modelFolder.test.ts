/**
 * persamifyModelFolder on model folders (toy encoder + replica decoder), and the PerSAM engine
 * picking the converted decoder up by itself: guided first call recorded, and the runtime's
 * guided decode computing the reference PerSAM forward pass.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPLICA_WIDTHS } from '../../../../../scripts/sam-replica/config'
import { replicaDecoderBytes } from '../../../../../scripts/sam-replica/files'
import { replicaForward } from '../../../../../scripts/sam-replica/reference'
import { replicaWeights } from '../../../../../scripts/sam-replica/weights'
import { segmentImage } from '../../../../../src/common/persam/segment'
import { prepareTarget } from '../../../../../src/common/persam/target'
import { parseModelManifest } from '../../../../../src/common/sam/manifest'
import type { ImageEmbedding } from '../../../../../src/common/sam/port'
import { encodePrompt } from '../../../../../src/common/sam/prompts'
import { persamifyModelFolder } from '../../../../../src/main/services/onnx/persamify/modelFolder'
import { resolveModelSource } from '../../../../../src/main/services/sam/modelSource'
import { SamRuntime } from '../../../../../src/main/services/sam/samRuntime'
import { discMask, discScene, writeImage, type Disc } from '../../../../helpers/samImages'
import { maxAbsDiff, randomAttnSim, REPLICA_DECODER } from '../../../../helpers/samReplica'
import { useTempDir } from '../../../../helpers/tempDir'

const root = useTempDir('persamify-folders-')
const TOY = 'resources/models/toy-sam'

function manifest(id: string, extra: Record<string, unknown> = {}): string {
  const json = {
    schemaVersion: 1,
    id,
    name: id,
    family: 'other',
    files: { encoder: 'encoder.onnx', decoder: 'decoder.onnx', ...(extra.files as object | undefined) },
    encoderInput: 'nchw-normalized-1024',
    decoderOutput: 'sam-official',
    maskCount: 4,
    ...(extra.persamInputs ? { persamInputs: extra.persamInputs } : {}),
    licence: 'Apache-2.0',
    source: 'test',
  }
  return `${JSON.stringify(json, null, 2)}\n`
}

/** A model folder with the toy encoder and `decoder` (a file to copy), with or without a manifest. */
function modelFolder(name: string, decoder: string, withManifest = true): string {
  const dir = path.join(root, name)
  mkdirSync(dir)
  copyFileSync(path.join(TOY, 'encoder.onnx'), path.join(dir, 'encoder.onnx'))
  copyFileSync(decoder, path.join(dir, 'decoder.onnx'))
  if (withManifest) writeFileSync(path.join(dir, 'manifest.json'), manifest(name))
  return dir
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(path.join(dir, name)).toString('base64')]))
}

const RED: Disc['colour'] = [220, 30, 30]

async function encodeDiscs(runtime: SamRuntime, dir: string, name: string, disc: Disc): Promise<ImageEmbedding> {
  const file = await writeImage(path.join(dir, `${name}.png`), discScene(320, 240, [disc]))
  return (await runtime.encodeFile(file)).embedding
}

describe('persamifyModelFolder', () => {
  it('converts the decoder, records it in the manifest, and knows when it is up to date', async () => {
    const dir = modelFolder('replica', REPLICA_DECODER)
    const result = await persamifyModelFolder(dir)
    expect(result.status).toBe('converted')
    if (result.status !== 'converted') return
    expect(result.manifestUpdated).toBe(true)
    expect(result.report.outputFile).toBe(path.join(dir, 'decoder-persam.onnx'))
    const recorded = parseModelManifest(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
    expect(recorded.files).toEqual({ encoder: 'encoder.onnx', decoder: 'decoder.onnx', persamDecoder: 'decoder-persam.onnx' })
    expect(recorded.persamInputs).toEqual({ attnSim: 'attn_sim', targetEmbedding: 'target_embedding' })

    const before = snapshot(dir)
    expect(await persamifyModelFolder(dir)).toEqual({ status: 'up-to-date', persamDecoder: path.join(dir, 'decoder-persam.onnx') })
    expect(snapshot(dir)).toEqual(before)

    // A new decoder (other weights) makes the PerSAM decoder stale: it is converted again.
    writeFileSync(path.join(dir, 'decoder.onnx'), replicaDecoderBytes(REPLICA_WIDTHS, 7))
    const again = await persamifyModelFolder(dir)
    expect(again.status).toBe('converted')
    expect(snapshot(dir)['decoder-persam.onnx']).not.toBe(before['decoder-persam.onnx'])
  })

  it('the PerSAM engine picks the converted decoder up and records the guided first call', async () => {
    const dir = modelFolder('engine', REPLICA_DECODER)
    expect((await persamifyModelFolder(dir)).status).toBe('converted')
    const runtime = await SamRuntime.open({ model: { dir }, providers: ['cpu'] })
    try {
      expect(runtime.capabilities).toEqual({ maskCount: 4, persamInputs: true })
      expect(runtime.model.persamDecoder?.file).toBe(path.join(dir, 'decoder-persam.onnx'))
      const referenceDisc: Disc = { cx: 120, cy: 100, r: 40, colour: RED }
      const reference = await encodeDiscs(runtime, root, 'reference', referenceDisc)
      const test = await encodeDiscs(runtime, root, 'test', { cx: 200, cy: 150, r: 45, colour: RED })
      const target = await prepareTarget([{ embedding: reference, mask: { width: 320, height: 240, data: discMask(320, 240, referenceDisc) } }], 'persam', runtime)
      const result = await segmentImage(target, test, runtime, { candidates: 1 })
      expect(result.firstCall).toBe('persam-decoder')
      expect(result.decoderCalls).toBe(3)

      // The guided call runs the converted graph: PerSAM's forward pass, not the standard one.
      const points = [
        { x: 200, y: 150, label: 1 as const },
        { x: 10, y: 10, label: 0 as const },
      ]
      const attnSim = randomAttnSim(70)
      const guided = await runtime.decode({ embedding: test, points, attnSim, targetEmbedding: target.targetEmbedding })
      const prompt = encodePrompt(test.geometry, points)
      const expected = replicaForward(replicaWeights(), test.data, { coords: prompt.coords, labels: prompt.labels, origImSize: [240, 320] }, { attnSim, targetEmbedding: target.targetEmbedding })
      expect(maxAbsDiff(guided.lowResLogits, expected.lowResMasks)).toBeLessThan(1e-4)
      expect(maxAbsDiff(guided.iouPredictions, expected.iouPredictions)).toBeLessThan(1e-4)
      const plain = await runtime.decode({ embedding: test, points })
      expect(maxAbsDiff(plain.lowResLogits, guided.lowResLogits)).toBeGreaterThan(1e-2)
    } finally {
      await runtime.close()
    }
  }, 120_000)

  it('refuses a decoder it cannot convert, writes nothing, and PerSAM keeps the standard first call', async () => {
    const dir = modelFolder('toy-decoder', path.join(TOY, 'decoder.onnx'))
    const before = snapshot(dir)
    const result = await persamifyModelFolder(dir)
    expect(result.status).toBe('refused')
    if (result.status === 'refused') {
      expect(result.reason).toMatch(/decoder\.onnx: not an official-export SAM decoder graph; could not find:/)
      expect(result.missing.join('\n')).toMatch(/cross_attn_token_to_image\/Softmax/)
    }
    expect(snapshot(dir)).toEqual(before)

    const runtime = await SamRuntime.open({ model: { dir }, providers: ['cpu'] })
    try {
      expect(runtime.capabilities.persamInputs).toBe(false)
      const disc: Disc = { cx: 120, cy: 100, r: 40, colour: RED }
      const embedding = await encodeDiscs(runtime, root, 'toy-reference', disc)
      const target = await prepareTarget([{ embedding, mask: { width: 320, height: 240, data: discMask(320, 240, disc) } }], 'persam', runtime)
      expect((await segmentImage(target, embedding, runtime, { candidates: 1 })).firstCall).toBe('standard')
    } finally {
      await runtime.close()
    }
  }, 120_000)

  it('converts a folder without a manifest; the runtime finds decoder-persam.onnx by name', async () => {
    const dir = modelFolder('no-manifest', REPLICA_DECODER, false)
    const result = await persamifyModelFolder(dir)
    expect(result.status === 'converted' && !result.manifestUpdated).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['decoder-persam.onnx', 'decoder.onnx', 'encoder.onnx'])
    expect((await resolveModelSource({ dir })).spec.persamDecoderFile).toBe(path.join(dir, 'decoder-persam.onnx'))
    expect((await persamifyModelFolder(dir)).status).toBe('up-to-date')
    // A truncated PerSAM decoder (an interrupted copy) is replaced.
    const file = path.join(dir, 'decoder-persam.onnx')
    const good = readFileSync(file)
    writeFileSync(file, good.subarray(0, 1000))
    expect((await persamifyModelFolder(dir)).status).toBe('converted')
    expect(Buffer.compare(readFileSync(file), good)).toBe(0)
  })

  it('leaves a model with its own PerSAM decoder alone', async () => {
    const dir = path.join(root, 'own')
    mkdirSync(dir)
    for (const file of readdirSync(TOY)) copyFileSync(path.join(TOY, file), path.join(dir, file))
    const before = snapshot(dir)
    expect(await persamifyModelFolder(dir)).toEqual({ status: 'not-needed', reason: 'the model has its own PerSAM decoder decoder-persam.onnx' })
    expect(snapshot(dir)).toEqual(before)
  })
})
