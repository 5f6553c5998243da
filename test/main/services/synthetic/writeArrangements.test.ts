import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateDatasetSpec } from '../../../../src/common/synthetic'
import { writeSyntheticDataset } from '../../../../src/main/services/synthetic/writeSyntheticDataset'

describe('writeSyntheticDataset with the arrangements recipe', () => {
  it('writes that recipe in the PerSeg layout and records it in the manifest', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'synthetic-arrangements-'))
    const manifest = await writeSyntheticDataset(out, { recipe: 'arrangements', seed: 4, objectCount: 1, minImages: 3, maxImages: 3 })
    const [expected] = generateDatasetSpec({ recipe: 'arrangements', seed: 4, objectCount: 1, minImages: 3, maxImages: 3 })
    expect(manifest.options.recipe).toBe('arrangements')
    expect(manifest.objects.map((o) => o.name)).toEqual([expected!.template.name])
    expect(readdirSync(path.join(out, 'Annotations', expected!.template.name)).sort()).toEqual(['00.png', '01.png', '02.png'])
  })
})
