import { describe, expect, it } from 'vitest'
import { detectDecoder, detectEncoder, type TensorInfo } from '../../../src/common/sam/flavour'

const f32 = (name: string, shape: (number | string)[]): TensorInfo => ({ name, type: 'float32', shape })
const officialInputs = [
  f32('image_embeddings', [1, 256, 64, 64]),
  f32('point_coords', [1, 'num_points', 2]),
  f32('point_labels', [1, 'num_points']),
  f32('mask_input', [1, 1, 256, 256]),
  f32('has_mask_input', [1]),
  f32('orig_im_size', [2]),
]
const outputs = (count: number | string) => [f32('masks', [1, count, 'h', 'w']), f32('iou_predictions', [1, count]), f32('low_res_masks', [1, count, 256, 256])]

describe('detectDecoder', () => {
  it('recognises the official export and reads the mask count from the output shapes', () => {
    expect(detectDecoder({ inputs: officialInputs, outputs: outputs(4) })).toEqual({ flavour: 'sam-official', maskCount: 4, persamInputs: null })
    expect(detectDecoder({ inputs: officialInputs, outputs: outputs(1) }).maskCount).toBe(1)
    expect(detectDecoder({ inputs: officialInputs, outputs: outputs('n') }).maskCount).toBeNull()
  })

  it('recognises the PerSAM inputs, by default or by the manifest names', () => {
    const persam = [...officialInputs, f32('attn_sim', [1, 1, 1, 4096]), f32('target_embedding', [1, 1, 256])]
    expect(detectDecoder({ inputs: persam, outputs: outputs(4) }).persamInputs).toEqual({ attnSim: 'attn_sim', targetEmbedding: 'target_embedding' })
    const renamed = [...officialInputs, f32('sim', [1, 1, 1, 4096]), f32('target', [1, 1, 256])]
    expect(detectDecoder({ inputs: renamed, outputs: outputs(4) }, { attnSim: 'sim', targetEmbedding: 'target' }).persamInputs).toEqual({ attnSim: 'sim', targetEmbedding: 'target' })
    expect(() => detectDecoder({ inputs: [...officialInputs, f32('attn_sim', [4096])], outputs: outputs(4) })).toThrow(/only one of the PerSAM inputs/)
  })

  it('names the family of known decoders it cannot drive', () => {
    expect(() => detectDecoder({ inputs: [...officialInputs, f32('interm_embeddings', [4, 1, 64, 64, 768])], outputs: outputs(4) })).toThrow(/SAM-HQ/)
    expect(() => detectDecoder({ inputs: [f32('image_embed', []), f32('high_res_feats_0', [])], outputs: [] })).toThrow(/SAM2 \(samexporter\)/)
    expect(() => detectDecoder({ inputs: [f32('image_embeddings', []), f32('point_coords', []), f32('point_labels', [])], outputs: [] })).toThrow(/EdgeSAM/)
    expect(() => detectDecoder({ inputs: [f32('batched_point_coords', [])], outputs: [] })).toThrow(/EfficientSAM/)
  })

  it('gives a clear error for unknown inputs, listing them', () => {
    expect(() => detectDecoder({ inputs: [f32('foo', [1]), f32('bar', [2])], outputs: outputs(4) })).toThrow(/unknown decoder inputs.*missing image_embeddings.*\(inputs: foo, bar\)/)
    expect(() => detectDecoder({ inputs: [...officialInputs, f32('extra', [1])], outputs: outputs(4) })).toThrow(/unknown decoder inputs extra/)
    expect(() => detectDecoder({ inputs: officialInputs, outputs: [f32('masks', [1, 4])] })).toThrow(/lacks the outputs iou_predictions, low_res_masks/)
  })
})

describe('detectEncoder', () => {
  const embeddings = [f32('image_embeddings', [1, 256, 64, 64])]

  it('recognises the reference NCHW input and samexporter HWC inputs (float and uint8)', () => {
    expect(detectEncoder({ inputs: [f32('image', [1, 3, 1024, 1024])], outputs: embeddings })).toEqual({ flavour: 'nchw-normalized-1024', inputName: 'image', outputName: 'image_embeddings' })
    expect(detectEncoder({ inputs: [f32('input_image', ['image_height', 'image_width', 3])], outputs: embeddings }).flavour).toBe('hwc-float-longest-1024')
    expect(detectEncoder({ inputs: [{ name: 'input_image', type: 'uint8', shape: ['h', 'w', 3] }], outputs: embeddings }).flavour).toBe('hwc-uint8-longest-1024')
  })

  it('picks the input by name when there are several, and honours an explicit name', () => {
    const inputs = [f32('scale', [1]), f32('x', [1, 3, 1024, 1024])]
    expect(detectEncoder({ inputs, outputs: embeddings }).inputName).toBe('x')
    expect(() => detectEncoder({ inputs, outputs: embeddings }, 'pixels')).toThrow(/no input named pixels/)
  })

  it('rejects what it cannot feed, saying what it saw', () => {
    expect(() => detectEncoder({ inputs: [f32('image', [1, 3, 512, 512])], outputs: embeddings })).toThrow(/\[1,3,512,512\].*expected \[1,3,1024,1024\]/)
    expect(() => detectEncoder({ inputs: [{ name: 'input_image', type: 'uint8', shape: [1, 3, 'h', 'w'] }], outputs: embeddings })).toThrow(/EdgeSAM/)
    expect(() => detectEncoder({ inputs: [f32('image', [1, 3, 1024, 1024])], outputs: [f32('high_res_feats_0', []), f32('high_res_feats_1', [])] })).toThrow(/SAM2/)
    expect(() => detectEncoder({ inputs: [f32('a', [1]), f32('b', [1])], outputs: embeddings })).toThrow(/unknown encoder inputs: a, b/)
  })
})
