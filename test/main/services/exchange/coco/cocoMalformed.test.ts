/**
 * Bad input: every malformed COCO file is rejected with a message naming the path inside the
 * JSON, and the project is left exactly as it was (every table compared row by row).
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CocoImportError, importCoco } from '../../../../../src/main/services/exchange/coco/cocoImport'
import { storedMaskFromBinary, type Project } from '../../../../../src/main/services/store/index'
import { createMask, paintDisc } from '../../../../../src/common/mask/index'
import { useTempDir } from '../../../../helpers/tempDir'
import { addImageRows, newEmptyProject } from './fixtures'

const square = [1, 1, 9, 1, 9, 9, 1, 9]
const valid = () => ({
  info: { description: 'fixture' },
  images: [
    { id: 1, file_name: 'shots/000.jpg', width: 40, height: 30 },
    { id: 2, file_name: 'shots/001.jpg', width: 33, height: 47 },
  ],
  categories: [{ id: 1, name: 'cup' }, { id: 2, name: 'plate' }],
  annotations: [
    { id: 1, image_id: 1, category_id: 1, segmentation: [square], iscrowd: 0 },
    { id: 2, image_id: 2, category_id: 2, segmentation: { size: [47, 33], counts: [100, 50, 33 * 47 - 150] }, iscrowd: 0 },
  ],
})
type Valid = ReturnType<typeof valid>
const edit = (change: (coco: Valid & Record<string, unknown>) => void): string => {
  const coco = valid() as Valid & Record<string, unknown>
  change(coco)
  return JSON.stringify(coco, null, 1)
}
const text = JSON.stringify(valid(), null, 1)

/** [name, file content, expected path, expected message pattern] */
const CASES: [string, string | Buffer, string, RegExp][] = [
  ['truncated in the annotations', text.slice(0, text.indexOf('"counts"') + 14), 'annotations[1].segmentation.counts[0]', /truncated/],
  ['truncated inside a string', text.slice(0, text.indexOf('shots/001') + 4), 'images[1].file_name', /ends inside a string/],
  ['invalid UTF-8 in a file name', Buffer.concat([Buffer.from(text.slice(0, text.indexOf('000.jpg'))), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(text.indexOf('000.jpg')))]), 'images[0].file_name', /invalid UTF-8/],
  ['an array at the root', JSON.stringify([valid()]), '(root)', /must hold one JSON object/],
  ['an empty file', '', '(root)', /empty/],
  ['trailing garbage', `${text} {}`, '(root)', /after the end of the JSON object/],
  ['a duplicated top-level key', text.replace('"info"', '"images": [], "x"').replace('"x":', '"images":'), 'images', /appears twice/],
  ['a missing comma', text.replace('"iscrowd": 0\n  },', '"iscrowd": 0\n  }'), 'annotations[0]', /expected ',' or '\]'/],
  ['no images key', edit((c) => delete (c as Partial<Valid>).images), '(root)', /required key "images" is missing/],
  ['no annotations key', edit((c) => delete (c as Partial<Valid>).annotations), '(root)', /required key "annotations" is missing/],
  ['no categories key', edit((c) => delete (c as Partial<Valid>).categories), '(root)', /required key "categories" is missing/],
  ['images not an array', edit((c) => ((c as Record<string, unknown>).images = { id: 1 })), 'images', /must be an array/],
  ['an image id that is a string', edit((c) => ((c.images[0] as Record<string, unknown>).id = '1')), 'images[0].id', /expected number, received string/],
  ['an image without file_name', edit((c) => delete (c.images[1] as Partial<Valid['images'][0]>).file_name), 'images[1].file_name', /required key is missing/],
  ['an image of width 0', edit((c) => (c.images[0]!.width = 0)), 'images[0].width', /too small/i],
  ['an image width of 1e400', text.replace('"width": 40', '"width": 1e400'), 'images[0].width', /Infinity/],
  ['an image id beyond 2^53', text.replace('"id": 2,\n   "file_name"', '"id": 1e20,\n   "file_name"'), 'images[1].id', /^must be at most 9007199254740991/],
  ['a duplicated image id', edit((c) => (c.images[1]!.id = 1)), 'images[1].id', /image id 1 is used twice/],
  ['a fractional category id', edit((c) => (c.categories[0]!.id = 1.5)), 'categories[0].id', /^must be an integer$/],
  ['a category without name', edit((c) => delete (c.categories[1] as Partial<Valid['categories'][0]>).name), 'categories[1].name', /required key is missing/],
  ['a duplicated category name', edit((c) => (c.categories[1]!.name = 'cup')), 'categories[1].name', /"cup" is used twice/],
  ['an annotation on a missing image', edit((c) => (c.annotations[1]!.image_id = 99)), 'annotations[1].image_id', /no image has id 99/],
  ['an annotation of a missing category', edit((c) => (c.annotations[0]!.category_id = 42)), 'annotations[0].category_id', /no category has id 42/],
  ['an annotation without segmentation', edit((c) => delete (c.annotations[0] as Partial<Valid['annotations'][0]>).segmentation), 'annotations[0].segmentation', /list of polygons or an RLE object/],
  ['a segmentation that is a number', edit((c) => ((c.annotations[0] as Record<string, unknown>).segmentation = 5)), 'annotations[0].segmentation', /list of polygons or an RLE object/],
  ['a polygon of 4 numbers (a box in disguise)', edit((c) => ((c.annotations[0] as Record<string, unknown>).segmentation = [[1, 1, 5, 5]])), 'annotations[0].segmentation', /2 points; at least 3 are needed/],
  ['a polygon with an odd number of coordinates', edit((c) => ((c.annotations[0] as Record<string, unknown>).segmentation = [[1, 1, 5, 5, 9]])), 'annotations[0].segmentation[0]', /^has an odd number of coordinates \(5\)$/],
  ['a polygon with a string coordinate', edit((c) => ((c.annotations[0] as Record<string, unknown>).segmentation = [[1, 1, 5, 'x', 9, 9]])), 'annotations[0].segmentation[0][3]', /^must be a finite number, got "x"$/],
  ['RLE counts that do not fill the image', edit((c) => ((c.annotations[1] as Record<string, unknown>).segmentation = { size: [47, 33], counts: [100, 50] })), 'annotations[1].segmentation', /^counts sum to 150 but size \[47,33\] needs 1551$/],
  ['RLE counts with a negative run', edit((c) => ((c.annotations[1] as Record<string, unknown>).segmentation = { size: [47, 33], counts: [100, -50, 1501] })), 'annotations[1].segmentation', /counts\[1\] must be a non-negative integer/],
  ['RLE counts with a run of 2^40', edit((c) => ((c.annotations[1] as Record<string, unknown>).segmentation = { size: [47, 33], counts: [2 ** 40] })), 'annotations[1].segmentation', /counts\[0\] must be a non-negative integer, got 1099511627776/],
  ['a compressed RLE string with bad characters', edit((c) => ((c.annotations[1] as Record<string, unknown>).segmentation = { size: [47, 33], counts: 'ab~cd' })), 'annotations[1].segmentation', /character|invalid/i],
  ['an RLE sized unlike its image', edit((c) => ((c.annotations[1] as Record<string, unknown>).segmentation = { size: [33, 47], counts: [1551] })), 'annotations[1].segmentation.size', /does not match the image size \[47,33\]/],
  ['an RLE with a negative size', edit((c) => ((c.annotations[1] as Record<string, unknown>).segmentation = { size: [-47, 33], counts: [1551] })), 'annotations[1].segmentation.size', /^height must be between 1/],
  ['iscrowd 2', edit((c) => (c.annotations[0]!.iscrowd = 2)), 'annotations[0].iscrowd', /^must be 0 or 1$/],
  ['a bbox of 3 numbers', edit((c) => ((c.annotations[0] as Record<string, unknown>).bbox = [1, 2, 3])), 'annotations[0].bbox', /4/],
  ['a score of 5', edit((c) => ((c.annotations[0] as Record<string, unknown>).score = 5)), 'annotations[0].score', /too big/i],
  ['a duplicated annotation id', edit((c) => (c.annotations[1]!.id = 1)), 'annotations[1].id', /annotation id 1 is used twice/],
  ['segmentation nested 500 deep', edit((c) => ((c.annotations[0] as Record<string, unknown>).segmentation = JSON.parse(`${'['.repeat(500)}1${']'.repeat(500)}`) as unknown)), `annotations[0].segmentation${'[0]'.repeat(63)}`, /nested deeper than 64 levels/],
]

