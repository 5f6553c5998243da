import { describe, expect, it } from 'vitest'
import {
  cellNorms,
  combineTargets,
  maxGrid,
  maxMeanFeature,
  PersamInputError,
  similarityGrid,
  targetFeatures,
} from '../../../src/common/persam/features'
import { selectReferenceCells } from '../../../src/common/persam/referenceCells'
import { geometryOf } from './naive'

const CELLS = 4096

/** An embedding whose cell k has feature e_(k mod 256) * (1 + k/4096): easy to reason about. */
function basisEmbedding(): Float32Array {
  const embedding = new Float32Array(256 * CELLS)
  for (let k = 0; k < CELLS; k++) embedding[(k % 256) * CELLS + k] = 1 + k / CELLS
  return embedding
}

describe('target features', () => {
  it('averages and maxes the raw features of the selected cells', () => {
    const embedding = new Float32Array(256 * CELLS)
    // cell 10: channel 0 = 2, channel 1 = 4; cell 20: channel 0 = 6, channel 1 = -2
    embedding[0 * CELLS + 10] = 2
    embedding[1 * CELLS + 10] = 4
    embedding[0 * CELLS + 20] = 6
    embedding[1 * CELLS + 20] = -2
    const selection = new Uint8Array(CELLS)
    selection[10] = 1
    selection[20] = 1
    const { mean, max } = targetFeatures(embedding, selection)
    expect([mean[0], mean[1], mean[2]]).toEqual([4, 1, 0])
    expect([max[0], max[1]]).toEqual([6, 4])
    // PerSAM-F: normalise((max + mean) / 2) = normalise([5, 2.5, 0, ...])
    const f = maxMeanFeature({ mean, max })
    expect(f[0]).toBeCloseTo(5 / Math.hypot(5, 2.5), 6)
    expect(f[1]).toBeCloseTo(2.5 / Math.hypot(5, 2.5), 6)
  })

  it('refuses an empty selection', () => {
    expect(() => targetFeatures(basisEmbedding(), new Uint8Array(CELLS))).toThrow(PersamInputError)
  })

  it('computes cosine similarity with every normalised cell', () => {
    const embedding = basisEmbedding()
    const target = new Float32Array(256)
    target[3] = 1
    const grid = similarityGrid(embedding, target, cellNorms(embedding))
    for (let k = 0; k < 600; k++) expect(grid[k]).toBeCloseTo(k % 256 === 3 ? 1 : 0, 6)
    const diagonal = new Float32Array(256)
    diagonal[3] = Math.SQRT1_2
    diagonal[4] = Math.SQRT1_2
    expect(similarityGrid(embedding, diagonal)[4]).toBeCloseTo(Math.SQRT1_2, 6)
  })

  it('combines few-shot targets as the mean of unit vectors and maps by per-cell maximum', () => {
    const a = new Float32Array(256)
    a[0] = 10
    const b = new Float32Array(256)
    b[1] = 0.5
    const combined = combineTargets([a, b])
    expect(combined[0]).toBeCloseTo(Math.SQRT1_2, 6)
    expect(combined[1]).toBeCloseTo(Math.SQRT1_2, 6)
    const g1 = Float32Array.from({ length: CELLS }, (_, i) => (i % 2 ? 0.9 : 0.1))
    const g2 = Float32Array.from({ length: CELLS }, (_, i) => (i % 2 ? 0.2 : 0.3))
    const m = maxGrid([g1, g2])
    expect([m[0], m[1]]).toEqual([Math.fround(0.3), Math.fround(0.9)])
  })
})

describe('reference cell selection', () => {
  function blockMask(width: number, height: number, x0: number, y0: number, x1: number, y1: number) {
    const data = new Uint8Array(width * height)
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 1
    return { width, height, data }
  }

  it('selects exactly the cells whose centre pixels are covered (1024 square image)', () => {
    // Rows 32..96 and columns 48..80 cover cells rows 2..5 and columns 3..4 completely.
    const mask = blockMask(1024, 1024, 48, 32, 80, 96)
    const result = selectReferenceCells(mask, geometryOf(1024, 1024))
    expect(result.usedFallback).toBe(false)
    const selected: number[] = []
    result.selection.forEach((v, i) => v && selected.push(i))
    expect(selected).toEqual([2, 3, 4, 5].flatMap((r) => [r * 64 + 3, r * 64 + 4]))
  })

  it('accounts for the resize: a 2048 image maps 32 original pixels to one cell', () => {
    const mask = blockMask(2048, 2048, 64, 64, 128, 128)
    const result = selectReferenceCells(mask, geometryOf(2048, 2048))
    const selected: number[] = []
    result.selection.forEach((v, i) => v && selected.push(i))
    expect(selected).toEqual([2 * 64 + 2, 2 * 64 + 3, 3 * 64 + 2, 3 * 64 + 3])
  })

  it('falls back to the best-covered cells for a mask too small to cover a cell centre', () => {
    const mask = blockMask(1024, 1024, 33, 33, 37, 37) // 4x4 pixels inside cell (2, 2), off-centre
    const result = selectReferenceCells(mask, geometryOf(1024, 1024))
    expect(result.usedFallback).toBe(true)
    expect(result.count).toBe(1)
    expect(result.selection[2 * 64 + 2]).toBe(1)
  })

  it('never selects padding cells of a landscape image', () => {
    const mask = blockMask(800, 400, 0, 0, 800, 400) // everything is foreground
    const geometry = geometryOf(800, 400)
    const result = selectReferenceCells(mask, geometry)
    const rowsWithCells = new Set<number>()
    result.selection.forEach((v, i) => v && rowsWithCells.add(Math.floor(i / 64)))
    expect(Math.max(...rowsWithCells)).toBe(Math.ceil(geometry.resizedHeight / 16) - 1)
    expect(result.count).toBe(64 * 32)
  })

  it('rejects an empty mask and a mask of the wrong size', () => {
    expect(() => selectReferenceCells(blockMask(100, 100, 0, 0, 0, 0), geometryOf(100, 100))).toThrow(/empty/)
    expect(() => selectReferenceCells(blockMask(100, 90, 0, 0, 10, 10), geometryOf(100, 100))).toThrow(/100x90.*100x100/)
  })
})
