import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeRle } from '../../../../src/common/mask'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { discScene, writeImage } from '../../../helpers/samImages'

let runtime: SamRuntime
beforeAll(async () => {
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
})
afterAll(async () => {
  await runtime?.close()
})

describe('decoder mask output modes', () => {
  it('binary masks and extents agree with the logits; "none" sends no masks', async () => {
    const file = await writeImage(path.join(mkdtempSync(path.join(tmpdir(), 'mask-output-')), 'disc.png'), discScene(320, 240, [{ cx: 120, cy: 110, r: 50, colour: [220, 30, 30] }]))
    const { embedding } = await runtime.encodeFile(file)
    const request = { embedding, points: [{ x: 120, y: 110, label: 1 as const }] }
    const logits = await runtime.decode(request)
    const binary = await runtime.decode({ ...request, maskOutput: 'binary' })
    const none = await runtime.decode({ ...request, maskOutput: 'none' })
    const rle = await runtime.decode({ ...request, maskOutput: 'rle' })
    expect(rle.rles).toHaveLength(4)
    for (let k = 0; k < 4; k++) {
      expect(rle.rles[k]!.size).toEqual([240, 320])
      expect(Array.from(decodeRle(rle.rles[k]!).data)).toEqual(Array.from(logits.masks.subarray(k * 320 * 240, (k + 1) * 320 * 240), (v) => (v > 0 ? 1 : 0)))
    }
    const plane = 320 * 240
    // Each result carries only the payload its request asked for.
    expect([logits.maskOutput, binary.maskOutput, none.maskOutput, rle.maskOutput]).toEqual(['logits', 'binary', 'none', 'rle'])
    expect('masks' in binary || 'rles' in binary).toBe(false)
    expect('masks' in none || 'binaryMasks' in none || 'rles' in none).toBe(false)
    expect(Array.from(binary.binaryMasks)).toEqual(Array.from(logits.masks, (v) => (v > 0 ? 1 : 0)))
    for (let k = 0; k < 4; k++) {
      let area = 0
      let x0 = Infinity
      let x1 = -1
      let y0 = Infinity
      let y1 = -1
      for (let i = 0; i < plane; i++) {
        if (!(logits.masks[k * plane + i]! > 0)) continue
        area++
        const x = i % 320
        const y = Math.floor(i / 320)
        x0 = Math.min(x0, x)
        x1 = Math.max(x1, x)
        y0 = Math.min(y0, y)
        y1 = Math.max(y1, y)
      }
      for (const result of [logits, binary, none]) {
        expect(result.extents[k]!.area).toBe(area)
        if (area > 0) expect(result.extents[k]).toMatchObject({ x0, y0, x1, y1 })
      }
    }
    expect(none.lowResLogits).toEqual(logits.lowResLogits)
  })
})
