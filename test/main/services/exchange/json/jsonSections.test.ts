import { writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonSyntaxError } from '../../../../../src/main/services/exchange/json/jsonDiagnose'
import { scanJsonSections } from '../../../../../src/main/services/exchange/json/jsonSections'
import { tempDir } from '../../../../helpers/tempDir'

const ARRAYS = new Set(['images', 'annotations', 'categories'])

async function scan(text: string | Buffer, chunkBytes = 1 << 16, wanted = ARRAYS) {
  const file = path.join(tempDir(), 'file.json')
  writeFileSync(file, text)
  const elements: Record<string, unknown[]> = {}
  const members: Record<string, unknown> = {}
  const summary = await scanJsonSections(
    file,
    {
      wants: (key) => wanted.has(key),
      onElement: (key, index, value) => {
        ;(elements[key] ??= [])[index] = value
      },
      onMember: (key, value) => (members[key] = value),
    },
    { arrays: ARRAYS, chunkBytes },
  )
  return { elements, members, summary }
}

async function failure(text: string | Buffer, chunkBytes = 1 << 16): Promise<string> {
  try {
    await scan(text, chunkBytes)
  } catch (error) {
    expect(error).toBeInstanceOf(JsonSyntaxError)
    return (error as Error).message
  }
  throw new Error('expected the scan to fail')
}

const json = fc.jsonValue({ maxDepth: 4 })

describe('scanJsonSections', () => {
  it('hands out exactly the elements JSON.parse sees, for any content and any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ images: fc.array(json, { maxLength: 6 }), annotations: fc.array(json, { maxLength: 6 }), info: json, other: json }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (document, chunkBytes, pretty) => {
          const text = JSON.stringify(document, null, pretty ? 2 : undefined)
          const { elements, members, summary } = await scan(text, chunkBytes)
          const parsed = JSON.parse(text) as typeof document
          expect(elements.images ?? []).toEqual(parsed.images)
          expect(elements.annotations ?? []).toEqual(parsed.annotations)
          expect(members).toEqual({ info: parsed.info, other: parsed.other })
          expect(summary.keys).toEqual(['images', 'annotations', 'info', 'other'])
          expect(summary.lengths.get('annotations')).toBe(parsed.annotations.length)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('skips the arrays not wanted in this pass without parsing them', async () => {
    const { elements, summary } = await scan('{"annotations": [1, 2, {"a": "]"}], "images": [{"id": 1}]}', 5, new Set(['images']))
    expect(elements).toEqual({ images: [{ id: 1 }] })
    expect(summary.lengths.get('annotations')).toBe(3)
  })

  it('fails on every truncation of a valid file, naming where it stopped', async () => {
    const text = JSON.stringify({ info: { v: 1 }, images: [{ id: 1, file_name: 'a "b".jpg' }], annotations: [{ id: 1, segmentation: { counts: 'ab]c', size: [2, 3] } }] })
    for (let cut = 0; cut < text.length - 1; cut++) {
      const message = await failure(text.slice(0, cut), 7)
      expect(message).toMatch(/truncated|empty|ends inside a string|expected a value/)
    }
    expect(await failure(text.slice(0, text.indexOf('ab]c') + 2))).toBe('annotations[0].segmentation.counts: the file ends inside a string (truncated JSON?)')
  })

  it('names the path of syntax errors, bad UTF-8, deep nesting and bad top-level shapes', async () => {
    expect(await failure('{"images": [{"id": 1}, {"id": 2,, "x": 1}]}')).toBe("images[1]: expected a key in double quotes, found character ',' at byte 32")
    expect((await scan('{"images": [{"id": 1, "file_name": "caf\u00e9 \\u00e9.jpg"}]}', 4)).elements.images).toEqual([{ id: 1, file_name: 'caf\u00e9 \u00e9.jpg' }])
    const latin1 = Buffer.concat([Buffer.from('{"images": [{"id": 1, "file_name": "caf'), Buffer.from([0xe9]), Buffer.from('.jpg"}]}')])
    expect(await failure(latin1, 3)).toBe('images[0].file_name: invalid UTF-8 at byte 39 (0xe9): the file must be UTF-8')
    const deep = `{"annotations": [{"segmentation": ${'['.repeat(100)}${']'.repeat(100)}}]}`
    expect(await failure(deep)).toBe(`annotations[0].segmentation${'[0]'.repeat(63)}: nested deeper than 64 levels`)
    expect(await failure('[1, 2]')).toBe('(root): the file must hold one JSON object (COCO), found character \'[\' at byte 0')
    expect(await failure('{"images": {"id": 1}}')).toBe("images: must be an array, found character '{' at byte 11")
    expect(await failure('{"images": [], "images": []}')).toBe('images: the top-level key "images" appears twice')
    expect(await failure('{"images": []} x')).toBe("(root): unexpected character 'x' at byte 15 after the end of the JSON object")
    expect(await failure('{"info": {"a": tru}}')).toBe("info.a: expected a value, found character 't' at byte 15")
    expect(await failure('')).toBe('(root): the file is empty')
    expect(await failure('{"images": [1 2]}')).toMatch(/^images\[0\]: expected ',' or '\]' after this element/)
  })
})
