/**
 * The persistent edit history: a command log of before/after row states, grouped in steps.
 * Undo restores the `before` states of the newest step in reverse order, redo the `after` states
 * in order; both check each row's revision first, so a step is never applied over a row that has
 * changed since. Everything lives in SQLite, so undo and redo survive a restart.
 */
import { ANNOTATION_COLUMNS, type AnnotationRow } from './annotationRows'
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput } from './errors'

export interface ReferenceRow {
  set_id: number
  annotation_id: number
  added_at: number
}

export type HistoryEntity = 'annotation' | 'reference'

export interface HistoryStep {
  readonly id: number
  readonly label: string
  readonly createdAt: number
  readonly undone: boolean
  /** Still receiving changes (a running propagation job): undo skips it until it is closed. */
  readonly open: boolean
}

/** What an undo or redo changed, so callers can refresh exactly those images. */
export interface HistoryApplied {
  readonly step: HistoryStep
  readonly annotationIds: readonly number[]
  readonly imageIds: readonly number[]
}

interface StepRow {
  id: number
  label: string
  created_at: number
  undone_seq: number | null
  open: number
}

interface OpRow {
  entity: HistoryEntity
  before: string | null
  after: string | null
}

const toStep = (row: StepRow): HistoryStep => ({
  id: row.id,
  label: row.label,
  createdAt: row.created_at,
  undone: row.undone_seq !== null,
  open: row.open === 1,
})

export const DEFAULT_HISTORY_LIMIT = 1000

