/** The SAM runtime end to end, with real onnxruntime inference on the toy model. */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { thresholdLogits } from '../../../../src/common/sam/postprocess'
import type { DecodeResult, ImageEmbedding } from '../../../../src/common/sam/port'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { area, discMask, discScene, iou, storedForOrientation, writeImage, type Disc } from '../../../helpers/samImages'
import { useTempDir } from '../../../helpers/tempDir'

const dir = useTempDir()
const RED: Disc['colour'] = [220, 30, 30]
let runtime: SamRuntime

beforeAll(async () => {
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['coreml', 'cpu'], encoderThreads: 1, decoderThreads: 1 })
})
afterAll(() => runtime.close())

/** SamPredictor's choice for one click: the best of the multimask outputs 1..3 by predicted IoU. */
function bestMultimask(result: DecodeResult): number {
  let best = 1
  for (let k = 2; k < result.maskCount; k++) if (result.iouPredictions[k]! > result.iouPredictions[best]!) best = k
  return best
}

function mask(result: DecodeResult<'logits'>, index: number): Uint8Array {
  const plane = result.outputSize.width * result.outputSize.height
  return thresholdLogits(result.masks, index * plane, plane)
}

async function encodeScene(name: string, width: number, height: number, discs: Disc[]): Promise<ImageEmbedding> {
  const file = await writeImage(path.join(dir, `${name}.png`), discScene(width, height, discs))
  return (await runtime.encodeFile(file)).embedding
}

