import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseModelManifest } from '../../../src/common/sam/manifest'

const valid = {
  schemaVersion: 1,
  id: 'mobile-sam',
  name: 'MobileSAM',
  family: 'mobile-sam',
  files: { encoder: 'mobile_sam.encoder.onnx', decoder: 'sam_decoder_multi.onnx' },
  encoderInput: 'hwc-float-longest-1024',
  decoderOutput: 'sam-official',
  maskCount: 4,
  licence: 'Apache-2.0',
  source: 'https://example.org/mobile-sam',
}

describe('parseModelManifest', () => {
  it('accepts a complete manifest and defaults persamInputs to null', () => {
    const manifest = parseModelManifest(JSON.stringify(valid))
    expect(manifest.persamInputs).toBeNull()
    expect(manifest.files.decoder).toBe('sam_decoder_multi.onnx')
  })

  it('accepts the committed toy model manifest', () => {
    const manifest = parseModelManifest(readFileSync('resources/models/toy-sam/manifest.json', 'utf8'))
    expect(manifest).toMatchObject({ id: 'toy-sam', maskCount: 4, persamInputs: { attnSim: 'attn_sim', targetEmbedding: 'target_embedding' } })
  })

  it('names the file and the field path of every problem', () => {
    const broken = { ...valid, maskCount: 3, files: { encoder: '../outside.onnx', decoder: 'd.onnx' }, extra: true }
    const error = (() => {
      try {
        parseModelManifest(JSON.stringify(broken), '/models/x/manifest.json')
      } catch (caught) {
        return (caught as Error).message
      }
      return ''
    })()
    expect(error).toMatch(/^\/models\/x\/manifest\.json: invalid model manifest/)
    expect(error).toMatch(/maskCount/)
    expect(error).toMatch(/files\.encoder: must be a path inside the model folder/)
    expect(error).toMatch(/extra/)
  })

  it('rejects malformed JSON with the file name', () => {
    expect(() => parseModelManifest('{ "id": ', 'm.json')).toThrow(/^m\.json: not valid JSON/)
  })

  it('rejects absolute paths, Windows drives and unknown flavours', () => {
    expect(() => parseModelManifest(JSON.stringify({ ...valid, files: { encoder: '/etc/e.onnx', decoder: 'd.onnx' } }))).toThrow(/files\.encoder/)
    expect(() => parseModelManifest(JSON.stringify({ ...valid, files: { encoder: 'C:\\e.onnx', decoder: 'd.onnx' } }))).toThrow(/files\.encoder/)
    expect(() => parseModelManifest(JSON.stringify({ ...valid, encoderInput: 'nhwc' }))).toThrow(/encoderInput/)
  })
})
