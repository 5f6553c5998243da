/**
 * Version 2: the edit history. A step is one user-visible undo unit (one review action, one
 * mask edit, one propagation batch); its ops hold the before/after state of each row it touched
 * (annotation rows with their RLE, reference memberships), never pixels.
 */
export const historySchema = `
CREATE TABLE history_steps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- NULL while applied; when undone, a rising number so redo takes the step undone last.
  undone_seq INTEGER,
  -- A step still receiving ops (a running propagation job) is skipped by undo until it closes.
  open INTEGER NOT NULL DEFAULT 0 CHECK (open IN (0, 1))
) STRICT;
CREATE INDEX history_steps_applied ON history_steps(id) WHERE undone_seq IS NULL;
CREATE INDEX history_steps_undone ON history_steps(undone_seq) WHERE undone_seq IS NOT NULL;

CREATE TABLE history_ops (
  id INTEGER PRIMARY KEY,
  step_id INTEGER NOT NULL REFERENCES history_steps(id) ON DELETE CASCADE,
  entity TEXT NOT NULL CHECK (entity IN ('annotation', 'reference')),
  before TEXT CHECK (before IS NULL OR json_valid(before)),
  after TEXT CHECK (after IS NULL OR json_valid(after)),
  CHECK (before IS NOT NULL OR after IS NOT NULL)
) STRICT;
CREATE INDEX history_ops_by_step ON history_ops(step_id, id);
`
