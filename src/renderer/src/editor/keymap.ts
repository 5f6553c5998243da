/**
 * The keyboard map: one table, read by the editor to route keys and by the help overlay to list
 * them. Keys are written as the user presses them (`Ctrl+Shift+Z`, `[`, `Space`); Ctrl also
 * matches Cmd on macOS. Where a key means different things, `when` decides (review vs editing).
 */

export type CommandId =
  | 'tool.select'
  | 'tool.samPoints'
  | 'tool.samBox'
  | 'tool.brush'
  | 'tool.eraser'
  | 'brush.smaller'
  | 'brush.larger'
  | 'prompt.commit'
  | 'prompt.clear'
  | 'prompt.nextCandidate'
  | 'prompt.previousCandidate'
  | 'history.undo'
  | 'history.redo'
  | 'annotation.reference'
  | 'annotation.delete'
  | 'category.byNumber'
  | 'propagate.open'
  | 'review.toggle'
  | 'review.accept'
  | 'review.reject'
  | 'absent.mark'
  | 'review.next'
  | 'review.previous'
  | 'image.next'
  | 'image.previous'
  | 'view.fit'
  | 'view.zoomIn'
  | 'view.zoomOut'
  | 'view.toggleMasks'
  | 'help.toggle'
  | 'models.open'
  | 'sequence.next'
  | 'sequence.previous'
  | 'sequence.nextFlagged'
  | 'sequence.playPause'

export type ShortcutGroup = 'Tools' | 'Segment' | 'Edit' | 'Propagate and review' | 'Navigate' | 'View'

export interface Shortcut {
  readonly command: CommandId
  readonly keys: readonly string[]
  readonly label: string
  readonly group: ShortcutGroup
  /** 'review' only in review mode, 'edit' only outside it. */
  readonly when: 'any' | 'review' | 'edit'
  /** Held keys repeat the command (size and navigation keys only). */
  readonly repeat?: boolean
  /** Fires on key release (Space: a press that turned into a pan must not accept). */
  readonly onRelease?: boolean
}

export interface Gesture {
  readonly keys: string
  readonly label: string
  readonly group: ShortcutGroup
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'tool.select', keys: ['V'], label: 'Select tool (click a mask; drag pans)', group: 'Tools', when: 'any' },
  { command: 'tool.samPoints', keys: ['S'], label: 'SAM points tool', group: 'Tools', when: 'any' },
  { command: 'tool.samBox', keys: ['Shift+S'], label: 'SAM box tool (each drag is a new object)', group: 'Tools', when: 'any' },
  { command: 'tool.brush', keys: ['B'], label: 'Brush: add to the selected mask', group: 'Tools', when: 'any' },
  { command: 'tool.eraser', keys: ['E'], label: 'Eraser: remove from the selected mask', group: 'Tools', when: 'any' },
  { command: 'brush.smaller', keys: ['['], label: 'Smaller brush', group: 'Tools', when: 'any', repeat: true },
  { command: 'brush.larger', keys: [']'], label: 'Larger brush', group: 'Tools', when: 'any', repeat: true },

  { command: 'prompt.commit', keys: ['Enter'], label: 'Commit the mask to the active category', group: 'Segment', when: 'edit' },
  { command: 'prompt.clear', keys: ['Escape'], label: 'Clear the prompts (then the selection)', group: 'Segment', when: 'any' },
  { command: 'prompt.nextCandidate', keys: ['Tab'], label: 'Next mask candidate', group: 'Segment', when: 'any' },
  { command: 'prompt.previousCandidate', keys: ['Shift+Tab'], label: 'Previous mask candidate', group: 'Segment', when: 'any' },
  { command: 'category.byNumber', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: 'Active category 1–9', group: 'Segment', when: 'any' },

  { command: 'history.undo', keys: ['Ctrl+Z'], label: 'Undo (while prompting: remove the last prompt)', group: 'Edit', when: 'any', repeat: true },
  { command: 'history.redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], label: 'Redo', group: 'Edit', when: 'any', repeat: true },
  { command: 'annotation.reference', keys: ['R'], label: 'Use the selected mask as reference (toggle)', group: 'Edit', when: 'any' },
  { command: 'annotation.delete', keys: ['Delete', 'Backspace'], label: 'Delete the selected annotation', group: 'Edit', when: 'edit' },
  // One meaning in both modes: A never navigates.
  {
    command: 'absent.mark',
    keys: ['A'],
    label: 'Object absent from this image (in review: the proposal; else: the active category)',
    group: 'Edit',
    when: 'any',
  },

  { command: 'propagate.open', keys: ['P'], label: 'Propagate to other images…', group: 'Propagate and review', when: 'any' },
  { command: 'review.toggle', keys: ['Shift+R'], label: 'Start or stop reviewing proposals', group: 'Propagate and review', when: 'any' },
  { command: 'review.accept', keys: ['Enter'], label: 'Accept (or commit a correction) and go on', group: 'Propagate and review', when: 'review' },
  { command: 'review.accept', keys: ['Space'], label: 'Accept and go on (on release)', group: 'Propagate and review', when: 'review', onRelease: true },
  { command: 'review.reject', keys: ['X'], label: 'Reject and go on', group: 'Propagate and review', when: 'review' },
  { command: 'review.next', keys: ['D', 'ArrowRight'], label: 'Next proposal', group: 'Propagate and review', when: 'review', repeat: true },
  { command: 'review.previous', keys: ['ArrowLeft'], label: 'Previous proposal', group: 'Propagate and review', when: 'review', repeat: true },

  { command: 'image.next', keys: ['D', 'ArrowRight'], label: 'Next image', group: 'Navigate', when: 'edit', repeat: true },
  { command: 'image.previous', keys: ['ArrowLeft'], label: 'Previous image', group: 'Navigate', when: 'edit', repeat: true },
  { command: 'sequence.next', keys: ['.'], label: 'Next frame (sequence view)', group: 'Navigate', when: 'any', repeat: true },
  { command: 'sequence.previous', keys: [','], label: 'Previous frame (sequence view)', group: 'Navigate', when: 'any', repeat: true },
  { command: 'sequence.nextFlagged', keys: ['N'], label: 'Next flagged frame (sequence view)', group: 'Navigate', when: 'any' },
  { command: 'sequence.playPause', keys: ['K'], label: 'Play or pause the sequence', group: 'Navigate', when: 'any' },

  { command: 'view.fit', keys: ['F'], label: 'Fit the image', group: 'View', when: 'any' },
  { command: 'view.zoomIn', keys: ['+', '='], label: 'Zoom in', group: 'View', when: 'any', repeat: true },
  { command: 'view.zoomOut', keys: ['-'], label: 'Zoom out', group: 'View', when: 'any', repeat: true },
  { command: 'view.toggleMasks', keys: ['H'], label: 'Hide or show masks', group: 'View', when: 'any' },
  { command: 'help.toggle', keys: ['?', 'F1'], label: 'This help', group: 'View', when: 'any' },
  { command: 'models.open', keys: ['M'], label: 'Models and execution providers', group: 'View', when: 'any' },
]

