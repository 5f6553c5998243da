/** The committed toy model is exactly what `npm run gen:toy-model` produces. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { TOY_MODEL_DIR, toyModelFiles } from '../../scripts/toy-sam/files'

describe('resources/models/toy-sam', () => {
  const generated = toyModelFiles()

  it('regenerates byte for byte (run `npm run gen:toy-model` after changing scripts/toy-sam)', () => {
    expect([...generated.keys()]).toEqual(['encoder.onnx', 'decoder.onnx', 'decoder-persam.onnx', 'manifest.json'])
    for (const [name, bytes] of generated) {
      const committed = readFileSync(path.join(TOY_MODEL_DIR, name))
      expect(Buffer.compare(committed, Buffer.from(bytes)), name).toBe(0)
    }
  })

  it('is deterministic across generations and stays well under 1 MB per file', () => {
    const again = toyModelFiles()
    for (const [name, bytes] of generated) {
      expect(Buffer.compare(Buffer.from(again.get(name)!), Buffer.from(bytes)), name).toBe(0)
      expect(bytes.length, name).toBeLessThan(100_000)
    }
  })
})
