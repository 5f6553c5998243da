import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { catalogDownloadBytes, catalogFiles, describeCatalogEntry, parseModelCatalog, type CatalogEntry } from '../../../src/common/models/catalog'

const FILE = 'resources/models/catalog.json'
const shipped = parseModelCatalog(readFileSync(FILE, 'utf8'), FILE)
const entry = (id: string) => shipped.models.find((model) => model.id === id)!

describe('the shipped model catalog', () => {
  it('offers a CPU-friendly model, SAM ViT-B and SAM ViT-H', () => {
    expect(shipped.models.some((model) => model.cpu === 'interactive')).toBe(true)
    expect(shipped.models.map((model) => model.family)).toEqual(expect.arrayContaining(['mobile-sam', 'sam-vit-b', 'sam-vit-h']))
  })

  it('downloads only over https, with exact sizes wherever a checksum is given', () => {
    for (const model of shipped.models) {
      for (const file of catalogFiles(model)) {
        for (const url of file.urls) expect(url, `${model.id} ${file.role}`).toMatch(/^https:\/\//)
        if (file.sha256 !== null) expect(file.bytes, `${model.id} ${file.role}`).toBeGreaterThan(1_000_000)
      }
    }
  })

  it('marks which entries are verified, and explains the rest', () => {
    expect(entry('sam-vit-h-quant')).toMatchObject({ checksums: 'publisher', maskCount: null })
    expect(entry('sam-vit-h-quant').files.encoder).toMatchObject({ bytes: 656_243_518, sha256: 'a5c745fd4279efc5e5436b412200e983dafc2249ce172af6cc0002a71bb5f485' })
    expect(entry('mobile-sam')).toMatchObject({ checksums: 'third-party', maskCount: 4, postInstall: ['persamify-decoder'] })
    expect(describeCatalogEntry(entry('mobile-sam'))).toContain('Verified: size and sha256 (recorded by independent projects) are checked before use.')
    expect(entry('sam-vit-b').checksums).toBe('none')
    expect(describeCatalogEntry(entry('sam-vit-b'))).toContain('Unverified: no sha256 is published')
    expect(catalogDownloadBytes(entry('mobile-sam'))).toBe(28_157_093 + 16_496_559)
  })
})

describe('parseModelCatalog', () => {
  const base = entry('mobile-sam')
  const parse = (models: unknown[]) => () => parseModelCatalog(JSON.stringify({ schemaVersion: 1, models }), 'test.json')

  it('refuses flavours the runtime cannot drive, naming the field', () => {
    expect(parse([{ ...base, encoderInput: 'efficientsam-raw01' }])).toThrow(/^test\.json: invalid model catalog: models\.0\.encoderInput: /)
    expect(parse([{ ...base, decoderOutput: 'sam2' }])).toThrow(/models\.0\.decoderOutput: /)
  })

  it('refuses inconsistent checksum claims, duplicate ids, unsafe file names and missing sizes', () => {
    const unhashed: CatalogEntry = { ...base, files: { ...base.files, decoder: { ...base.files.decoder, sha256: null } } }
    expect(parse([unhashed])).toThrow('models.0.checksums: "third-party" does not match the files\' sha256 values (1 of 2 given)')
    expect(parse([base, base])).toThrow('models.1.id: duplicate id "mobile-sam"')
    expect(parse([{ ...base, files: { ...base.files, encoder: { ...base.files.encoder, file: '../evil.onnx' } } }])).toThrow(/models\.0\.files\.encoder\.file: a plain file name/)
    expect(parse([{ ...base, files: { ...base.files, encoder: { ...base.files.encoder, file: 'decoder.onnx' } } }])).toThrow('models.0.files.decoder.file: encoder and decoder need different file names')
    expect(parse([{ ...base, files: { ...base.files, encoder: { ...base.files.encoder, bytes: null } } }])).toThrow('models.0.files.encoder.bytes: needs bytes or approxBytes')
    expect(parse([{ ...base, files: { ...base.files, encoder: { ...base.files.encoder, urls: ['ftp://example.org/a.onnx'] } } }])).toThrow(/models\.0\.files\.encoder\.urls\.0: must be an http\(s\) URL/)
    expect(() => parseModelCatalog('{', 'broken.json')).toThrow(/^broken\.json: not valid JSON/)
  })
})
