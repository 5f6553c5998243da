/**
 * The calibrated review confidence per category (src/common/calibration): saved after each refit,
 * read when the review queue is ordered. Not part of the edit history: it is derived from the
 * review decisions, which are.
 */
import { z } from 'zod'
import type { CalibrationModel } from '../../../common/calibration/calibrator'
import type { AnnotationStatus } from '../../../common/ipc/dto/annotation'
import { statement, type SqliteDatabase } from './connection'

const finite = z.number().finite()
const modelSchema = z.object({
  kind: z.enum(['prior', 'platt', 'isotonic', 'signals']),
  logistic: z.object({ mean: z.array(finite), scale: z.array(finite), weights: z.array(finite), bias: finite }).nullable(),
  // Models saved before isotonic fits and reports existed read as having none.
  isotonic: z.object({ bounds: z.array(finite), values: z.array(finite) }).nullable().default(null),
  decisions: z.number().int().nonnegative(),
  good: z.number().int().nonnegative(),
  heldOutAuroc: finite.nullable(),
  priorAuroc: finite.nullable(),
  heldOutLogLoss: finite.nullable(),
  heldOutBrier: finite.nullable().default(null),
  priorBrier: finite.nullable().default(null),
  reason: z.string().default(''),
  threshold: finite,
  missRate: finite,
})

/** A propagation proposal of a category as the calibrator sees it. */
export interface ProposalRow {
  readonly id: number
  readonly status: AnnotationStatus
  readonly confidence: number
  /** The engine's method record (with its signals), also after a correction replaced the row's own. */
  readonly method: unknown
  /** A corrected proposal: the compressed RLE the engine proposed and the one kept, with the image size. */
  readonly correction: { readonly proposed: string; readonly final: string | null; readonly size: readonly [number, number] } | null
}

export class CalibrationRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
  ) {}

  save(categoryId: number, model: CalibrationModel): void {
    const checked = modelSchema.parse(model)
    statement(
      this.db,
      `INSERT INTO calibration_models(category_id, model, decisions, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(category_id) DO UPDATE SET model = excluded.model, decisions = excluded.decisions, updated_at = excluded.updated_at`,
    ).run(categoryId, JSON.stringify(checked), checked.decisions, this.now())
  }

  /** The stored model, or null when none was fitted yet. A damaged row is an error naming the table and category. */
  load(categoryId: number): CalibrationModel | null {
    const row = statement(this.db, 'SELECT model FROM calibration_models WHERE category_id = ?').get(categoryId) as { model: string } | undefined
    if (!row) return null
    const parsed = modelSchema.safeParse(JSON.parse(row.model))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new Error(`calibration_models: the model of category ${categoryId} is damaged (field '${issue.path.join('.')}': ${issue.message})`)
    }
    return parsed.data as CalibrationModel
  }

  /** Every proposal (engine-made annotation with a score) of a category, reviewed or not. */
  proposals(categoryId: number): ProposalRow[] {
    const rows = statement(
      this.db,
      `SELECT a.id, a.status, a.score, coalesce(a.proposal_method, a.method) AS method, a.proposal_rle, a.rle, i.height, i.width
       FROM annotations a JOIN images i ON i.id = a.image_id
       WHERE a.category_id = ? AND a.source != 'manual' AND a.score IS NOT NULL ORDER BY a.id`,
    ).all(categoryId) as {
      id: number
      status: AnnotationStatus
      score: number
      method: string | null
      proposal_rle: string | null
      rle: string | null
      height: number
      width: number
    }[]
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      confidence: row.score,
      method: row.method === null ? null : (JSON.parse(row.method) as unknown),
      correction: row.proposal_rle === null ? null : { proposed: row.proposal_rle, final: row.rle, size: [row.height, row.width] as const },
    }))
  }

  /**
   * Sets the review order of a category's pending proposals in one transaction: each id gets its
   * calibrated score, every other pending proposal of the category falls back to the engine's
   * score (`scores` null: all of them, when the prior is in use). Triggers move the images'
   * lowest scores, so the review queue stays an index walk. A stored score within `tolerance` of
   * the wanted one is kept (each rewrite moves the counters). Returns how many rows changed.
   */
  setReviewScores(categoryId: number, scores: ReadonlyMap<number, number> | null, tolerance = 0): number {
    return this.db.transaction(() => {
      const pending = statement(this.db, "SELECT id, review_score FROM annotations WHERE category_id = ? AND status = 'proposed'").all(categoryId) as { id: number; review_score: number | null }[]
      const update = statement(this.db, 'UPDATE annotations SET review_score = ? WHERE id = ?')
      let changed = 0
      for (const row of pending) {
        const wanted = scores?.get(row.id) ?? null
        const kept = wanted === null || row.review_score === null ? wanted === row.review_score : Math.abs(wanted - row.review_score) <= tolerance
        if (!kept) changed += update.run(wanted, row.id).changes
      }
      return changed
    })()
  }

  /** The calibrated review score of an annotation (null: the engine's score orders it). */
  reviewScore(annotationId: number): number | null {
    const row = statement(this.db, 'SELECT review_score FROM annotations WHERE id = ?').get(annotationId) as { review_score: number | null } | undefined
    return row?.review_score ?? null
  }
}
