/**
 * The calibrated review confidence per category (src/common/calibration): saved after each refit,
 * read when the review queue is ordered. Not part of the edit history: it is derived from the
 * review decisions, which are.
 */
import { z } from 'zod'
import type { CalibrationModel } from '../../../common/calibration/calibrator'
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
}
