/** Shared fixtures for the store tests: throw-away project folders and image rows. */
import path from 'node:path'
import { Project, type ImageRecord, type StoredMask } from '../../../../src/main/services/store/index'
import { tempDir } from '../../../helpers/tempDir'

export { tempDir }

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

const STATE_SQL = `CASE WHEN total = 0 THEN 'unlabeled' WHEN proposed > 0 THEN 'to-review' WHEN absent = total THEN 'absent' ELSE 'reviewed' END`

/** Counters per (image, category) recomputed from the annotations table; category 0 = all. */
const RECOUNT = `
  WITH scoped AS (SELECT image_id, category_id, status, coalesce(review_score, score) AS score FROM annotations UNION ALL SELECT image_id, 0, status, coalesce(review_score, score) FROM annotations),
  grouped AS (
    SELECT image_id, category_id, count(*) AS total,
      sum(status = 'proposed') AS proposed, sum(status = 'accepted') AS accepted, sum(status = 'rejected') AS rejected,
      sum(status = 'edited') AS edited, sum(status = 'absent') AS absent,
      min(CASE WHEN status = 'proposed' THEN score END) AS min_score
    FROM scoped GROUP BY image_id, category_id)
  SELECT image_id, category_id, proposed, accepted, rejected, edited, absent, min_score, ${STATE_SQL} AS state FROM grouped`

/** Every counter the triggers maintain, recomputed from the annotations table. */
export function recountedTotals(project: Project): unknown {
  const db = project.db
  const perImage = db.prepare(`${RECOUNT} ORDER BY 1, 2`).all()
  return {
    perImage,
    states: db.prepare(`SELECT category_id, state, count(*) AS n FROM (${RECOUNT}) WHERE state != 'unlabeled' GROUP BY 1, 2 ORDER BY 1, 2`).all(),
    byCategory: db.prepare('SELECT category_id, status, count(*) AS n FROM annotations GROUP BY category_id, status ORDER BY 1, 2').all(),
    paths: db.prepare('SELECT c.image_id, c.category_id, i.rel_path FROM image_categories c JOIN images i ON i.id = c.image_id ORDER BY 1, 2').all(),
  }
}

/** The same counters as the triggers keep them. */
export function maintainedTotals(project: Project): unknown {
  const db = project.db
  const columns = 'n_proposed AS proposed, n_accepted AS accepted, n_rejected AS rejected, n_edited AS edited, n_absent AS absent, min_score, state'
  return {
    perImage: db
      .prepare(
        `SELECT * FROM (SELECT id AS image_id, 0 AS category_id, ${columns} FROM images UNION ALL SELECT image_id, category_id, ${columns} FROM image_categories)
         WHERE state != 'unlabeled' ORDER BY 1, 2`,
      )
      .all(),
    states: db.prepare('SELECT category_id, state, n FROM image_state_counts WHERE n != 0 ORDER BY 1, 2').all(),
    byCategory: db.prepare('SELECT category_id, status, n FROM annotation_counts WHERE n != 0 ORDER BY 1, 2').all(),
    paths: db.prepare('SELECT image_id, category_id, rel_path FROM image_categories ORDER BY 1, 2').all(),
  }
}
