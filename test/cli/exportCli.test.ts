/**
 * `persam-studio export`: a project's reviewed masks written by the CLI are the stored masks
 * exactly, the status and category filters hold, the project is only read (a job the studio is
 * running in it stays running), and bad arguments end with exit code 1 and a sentence naming them.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeRle, maskIou, segmentationToRle } from '../../src/common/mask'
import type { Project } from '../../src/main/services/store/index'
import { binaryOfStored } from '../../src/main/services/store/index'
import { buildProject } from '../main/services/exchange/coco/fixtures'

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const cli = (args: string[]): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'export', ...args], (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })

interface CocoFile {
  images: { id: number; file_name: string; width: number; height: number }[]
  categories: { id: number; name: string }[]
  annotations: { image_id: number; category_id: number; segmentation: unknown }[]
}

let project: Project
let out: string
// A fresh project per test (its temporary folder is removed after each).
beforeEach(() => {
  project = buildProject(7).project
  out = path.dirname(project.dir)
})
afterEach(() => project.close())

/** What the store holds for the given statuses, keyed by image path and category name. */
function storedAnnotations(statuses: readonly string[]) {
  const categories = new Map(project.categories.list().map((c) => [c.id, c.name]))
  return [...project.images.iterate()].flatMap((image) =>
    project.annotations
      .forImage(image.id)
      .filter((a) => statuses.includes(a.status))
      .map((a) => ({ file: image.relPath, category: categories.get(a.categoryId)!, mask: binaryOfStored(a.mask!) })),
  )
}

function readCoco(file: string) {
  const coco = JSON.parse(readFileSync(file, 'utf8')) as CocoFile
  const files = new Map(coco.images.map((i) => [i.id, i.file_name]))
  const categories = new Map(coco.categories.map((c) => [c.id, c.name]))
  return coco.annotations.map((a) => {
    const image = coco.images.find((i) => i.id === a.image_id)!
    const mask = decodeRle(segmentationToRle(a.segmentation, image.height, image.width))
    return { file: files.get(a.image_id)!, category: categories.get(a.category_id)!, mask }
  })
}

describe('persam-studio export', () => {
  it('writes the accepted and edited masks as compressed RLE, identical to the stored ones', async () => {
    const file = path.join(out, 'exports', 'coco.json')
    const { code, stderr } = await cli([project.dir, '--out', file])
    expect(code).toBe(0)
    const expected = storedAnnotations(['accepted', 'edited'])
    const written = readCoco(file)
    expect(written.map((a) => [a.file, a.category])).toEqual(expected.map((a) => [a.file, a.category]))
    written.forEach((a, i) => expect(a.mask.data).toEqual(expected[i]!.mask.data))
    expect(stderr).toContain(`wrote ${expected.length} annotations`)
  })

  it('filters by status and category, and writes polygons on request', async () => {
    const file = path.join(out, 'exports', 'proposed-mugs.json')
    const { code } = await cli([project.dir, '--out', file, '--status', 'proposed', '--category', 'mug', '--polygons'])
    expect(code).toBe(0)
    const expected = storedAnnotations(['proposed']).filter((a) => a.category === 'mug')
    expect(expected.length).toBeGreaterThan(0)
    const written = readCoco(file)
    expect(written.map((a) => a.file)).toEqual(expected.map((a) => a.file))
    // Polygons trace pixel edges: rasterised again they cover the mask closely, not always exactly.
    written.forEach((a, i) => expect(maskIou(a.mask, expected[i]!.mask)).toBeGreaterThan(0.9))
  })

  it('only reads the project: a job the studio is running there stays running', async () => {
    const [category] = project.categories.list()
    const job = project.runs.create({ method: 'persam', categoryId: category!.id, params: {}, imageIds: [...project.images.iterate()].map((i) => i.id) })
    project.runs.start(job.id)
    const { code } = await cli([project.dir, '--format', 'png', '--semantic', '--out', path.join(out, 'exports', 'png')])
    expect(code).toBe(0)
    expect(project.runs.get(job.id)?.state).toBe('running')
  })

  it('names the bad argument and exits with 1 (2 for a usage error)', async () => {
    const missing = await cli([path.join(out, 'nowhere'), '--out', path.join(out, 'x.json')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/error: .*nowhere.*project\.sqlite/)
    const category = await cli([project.dir, '--out', path.join(out, 'y.json'), '--category', 'giraffe'])
    expect(category.code).toBe(1)
    expect(category.stderr).toContain('--category giraffe: no such category')
    expect(category.stderr).toContain('mug, cat, teapot')
    const status = await cli([project.dir, '--out', path.join(out, 'z.json'), '--status', 'done'])
    expect(status.code).toBe(2)
    expect(status.stderr).toMatch(/--status.*expected one of proposed, accepted/)
  })
})
