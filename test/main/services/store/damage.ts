/** Fixtures for the backup and damage tests: a closed project with real masks, and a way to break its file. */
import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import path from 'node:path'
import { createMask, paintDisc } from '../../../../src/common/mask/index'
import { Project, storedMaskFromBinary } from '../../../../src/main/services/store/index'
import { random } from './crash/workload'
import { addImages, tempDir } from './helpers'

/** A project with `accepted` accepted annotations (real masks), closed. */
export function projectWithAnnotations(accepted: number): string {
  const dir = path.join(tempDir('persam-backup-'), 'project')
  const project = Project.create(dir, { imagesRoot: path.dirname(dir) })
  const images = addImages(project, 40)
  const category = project.categories.create({ name: 'mug' })
  for (let i = 0; i < accepted; i++) {
    const mask = storedMaskFromBinary(paintDisc(createMask(64, 48), { x: 10 + (i % 40), y: 10 + (i % 25) }, 4 + (i % 9)))
    project.annotations.create({ imageId: images[i % images.length]!.id, categoryId: category.id, mask, status: 'accepted', source: 'manual' })
  }
  project.close()
  return dir
}

/** Overwrites `pages` pages in the middle of the file with random bytes (the header page stays intact). */
export function corruptMiddle(file: string, pages = 4, seed = 1): void {
  const pageSize = 4096
  const total = Math.floor(statSync(file).size / pageSize)
  const first = Math.floor(total / 2) - Math.floor(pages / 2)
  const rng = random(seed)
  const fd = openSync(file, 'r+')
  try {
    for (let page = first; page < first + pages; page++) {
      const garbage = Buffer.from(Array.from({ length: pageSize }, () => Math.floor(rng() * 256)))
      writeSync(fd, garbage, 0, pageSize, page * pageSize)
    }
  } finally {
    closeSync(fd)
  }
}

