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
  kind: z.enum(['prior', 'platt', 'signals']),
  logistic: z.object({ mean: z.array(finite), scale: z.array(finite), weights: z.array(finite), bias: finite }).nullable(),
  decisions: z.number().int().nonnegative(),
  good: z.number().int().nonnegative(),
  heldOutAuroc: finite.nullable(),
  priorAuroc: finite.nullable(),
  heldOutLogLoss: finite.nullable(),
  threshold: finite,
  missRate: finite,
})

/** A propagation proposal of a category as the calibrator sees it. */
export interface ProposalRow {
  readonly id: number
  readonly status: AnnotationStatus
  readonly confidence: number
  readonly method: unknown
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
    const rows = statement(this.db, "SELECT id, status, score, method FROM annotations WHERE category_id = ? AND source != 'manual' AND score IS NOT NULL ORDER BY id").all(categoryId) as {
      id: number
      status: AnnotationStatus
      score: number
      method: string | null
    }[]
    return rows.map((row) => ({ id: row.id, status: row.status, confidence: row.score, method: row.method === null ? null : (JSON.parse(row.method) as unknown) }))
  }
}
