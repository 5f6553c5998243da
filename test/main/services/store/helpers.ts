/** Shared fixtures for the store tests: throw-away project folders and image rows. */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { Project, type ImageRecord, type StoredMask } from '../../../../src/main/services/store/index'

const made: string[] = []

/** A fresh temporary folder, removed after the current test. */
export function tempDir(prefix = 'persam-store-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A controllable clock: every call advances by one millisecond. */
export function steppingClock(start = 1_700_000_000_000): () => number {
  let now = start
  return () => now++
}

export function newProject(options: { historyLimit?: number } = {}): Project {
  const dir = tempDir()
  return Project.create(path.join(dir, 'project'), { imagesRoot: path.join(dir, 'images'), now: steppingClock(), ...options })
}

export function addImages(project: Project, count: number, size = { width: 64, height: 48 }): ImageRecord[] {
  return project.images.add(
    Array.from({ length: count }, (_, i) => ({
      relPath: `set/img_${String(i).padStart(5, '0')}.jpg`,
      contentHash: i.toString(16).padStart(64, '0'),
      byteSize: 1000 + i,
      width: size.width,
      height: size.height,
      format: 'jpeg',
    })),
  )
}

/**
 * A mask the store treats as opaque: these tests are about rows, counters and history, not
 * pixels (the mask core has its own tests). `tag` makes each value distinguishable.
 */
export function opaqueMask(image: { width: number; height: number }, tag: number): StoredMask {
  const side = 1 + (tag % Math.min(image.width, image.height))
  return { size: [image.height, image.width], counts: `opaque${tag}`.replace(/[^0-o]/g, '0'), area: side, bbox: [0, 0, side, side] }
}

/** Every counter the triggers maintain, recomputed from the annotations table. */
export function recountedTotals(project: Project): unknown {
  const db = project.db
  return {
    perImage: db
      .prepare(
        `SELECT i.id,
           (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.status = 'proposed') AS proposed,
           (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.status = 'accepted') AS accepted,
           (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.status = 'rejected') AS rejected,
           (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.status = 'edited') AS edited,
           (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.status = 'absent') AS absent
         FROM images i ORDER BY i.id`,
      )
      .all(),
    byCategory: db.prepare('SELECT category_id, status, count(*) AS n FROM annotations GROUP BY category_id, status ORDER BY 1, 2').all(),
    imagesWith: db
      .prepare(
        `SELECT s.status, (SELECT count(DISTINCT image_id) FROM annotations a WHERE s.status = 'any' OR a.status = s.status) AS n
         FROM image_status_counts s ORDER BY s.status`,
      )
      .all(),
  }
}

/** The same counters as the triggers keep them. */
export function maintainedTotals(project: Project): unknown {
  const db = project.db
  return {
    perImage: db.prepare('SELECT id, n_proposed AS proposed, n_accepted AS accepted, n_rejected AS rejected, n_edited AS edited, n_absent AS absent FROM images ORDER BY id').all(),
    byCategory: db.prepare('SELECT category_id, status, n FROM annotation_counts WHERE n != 0 ORDER BY 1, 2').all(),
    imagesWith: db.prepare('SELECT status, n FROM image_status_counts ORDER BY status').all(),
  }
}
