/**
 * The decode result type follows the request: the mask output kind and the fusion weights select
 * what the result carries, and resultForRequest refuses a producer that did not honour them.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { resultForRequest, type DecodeRequest, type DecodeResult, type FusedMultimask, type ImageEmbedding, type SamDecoderPort } from '../../../src/common/sam/port'
import type { CocoRle } from '../../../src/common/mask'

const embedding: ImageEmbedding = {
  modelId: 'm',
  imageKey: 'k',
  data: new Float32Array(0),
  geometry: { originalWidth: 4, originalHeight: 4, resizedWidth: 1024, resizedHeight: 1024 },
}

const outputs = {
  maskCount: 1,
  extents: [{ area: 0, x0: 0, y0: 0, x1: -1, y1: -1 }],
  outputSize: { width: 4, height: 4 },
  iouPredictions: Float32Array.of(0.5),
  lowResLogits: new Float32Array(65536),
  fullSizeMasks: [],
}
const fused: FusedMultimask = { lowResLogits: new Float32Array(65536), extent: outputs.extents[0]! }

describe('resultForRequest', () => {
  it('passes a result that carries what the request asked for', () => {
    const rles: CocoRle[] = [{ size: [4, 4], counts: Uint32Array.of(16) }]
    const result = resultForRequest({ embedding, points: [], maskOutput: 'rle' }, { ...outputs, maskOutput: 'rle', rles, fused: null })
    expect(result.rles).toBe(rles)
    const withFusion = resultForRequest({ embedding, points: [], maskOutput: 'none', fusionWeights: [1, 0, 0] }, { ...outputs, maskOutput: 'none', fused })
    expect(withFusion.fused.extent.area).toBe(0)
  })

  it('defaults to logits, like the runtime', () => {
    const masks = new Float32Array(16)
    expect(resultForRequest({ embedding, points: [] }, { ...outputs, maskOutput: 'logits', masks, fused: null }).masks).toBe(masks)
    expect(() => resultForRequest({ embedding, points: [] }, { ...outputs, maskOutput: 'none', fused: null })).toThrow(/returned 'none' masks, the request asked for 'logits'/)
  })

  it('refuses a result of another kind or with the fusion missing or unasked', () => {
    expect(() => resultForRequest({ embedding, points: [], maskOutput: 'binary' }, { ...outputs, maskOutput: 'rle', rles: [], fused: null })).toThrow(/asked for 'binary'/)
    expect(() => resultForRequest({ embedding, points: [], maskOutput: 'none', fusionWeights: [1, 0, 0] }, { ...outputs, maskOutput: 'none', fused: null })).toThrow(/did not return the fused multimask/)
    expect(() => resultForRequest({ embedding, points: [], maskOutput: 'none' }, { ...outputs, maskOutput: 'none', fused })).toThrow(/nobody asked for/)
  })

  it('selects the result type from the request (checked by the type checker)', () => {
    const port = null as unknown as SamDecoderPort
    const _call = () => ({
      plain: port.decode({ embedding, points: [] }),
      rle: port.decode({ embedding, points: [], maskOutput: 'rle' }),
      fused: port.decode({ embedding, points: [], maskOutput: 'none', fusionWeights: [1, 0, 0] }),
      open: port.decode({ embedding, points: [] } as DecodeRequest),
    })
    expectTypeOf<Awaited<ReturnType<typeof _call>['plain']>>().toEqualTypeOf<DecodeResult<'logits', null>>()
    expectTypeOf<Awaited<ReturnType<typeof _call>['rle']>['rles']>().toEqualTypeOf<readonly CocoRle[]>()
    expectTypeOf<Awaited<ReturnType<typeof _call>['fused']>['fused']>().toEqualTypeOf<FusedMultimask>()
    expectTypeOf<Awaited<ReturnType<typeof _call>['open']>>().toEqualTypeOf<DecodeResult>()
  })
})