/** Every row of every table, to prove a refused import changed nothing. */
function snapshot(project: Project): string {
  const tables = project.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  return JSON.stringify(tables.map(({ name }) => [name, project.db.prepare(`SELECT * FROM "${name}"`).all()]))
}

describe(`malformed COCO files (${CASES.length} cases)`, () => {
  let project: Project
  let before: string
  const shared = useTempDir('persam-coco-bad-')
  beforeAll(() => {
    project = newEmptyProject('project', shared)
    const [image] = addImageRows(project, 2)
    const category = project.categories.create({ name: 'cup' })
    const mask = paintDisc(createMask(40, 30), { x: 10, y: 10 }, 4)
    project.annotations.create({ imageId: image!, categoryId: category.id, mask: storedMaskFromBinary(mask), status: 'accepted', source: 'manual' })
    before = snapshot(project)
  })

  it('has a valid baseline that imports', async () => {
    // The baseline file itself is fine: import it into a scratch project to prove the cases differ only by their defect.
    const scratch = newEmptyProject('scratch')
    addImageRows(scratch, 2)
    const file = path.join(scratch.dir, 'valid.json')
    writeFileSync(file, text)
    expect((await importCoco(scratch, file)).imported.annotations).toBe(2)
    scratch.close()
  })

  for (const [name, content, where, pattern] of CASES) {
    it(`refuses ${name}, naming ${where}, and changes nothing`, async () => {
      const file = path.join(project.dir, 'bad.json')
      writeFileSync(file, content)
      const error = await importCoco(project, file).then(
        () => null,
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(CocoImportError)
      const issue = (error as CocoImportError).issues![0]!
      expect(issue.path).toBe(where)
      expect(issue.message).toMatch(pattern)
      expect((error as Error).message).toContain(`bad.json: ${where}: `)
      expect((error as Error).message).toMatch(/Nothing was imported\.$/)
      expect(snapshot(project)).toBe(before)
    })
  }
})
