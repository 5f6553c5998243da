/**
 * The location prior without materialisation must choose the same points and attention as the
 * reference's full-resolution maps, on real encoder output for a non-square photo.
 */
import path from 'node:path'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cellNorms, normalized, similarityGrid, targetFeatures } from '../../../../src/common/persam/features'
import { selectReferenceCells } from '../../../../src/common/persam/referenceCells'
import { segmentImage } from '../../../../src/common/persam/segment'
import { prepareTarget } from '../../../../src/common/persam/target'
import type { DecodeRequest, SamDecoderPort } from '../../../../src/common/sam/port'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { naiveFullMap, torchBilinear } from '../../../common/persam/naive'
import { discMask, discScene, writeImage, type Disc } from '../../../helpers/samImages'

let runtime: SamRuntime
beforeAll(async () => {
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
})
afterAll(async () => {
  await runtime?.close()
})

describe('location prior equals the reference computation', () => {
  it('same positive and negative points and attn_sim as full materialisation (square and non-square)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'equivalence-'))
    for (const [width, height] of [
      [720, 400],
      [500, 500],
    ] as const) {
      const disc: Disc = { cx: width * 0.3, cy: height * 0.5, r: 60, colour: [220, 40, 40] }
      const other: Disc = { cx: width * 0.75, cy: height * 0.4, r: 50, colour: [200, 70, 50] }
      const file = await writeImage(path.join(dir, `${width}.png`), discScene(width, height, [disc, other], 3))
      const { embedding } = await runtime.encodeFile(file)
      const mask = { width, height, data: discMask(width, height, disc) }
      const target = await prepareTarget([{ embedding, mask }], 'persam', runtime)
      const requests: DecodeRequest[] = []
      const recording: SamDecoderPort = {
        capabilities: runtime.capabilities,
        decode: (request) => {
          requests.push(request)
          return runtime.decode(request)
        },
      }
      await segmentImage(target, embedding, recording, { candidates: 1, attention: 'reference' })

      // The reference: mean feature of the selected cells, cosine grid, full H x W map.
      const cells = selectReferenceCells(mask, embedding.geometry)
      const unit = normalized(targetFeatures(embedding.data, cells.selection).mean)
      const full = naiveFullMap(similarityGrid(embedding.data, unit, cellNorms(embedding.data)), embedding.geometry)
      let max = 0
      let min = 0
      for (let i = 1; i < full.length; i++) {
        if (full[i]! > full[max]!) max = i
        if (full[i]! < full[min]!) min = i
      }
      const [positive, negative] = requests[0]!.points
      expect([positive!.x, positive!.y]).toEqual([max % width, Math.floor(max / width)])
      expect([negative!.x, negative!.y]).toEqual([min % width, Math.floor(min / width)])

      const mean = full.reduce((s, v) => s + v, 0) / full.length
      const std = Math.sqrt(full.reduce((s, v) => s + (v - mean) ** 2, 0) / (full.length - 1))
      const attention = torchBilinear(full.map((v) => (v - mean) / std), height, width, 64, 64).map((v) => 1 / (1 + Math.exp(-v)))
      const sent = requests[0]!.attnSim!
      let worst = 0
      for (let i = 0; i < 4096; i++) worst = Math.max(worst, Math.abs(sent[i]! - attention[i]!))
      expect(worst).toBeLessThan(1e-6)
    }
  })
})
