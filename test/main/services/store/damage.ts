/** Fixtures for the backup and damage tests: a closed project with real masks, and a way to break its file. */
import { closeSync, openSync, writeSync } from 'node:fs'
import Database from 'better-sqlite3'
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

/**
 * Overwrites `pages` leaf pages of the annotations table (the middle ones) with random bytes. The
 * pages are looked up with SQLite's dbstat table rather than guessed from the file size, so the
 * damage stays in annotation rows (the project still opens and the check finds it) whatever the
 * schema puts around them.
 */
export function corruptMiddle(file: string, pages = 4, seed = 1): void {
  const pageSize = 4096
  const db = new Database(file, { readonly: true })
  let leaves: number[]
  try {
    leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'annotations' AND pagetype = 'leaf' ORDER BY pageno").all() as { pageno: number }[]).map((row) => row.pageno)
  } finally {
    db.close()
  }
  if (leaves.length < pages) throw new Error(`${file}: the annotations table has ${leaves.length} leaf pages, fewer than the ${pages} to damage`)
  const first = Math.floor(leaves.length / 2) - Math.floor(pages / 2)
  const rng = random(seed)
  const fd = openSync(file, 'r+')
  try {
    for (const page of leaves.slice(first, first + pages)) {
      const garbage = Buffer.from(Array.from({ length: pageSize }, () => Math.floor(rng() * 256)))
      // dbstat numbers pages from 1.
      writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize)
    }
  } finally {
    closeSync(fd)
  }
}