/** Pointer gestures, listed in the help overlay beside the keys. */
export const GESTURES: readonly Gesture[] = [
  { keys: 'Click', label: 'Positive point (SAM tools)', group: 'Segment' },
  { keys: 'Right click / Alt+click', label: 'Negative point', group: 'Segment' },
  { keys: 'Drag', label: 'Box prompt (SAM tools)', group: 'Segment' },
  { keys: 'Wheel', label: 'Zoom to the cursor', group: 'View' },
  { keys: 'Space+drag / middle drag', label: 'Pan', group: 'View' },
]

export interface KeyInput {
  readonly key: string
  readonly ctrl: boolean
  readonly shift: boolean
  readonly alt: boolean
  readonly meta: boolean
  readonly repeat: boolean
}

/**
 * The name a key press goes by in the table. Shift is part of the name for letters and named
 * keys (Shift+S, Shift+Tab) but not for punctuation, whose character already says it (`?`, `+`).
 */
export function keyName(input: KeyInput): string {
  const printable = input.key.length === 1 && input.key !== ' '
  const letter = /^[a-z]$/i.test(input.key)
  const base = input.key === ' ' ? 'Space' : printable ? input.key.toUpperCase() : input.key
  const modifiers: string[] = []
  if (input.ctrl || input.meta) modifiers.push('Ctrl')
  if (input.alt) modifiers.push('Alt')
  if (input.shift && (!printable || letter)) modifiers.push('Shift')
  return [...modifiers, base].join('+')
}

/** The shortcut a key press triggers in this mode; review-only entries win over general ones. */
export function matchShortcut(input: KeyInput, context: { review: boolean; phase: 'down' | 'up' }): Shortcut | null {
  const name = keyName(input)
  const candidates = SHORTCUTS.filter(
    (s) =>
      s.keys.includes(name) &&
      (s.onRelease ?? false) === (context.phase === 'up') &&
      (s.when === 'any' || (s.when === 'review') === context.review),
  )
  return candidates.find((s) => s.when !== 'any') ?? candidates[0] ?? null
}