describe('SamRuntime with the toy model', () => {
  it('falls back from an unavailable provider to cpu and reports why', () => {
    for (const session of [runtime.model.encoder, runtime.model.decoder, runtime.model.persamDecoder!]) {
      expect(session.providers.requested).toEqual(['coreml', 'cpu'])
      expect(session.providers.active).toBe('cpu')
      expect(session.providers.attempts).toEqual([
        { provider: 'coreml', ok: false, error: expect.stringMatching(/coreml/) },
        { provider: 'cpu', ok: true },
      ])
    }
    expect(runtime.capabilities).toEqual({ maskCount: 4, persamInputs: true })
    expect(runtime.model.encoder.io).toEqual({ flavour: 'nchw-normalized-1024', inputName: 'image', outputName: 'image_embeddings' })
  })

  it('one positive click inside a red disc on a textured background gives the disc (IoU >= 0.9)', async () => {
    const disc: Disc = { cx: 250, cy: 220, r: 90, colour: RED }
    const embedding = await encodeScene('disc', 640, 480, [disc])
    expect(embedding.geometry).toEqual({ originalWidth: 640, originalHeight: 480, resizedWidth: 1024, resizedHeight: 768 })
    const result = await runtime.decode({ embedding, points: [{ x: 250, y: 220, label: 1 }] })
    expect(result.maskCount).toBe(4)
    expect(result.outputSize).toEqual({ width: 640, height: 480 })
    expect(result.lowResLogits.length).toBe(4 * 256 * 256)
    const truth = discMask(640, 480, disc)
    expect(iou(mask(result, bestMultimask(result)), truth)).toBeGreaterThanOrEqual(0.9)
    // Masks 0..3 are nested and grow.
    const areas = [0, 1, 2, 3].map((k) => area(mask(result, k)))
    expect(areas).toEqual([...areas].sort((a, b) => a - b))
  })

  it('segments the clicked object only; a negative click and a box change the mask in the expected direction', async () => {
    const left: Disc = { cx: 170, cy: 240, r: 80, colour: RED }
    const right: Disc = { cx: 470, cy: 240, r: 80, colour: RED }
    const apart = await encodeScene('two-discs', 640, 480, [left, right])
    const click = { x: 170, y: 240, label: 1 as const }
    // Same colour, not connected: only the clicked disc comes back.
    const single = await runtime.decode({ embedding: apart, points: [click] })
    const singleMask = mask(single, bestMultimask(single))
    expect(iou(singleMask, discMask(640, 480, left))).toBeGreaterThanOrEqual(0.9)
    expect(singleMask[240 * 640 + 470]).toBe(0)

    // Joined by a red bridge, the two discs are one region.
    const bridge: Disc[] = [250, 290, 330, 370, 410].map((cx) => ({ cx, cy: 240, r: 30, colour: RED }))
    const embedding = await encodeScene('bridged-discs', 640, 480, [left, right, ...bridge])
    const plain = await runtime.decode({ embedding, points: [click] })
    const k = bestMultimask(plain)
    const plainMask = mask(plain, k)
    expect(plainMask[240 * 640 + 470]).toBe(1)
    expect(iou(plainMask, discMask(640, 480, left))).toBeLessThan(0.6)

    // A box around the left disc keeps only the left disc.
    const boxed = await runtime.decode({ embedding, points: [click], box: { x0: 80, y0: 150, x1: 260, y1: 330 } })
    const boxedMask = mask(boxed, bestMultimask(boxed))
    expect(iou(boxedMask, discMask(640, 480, left))).toBeGreaterThanOrEqual(0.9)
    expect(area(boxedMask)).toBeLessThan(area(plainMask) * 0.6)

    // A negative click on the right disc removes (the part around) it and nothing of the left one.
    const negative = await runtime.decode({ embedding, points: [click, { x: 470, y: 240, label: 0 }] })
    const negativeMask = mask(negative, k)
    expect(area(negativeMask)).toBeLessThan(area(plainMask))
    expect(negativeMask[240 * 640 + 470]).toBe(0)
    expect(negativeMask[240 * 640 + 170]).toBe(1)
  })

  it('gives part and whole as different multimask outputs for an object whose parts differ in colour', async () => {
    const body: Disc = { cx: 300, cy: 240, r: 90, colour: [200, 40, 40] }
    const head: Disc = { cx: 420, cy: 240, r: 60, colour: [200, 90, 40] } // colour distance 50 from the body
    const embedding = await encodeScene('two-part', 640, 480, [body, head])
    const result = await runtime.decode({ embedding, points: [{ x: 280, y: 240, label: 1 }] })
    const bodyMask = discMask(640, 480, body)
    const headOnly = discMask(640, 480, head).map((value, i) => (bodyMask[i] ? 0 : value))
    const whole = bodyMask.map((value, i) => value | headOnly[i]!)
    expect(iou(mask(result, 1), bodyMask)).toBeGreaterThanOrEqual(0.85) // the part
    expect(iou(mask(result, 3), whole)).toBeGreaterThanOrEqual(0.85) // the whole
    expect(area(mask(result, 3))).toBeGreaterThan(area(mask(result, 1)) * 1.2)
  })

  it('accepts mask_input for refinement: the previous low-res logits act as a prior', async () => {
    const disc: Disc = { cx: 320, cy: 240, r: 100, colour: RED }
    const embedding = await encodeScene('refine', 640, 480, [disc])
    const points = [{ x: 320, y: 240, label: 1 as const }]
    const first = await runtime.decode({ embedding, points })
    const k = bestMultimask(first)
    const previous = first.lowResLogits.slice(k * 65536, (k + 1) * 65536)
    const refined = await runtime.decode({ embedding, points, maskInput: previous })
    expect(iou(mask(refined, bestMultimask(refined)), discMask(640, 480, disc))).toBeGreaterThanOrEqual(0.9)
    expect(refined.lowResLogits).not.toEqual(first.lowResLogits)
    // A strongly negative prior suppresses the strictest mask, a positive one grows the widest.
    const suppressed = await runtime.decode({ embedding, points, maskInput: new Float32Array(65536).fill(-10) })
    expect(area(mask(suppressed, 0))).toBe(0)
    const grown = await runtime.decode({ embedding, points, maskInput: new Float32Array(65536).fill(10) })
    expect(area(mask(grown, 3))).toBeGreaterThan(area(mask(first, 3)))
  })

  for (const [name, width, height, disc] of [
    ['portrait', 360, 640, { cx: 120, cy: 450, r: 70, colour: RED }],
    ['landscape', 800, 450, { cx: 610, cy: 130, r: 75, colour: RED }],
    ['square', 500, 500, { cx: 140, cy: 360, r: 80, colour: RED }],
  ] as const) {
    it(`maps clicks from image pixels correctly on a ${name} image (${width}x${height})`, async () => {
      const embedding = await encodeScene(name, width, height, [disc])
      const result = await runtime.decode({ embedding, points: [{ x: disc.cx, y: disc.cy, label: 1 }] })
      expect(result.outputSize).toEqual({ width, height })
      expect(iou(mask(result, bestMultimask(result)), discMask(width, height, disc))).toBeGreaterThanOrEqual(0.9)
    })
  }

  for (const orientation of [3, 6, 8]) {
    it(`uses the displayed (EXIF orientation ${orientation}) frame for sizes and clicks`, async () => {
      const disc: Disc = { cx: 180, cy: 140, r: 70, colour: RED }
      const shown = discScene(640, 400, [disc])
      const file = await writeImage(path.join(dir, `rotated-${orientation}.jpg`), storedForOrientation(shown, orientation), { format: 'jpeg', orientation })
      const { embedding } = await runtime.encodeFile(file)
      expect(embedding.geometry).toMatchObject({ originalWidth: 640, originalHeight: 400 })
      const result = await runtime.decode({ embedding, points: [{ x: 180, y: 140, label: 1 }] })
      expect(iou(mask(result, bestMultimask(result)), discMask(640, 400, disc))).toBeGreaterThanOrEqual(0.9)
    })
  }

  it('requests reduced masks for a 4000x3000 image and upscales the chosen one to full size', async () => {
    const disc: Disc = { cx: 1300, cy: 1700, r: 600, colour: RED }
    const file = await writeImage(path.join(dir, 'large.jpg'), discScene(4000, 3000, [disc]), { format: 'jpeg' })
    const { embedding } = await runtime.encodeFile(file)
    const result = await runtime.decode({ embedding, points: [{ x: 1300, y: 1700, label: 1 }], fullSizeMasks: [2] })
    expect(result.outputSize).toEqual({ width: 1182, height: 886 })
    expect(result.masks.length).toBe(4 * 1182 * 886) // 16.8 MB of logits instead of 192 MB
    const [full] = result.fullSizeMasks
    expect(full?.index).toBe(2)
    expect(full?.mask.length).toBe(4000 * 3000)
    expect(iou(full!.mask, discMask(4000, 3000, disc))).toBeGreaterThanOrEqual(0.9)
    // An explicit outputSize wins.
    const small = await runtime.decode({ embedding, points: [{ x: 1300, y: 1700, label: 1 }], outputSize: { width: 400, height: 300 } })
    expect(small.masks.length).toBe(4 * 400 * 300)
  })

  it('feeds attn_sim and target_embedding to the PerSAM decoder: a target embedding alone finds the object', async () => {
    const disc: Disc = { cx: 400, cy: 300, r: 90, colour: RED }
    const embedding = await encodeScene('persam', 640, 480, [disc])
    // The raw feature of the cell under the disc centre: (400, 300) -> (640, 480) in the canvas -> cell (30, 40).
    const targetEmbedding = Float32Array.from({ length: 256 }, (_, k) => embedding.data[k * 4096 + 30 * 64 + 40]!)
    const result = await runtime.decode({ embedding, points: [], targetEmbedding, attnSim: new Float32Array(4096).fill(0.5) })
    expect(iou(mask(result, 2), discMask(640, 480, disc))).toBeGreaterThanOrEqual(0.9)
    const withoutTarget = await runtime.decode({ embedding, points: [], attnSim: new Float32Array(4096).fill(0.5) })
    expect(area(mask(withoutTarget, 2))).toBe(0)
  })

  it('refuses an embedding from another model', async () => {
    const embedding = await encodeScene('other', 64, 64, [])
    await expect(runtime.decode({ embedding: { ...embedding, modelId: 'sam-vit-h' }, points: [] })).rejects.toThrow(/model sam-vit-h, this runtime runs toy-sam/)
  })
})
