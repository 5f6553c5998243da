/**
 * Version 3: propagation jobs. Each job lists its images with a per-image state, so a job
 * interrupted by a crash resumes with the images still pending and never redoes finished ones.
 */
export const jobsSchema = `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('persam', 'persam-f')),
  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
  reference_set_id INTEGER REFERENCES reference_sets(id) ON DELETE SET NULL,
  params TEXT NOT NULL CHECK (json_valid(params)),
  model_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'interrupted', 'completed', 'cancelled', 'failed')),
  history_step_id INTEGER REFERENCES history_steps(id) ON DELETE SET NULL,
  error TEXT,
  total INTEGER NOT NULL,
  n_done INTEGER NOT NULL DEFAULT 0,
  n_failed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_by_state ON jobs(state);

CREATE TABLE job_images (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  error TEXT,
  finished_at INTEGER,
  PRIMARY KEY (job_id, image_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX job_images_by_state ON job_images(job_id, state, position);
CREATE INDEX job_images_by_image ON job_images(image_id);

ALTER TABLE annotations ADD COLUMN job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL;
CREATE INDEX annotations_by_job ON annotations(job_id) WHERE job_id IS NOT NULL;

-- Undo restores whole rows: give the rows already in the history the new column.
UPDATE history_ops SET before = json_set(before, '$.job_id', NULL) WHERE entity = 'annotation' AND before IS NOT NULL;
UPDATE history_ops SET after = json_set(after, '$.job_id', NULL) WHERE entity = 'annotation' AND after IS NOT NULL;
`
