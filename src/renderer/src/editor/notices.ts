/**
 * Notices (toasts) as pure state changes. A notice may name the condition that caused it; it
 * closes by itself when that condition ends (a category now exists, a mask is selected, the
 * project closed), so no toast outlives its reason. The same notice raised again is merged into
 * one with a count instead of stacking copies.
 */
import type { EditorState, Notice, NoticeCause } from './state'

export const MAX_NOTICES = 5

export interface NoticeDraft {
  readonly level: Notice['level']
  readonly message: string
  /** Notices with the same key replace each other (undo after undo). */
  readonly key?: string
  readonly cause?: NoticeCause
}

/** Adds `draft` as notice `id`; a notice with the same key, or the same level and text, is merged into it. */
export function addNotice(notices: readonly Notice[], draft: NoticeDraft, id: number, projectDir: string | null): Notice[] {
  const same = (n: Notice) => (draft.key !== undefined ? n.key === draft.key : n.key === undefined && n.level === draft.level && n.message === draft.message)
  const previous = notices.find(same)
  // A replaced keyed notice says something new; only an identical one counts as a repeat.
  const count = previous && previous.message === draft.message ? previous.count + 1 : 1
  const notice: Notice = {
    id,
    level: draft.level,
    message: draft.message,
    count,
    ...(draft.key !== undefined ? { key: draft.key } : {}),
    ...(draft.cause ? { cause: draft.cause, projectDir } : {}),
  }
  return [...notices.filter((n) => !same(n)), notice].slice(-MAX_NOTICES)
}

/** True when the condition a notice reported no longer holds. */
export function causeEnded(notice: Notice, state: EditorState): boolean {
  const { cause } = notice
  if (!cause) return false
  if ((state.doc.project?.projectDir ?? null) !== (notice.projectDir ?? null)) return true
  switch (cause.kind) {
    case 'no-category':
      return state.session.activeCategoryId !== null
    case 'no-selection':
      return state.session.selectedAnnotationId !== null
    case 'no-reference': {
      const category = state.doc.categories.find((c) => c.id === cause.categoryId)
      return !category || category.referenceCount > 0
    }
  }
}

/** The notices whose cause still holds (the same array when none ended). */
export function withoutEndedNotices(notices: readonly Notice[], state: EditorState): readonly Notice[] {
  const kept = notices.filter((n) => !causeEnded(n, state))
  return kept.length === notices.length ? notices : kept
}
