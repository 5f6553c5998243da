/** Loads the golden vectors in test/fixtures/mask (see the README there for how they were made). */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { maskFromData, type BinaryMask } from '../../../src/common/mask'

const dir = path.resolve(__dirname, '../../fixtures/mask')

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T
}

export interface EncodeCase {
  name: string
  height: number
  width: number
  rows?: string[]
  hex?: string
  counts: number[]
  string: string
  area: number
  bbox: number[]
}

/** The case's mask, from '0'/'1' rows or row-major bits packed as hex (most significant bit first). */
export function caseMask(c: EncodeCase): BinaryMask {
  const data = new Uint8Array(c.width * c.height)
  if (c.rows) {
    c.rows.forEach((row, y) => {
      for (let x = 0; x < c.width; x++) data[y * c.width + x] = row[x] === '1' ? 1 : 0
    })
  } else {
    for (let i = 0; i < data.length; i++) data[i] = (parseInt(c.hex![i >> 2]!, 16) >> (3 - (i & 3))) & 1
  }
  return maskFromData(c.width, c.height, data)
}

/** Parses '0'/'1' rows into a mask (test shorthand). */
export function maskOf(rows: string[]): BinaryMask {
  const height = rows.length
  const width = rows[0]!.length
  const data = new Uint8Array(width * height)
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) data[y * width + x] = row[x] === '1' ? 1 : 0
  })
  return maskFromData(width, height, data)
}

/** Asserts two numeric arrays are equal (much faster than toEqual on large typed arrays); reports the first difference. */
export function expectSameValues(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  let first = actual.length === expected.length ? -1 : Math.min(actual.length, expected.length)
  for (let i = 0; first < 0 && i < actual.length; i++) if (actual[i] !== expected[i]) first = i
  if (first >= 0) {
    throw new Error(`arrays differ at index ${first}: ${actual[first]} vs ${expected[first]} (lengths ${actual.length}, ${expected.length})`)
  }
}