export class EditHistory {
  private activeStep: number | null = null
  /** The redo branch is dropped by the first change actually logged, so a no-op keeps redo. */
  private branchDropPending = false
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    /** Closed steps kept; older ones are dropped when a new step starts. */
    private readonly limit = DEFAULT_HISTORY_LIMIT,
  ) {}

  /**
   * Runs `change` in one transaction as one undo step labelled `label`. Nested calls (and calls
   * inside `appendTo`) join the enclosing step, so a compound action is still one undo.
   */
  record<T>(label: string, change: () => T): T {
    if (this.activeStep !== null) return change()
    return this.db.transaction(() => {
      const stepId = this.startStep(label, false)
      this.branchDropPending = true
      const result = this.withStep(stepId, change)
      this.branchDropPending = false
      // A change that touched nothing leaves no empty step behind.
      statement(this.db, 'DELETE FROM history_steps WHERE id = ? AND NOT EXISTS (SELECT 1 FROM history_ops WHERE step_id = ?)').run(stepId, stepId)
      return result
    })()
  }

  /** Starts a step that later transactions append to (one propagation job = one undo step). */
  openStep(label: string): number {
    return this.db.transaction(() => {
      this.dropRedoBranch()
      return this.startStep(label, true)
    })()
  }

  /** Runs `change` in one transaction, logging its changes into the open step `stepId`. */
  appendTo<T>(stepId: number, change: () => T): T {
    return this.db.transaction(() => {
      const row = statement(this.db, 'SELECT open FROM history_steps WHERE id = ?').get(stepId) as { open: number } | undefined
      if (!row || row.open !== 1) throw invalidInput(`history step ${stepId} is not open`)
      return this.withStep(stepId, change)
    })()
  }

  /** Closes an open step; an open step that received nothing is removed. */
  closeStep(stepId: number): void {
    this.db.transaction(() => {
      statement(this.db, 'UPDATE history_steps SET open = 0 WHERE id = ?').run(stepId)
      statement(this.db, 'DELETE FROM history_steps WHERE id = ? AND NOT EXISTS (SELECT 1 FROM history_ops WHERE step_id = ?)').run(stepId, stepId)
    })()
  }

  /** Called by the repositories for every annotation row they create, change or delete. */
  logAnnotation(before: AnnotationRow | null, after: AnnotationRow | null): void {
    this.log('annotation', before, after)
  }

  logReference(before: ReferenceRow | null, after: ReferenceRow | null): void {
    this.log('reference', before, after)
  }

  peek(): { undo: HistoryStep | null; redo: HistoryStep | null } {
    // Open steps (a running job) insert new annotations and delete untouched proposals, so undo
    // passes over them to the newest closed step; an older step that touches a proposal the job
    // has replaced fails its revision check (a conflict) and changes nothing.
    const undo = statement(this.db, 'SELECT * FROM history_steps WHERE undone_seq IS NULL AND open = 0 ORDER BY id DESC LIMIT 1').get() as
      | StepRow
      | undefined
    const redo = statement(this.db, 'SELECT * FROM history_steps WHERE undone_seq IS NOT NULL ORDER BY undone_seq DESC LIMIT 1').get() as
      | StepRow
      | undefined
    return { undo: undo ? toStep(undo) : null, redo: redo ? toStep(redo) : null }
  }

  /** Newest first. */
  list(limit = 50): HistoryStep[] {
    return (statement(this.db, 'SELECT * FROM history_steps ORDER BY id DESC LIMIT ?').all(limit) as StepRow[]).map(toStep)
  }

  /** Reverts the newest step; null when there is nothing to undo. */
  undo(): HistoryApplied | null {
    return this.db.transaction(() => {
      const step = this.peek().undo
      if (!step) return null
      const ops = statement(this.db, 'SELECT entity, before, after FROM history_ops WHERE step_id = ? ORDER BY id DESC').all(step.id) as OpRow[]
      const touched = this.apply(step, ops, 'undo')
      statement(this.db, 'UPDATE history_steps SET undone_seq = (SELECT coalesce(max(undone_seq), 0) + 1 FROM history_steps) WHERE id = ?').run(step.id)
      return { step: { ...step, undone: true }, ...touched }
    }).immediate()
  }

  /** Re-applies the step undone last; null when there is nothing to redo. */
  redo(): HistoryApplied | null {
    return this.db.transaction(() => {
      const step = this.peek().redo
      if (!step) return null
      const ops = statement(this.db, 'SELECT entity, before, after FROM history_ops WHERE step_id = ? ORDER BY id ASC').all(step.id) as OpRow[]
      const touched = this.apply(step, ops, 'redo')
      statement(this.db, 'UPDATE history_steps SET undone_seq = NULL WHERE id = ?').run(step.id)
      return { step: { ...step, undone: false }, ...touched }
    }).immediate()
  }

  /**
   * Forgets every step. Used when a change that the history cannot express (deleting a
   * category or an image with its annotations) would leave steps pointing at vanished rows.
   */
  clear(): void {
    this.db.transaction(() => {
      statement(this.db, 'UPDATE jobs SET history_step_id = NULL WHERE history_step_id IS NOT NULL').run()
      statement(this.db, 'DELETE FROM history_steps').run()
    })()
  }

  /** A new change makes the undone steps unreachable. */
  private dropRedoBranch(): void {
    statement(this.db, 'DELETE FROM history_steps WHERE undone_seq IS NOT NULL').run()
  }

  private startStep(label: string, open: boolean): number {
    const cutoff = statement(this.db, 'SELECT id FROM history_steps WHERE open = 0 ORDER BY id DESC LIMIT 1 OFFSET ?')
      .get(Math.max(0, this.limit - 1)) as { id: number } | undefined
    if (cutoff) statement(this.db, 'DELETE FROM history_steps WHERE id <= ? AND open = 0').run(cutoff.id)
    return Number(statement(this.db, 'INSERT INTO history_steps(label, created_at, open) VALUES (?, ?, ?)').run(label, this.now(), open ? 1 : 0).lastInsertRowid)
  }

  private withStep<T>(stepId: number, change: () => T): T {
    const previous = this.activeStep
    this.activeStep = stepId
    try {
      return change()
    } finally {
      this.activeStep = previous
    }
  }

  private log(entity: HistoryEntity, before: object | null, after: object | null): void {
    if (this.activeStep === null) throw new Error('an undoable change was made outside EditHistory.record')
    if (this.branchDropPending) {
      this.branchDropPending = false
      this.dropRedoBranch()
    }
    statement(this.db, 'INSERT INTO history_ops(step_id, entity, before, after) VALUES (?, ?, ?, ?)').run(this.activeStep, entity, before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null)
  }

  private apply(step: HistoryStep, ops: OpRow[], direction: 'undo' | 'redo'): { annotationIds: number[]; imageIds: number[] } {
    const annotationIds = new Set<number>()
    const imageIds = new Set<number>()
    for (const op of ops) {
      const expected = direction === 'undo' ? op.after : op.before
      const target = direction === 'undo' ? op.before : op.after
      if (op.entity === 'annotation') {
        const current = expected ? (JSON.parse(expected) as AnnotationRow) : null
        const wanted = target ? (JSON.parse(target) as AnnotationRow) : null
        const id = (current ?? wanted)!.id
        this.restoreAnnotation(step, direction, id, current, wanted)
        annotationIds.add(id)
        for (const row of [current, wanted]) if (row) imageIds.add(row.image_id)
      } else {
        const current = expected ? (JSON.parse(expected) as ReferenceRow) : null
        const wanted = target ? (JSON.parse(target) as ReferenceRow) : null
        this.restoreReference(step, direction, (current ?? wanted)!, wanted)
        annotationIds.add((current ?? wanted)!.annotation_id)
      }
    }
    return { annotationIds: [...annotationIds], imageIds: [...imageIds] }
  }

  private restoreAnnotation(step: HistoryStep, direction: string, id: number, expected: AnnotationRow | null, wanted: AnnotationRow | null): void {
    const row = statement(this.db, 'SELECT revision FROM annotations WHERE id = ?').get(id) as { revision: number } | undefined
    const matches = expected === null ? row === undefined : row?.revision === expected.revision
    if (!matches) throw conflict(`cannot ${direction} "${step.label}": annotation ${id} was changed by something outside the history`)
    if (wanted === null) {
      statement(this.db, 'DELETE FROM annotations WHERE id = ?').run(id)
    } else if (expected === null) {
      const columns = ANNOTATION_COLUMNS.join(', ')
      const values = ANNOTATION_COLUMNS.map((c) => `@${c}`).join(', ')
      statement(this.db, `INSERT INTO annotations(${columns}) VALUES (${values})`).run(wanted)
    } else {
      const assignments = ANNOTATION_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = @${c}`).join(', ')
      statement(this.db, `UPDATE annotations SET ${assignments} WHERE id = @id`).run(wanted)
    }
  }

  private restoreReference(step: HistoryStep, direction: string, key: ReferenceRow, wanted: ReferenceRow | null): void {
    const exists = statement(this.db, 'SELECT 1 FROM reference_members WHERE set_id = ? AND annotation_id = ?')
      .get(key.set_id, key.annotation_id)
    if (wanted === null) {
      if (!exists) throw conflict(`cannot ${direction} "${step.label}": reference ${key.annotation_id} is already gone`)
      statement(this.db, 'DELETE FROM reference_members WHERE set_id = ? AND annotation_id = ?').run(key.set_id, key.annotation_id)
    } else {
      if (exists) throw conflict(`cannot ${direction} "${step.label}": annotation ${key.annotation_id} is already a reference`)
      statement(this.db, 'INSERT INTO reference_members(set_id, annotation_id, added_at) VALUES (?, ?, ?)').run(wanted.set_id, wanted.annotation_id, wanted.added_at)
    }
  }
}
