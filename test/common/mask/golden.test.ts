import { describe, expect, it } from 'vitest'
import {
  cocoRle,
  compressRle,
  decodeRle,
  decompressRle,
  encodeRle,
  mergeRles,
  rasterizeBbox,
  rasterizePolygons,
  rleArea,
  rleBbox,
  rleIouMatrix,
  type MergeMode,
} from '../../../src/common/mask'
import { caseMask, loadFixture, type EncodeCase, expectSameValues } from './fixtures'

type Size = [number, number]
interface Golden {
  encode: EncodeCase[]
  strings: { name: string; size: Size; string: string; counts: number[]; reencoded: string; area: number; bbox: number[] }[]
  counts: { name: string; size: Size; counts: number[]; string: string; area: number; bbox: number[] }[]
  polygons: { name: string; size: Size; polygons: number[][]; counts: number[]; string: string; area: number; bbox: number[] }[]
  bboxes: { size: Size; bbox: number[]; counts: number[] }[]
  merges: { size: Size; mode: MergeMode; rles: number[][]; counts: number[] }[]
  ious: { size: Size; crowd: boolean[]; dt: number[][]; gt: number[][]; iou: number[][] }[]
}

const golden = loadFixture<Golden>('cocoapi-golden.json')
const rleOf = (size: Size, counts: number[]) => cocoRle(size[0], size[1], counts)

describe('COCO RLE against pycocotools (maskApi.c golden vectors)', () => {
  it.each(golden.encode.map((c) => [c.name, c] as const))('encodes %s', (_name, c) => {
    const mask = caseMask(c)
    const rle = encodeRle(mask)
    expect(rle.size).toEqual([c.height, c.width])
    expectSameValues(rle.counts, c.counts)
    expect(compressRle(rle).counts).toBe(c.string)
    expect(rleArea(rle)).toBe(c.area)
    expect(rleBbox(rle)).toEqual(c.bbox)
    const back = decodeRle(decompressRle({ size: [c.height, c.width], counts: c.string }))
    expectSameValues(back.data, mask.data)
  })

  it('decodes the published docs.cloudfactory.com example to area 6718, bbox [504, 842, 117, 75]', () => {
    const example = golden.strings[0]!
    const rle = decompressRle({ size: example.size, counts: example.string })
    expect(rleArea(rle)).toBe(6718)
    expect(rleBbox(rle)).toEqual([504, 842, 117, 75])
    expect(Array.from(rle.counts)).toEqual(example.counts)
    expect(compressRle(rle).counts).toBe(example.string)
    const mask = decodeRle(rle)
    expect(mask.data.reduce((sum, v) => sum + v, 0)).toBe(6718)
    expect(compressRle(encodeRle(mask)).counts).toBe(example.string)
  })

  it.each(golden.counts.map((c) => [c.name, c] as const))('compresses, measures and boxes raw counts: %s', (_name, c) => {
    const rle = rleOf(c.size, c.counts)
    expect(compressRle(rle).counts).toBe(c.string)
    expectSameValues(decompressRle({ size: c.size, counts: c.string }).counts, c.counts)
    expect(rleArea(rle)).toBe(c.area)
    expect(rleBbox(rle)).toEqual(c.bbox)
  })

  it.each(golden.polygons.map((c) => [c.name, c] as const))('rasterizes polygons like frPyObjects + merge: %s', (_name, c) => {
    const rle = rasterizePolygons(c.polygons, c.size[0], c.size[1])
    expectSameValues(rle.counts, c.counts)
    expect(compressRle(rle).counts).toBe(c.string)
    expect(rleArea(rle)).toBe(c.area)
    expect(rleBbox(rle)).toEqual(c.bbox)
  })

  it('rasterizes boxes like frBbox', () => {
    for (const c of golden.bboxes) expectSameValues(rasterizeBbox(c.bbox, c.size[0], c.size[1]).counts, c.counts)
  })

  it('merges (union and intersection) run for run', () => {
    for (const c of golden.merges) {
      const merged = mergeRles(
        c.rles.map((counts) => rleOf(c.size, counts)),
        c.mode,
      )
      expectSameValues(merged.counts, c.counts)
    }
  })

  it('computes the IoU matrix with the crowd rule, bit for bit', () => {
    for (const c of golden.ious) {
      const matrix = rleIouMatrix(
        c.dt.map((counts) => rleOf(c.size, counts)),
        c.gt.map((counts) => rleOf(c.size, counts)),
        c.crowd,
      )
      expect(matrix).toEqual(c.iou)
    }
  })
})
