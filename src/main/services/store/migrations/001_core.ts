/**
 * Version 1: images, categories, annotations and reference sets, with counters kept by triggers
 * so that a page of the image list, its per-image counts and the state totals never scan the
 * annotations table. Counters exist for all categories (columns of `images`) and per category
 * (`image_categories`); each row derives its review state from them (a STORED generated column),
 * and `image_state_counts` counts rows per state (category_id 0 = all categories).
 */

const STATUSES = ['proposed', 'accepted', 'rejected', 'edited', 'absent'] as const
const COUNTERS = STATUSES.map((status) => `n_${status}`)
const TOTAL = COUNTERS.join(' + ')

const counterColumns = STATUSES.map((status) => `n_${status} INTEGER NOT NULL DEFAULT 0`).join(',\n  ')

/** unlabeled: no annotation; to-review: a proposal waits; absent: only absent markers; reviewed: the rest. */
const STATE = `CASE WHEN ${TOTAL} = 0 THEN 'unlabeled' WHEN n_proposed > 0 THEN 'to-review'
  WHEN n_absent = ${TOTAL} THEN 'absent' ELSE 'reviewed' END`

/** Counter values of a group of annotations (for set-wise recounts). */
export const AGGREGATE_COUNTERS = `${STATUSES.map((s) => `sum(status = '${s}')`).join(', ')}, min(CASE WHEN status = 'proposed' THEN coalesce(review_score, score) END)`
export const COUNTER_COLUMNS = `${COUNTERS.join(', ')}, min_score`

/** Unscored annotations sort after every score in the review queue. */
export const SCORE_KEY = 'coalesce(score, 1e308)'

/** Images without proposals sort after every score in review order. */
export const REVIEW_KEY = 'coalesce(min_score, 1e308)'

/** SET clause adding (sign '+') or removing ('-') one annotation of `row`'s status. */
export const bump = (row: 'NEW' | 'OLD', sign: '+' | '-'): string => STATUSES.map((s) => `n_${s} = n_${s} ${sign} (${row}.status = '${s}')`).join(', ')

/** The lowest proposal score of an image (optionally of one category), recomputed from the index. */
export const minScore = (image: string, category?: string, score = 'score'): string =>
  `(SELECT min(${score}) FROM annotations WHERE image_id = ${image}${category ? ` AND category_id = ${category}` : ''} AND status = 'proposed')`

/** Triggers moving image_state_counts when a counter row changes state or disappears. */
function stateCountTriggers(table: string, category: string): string {
  const change = (row: 'OLD' | 'NEW', delta: string) =>
    `INSERT INTO image_state_counts(category_id, state, n) SELECT ${category.replace('ROW', row)}, ${row}.state, ${delta} WHERE ${row}.state != 'unlabeled'
    ON CONFLICT(category_id, state) DO UPDATE SET n = n + excluded.n;`
  return `
CREATE TRIGGER ${table}_state_changed AFTER UPDATE OF ${COUNTERS.join(', ')} ON ${table} WHEN OLD.state != NEW.state BEGIN
  ${change('OLD', '-1')}
  ${change('NEW', '1')}
END;
CREATE TRIGGER ${table}_state_removed AFTER DELETE ON ${table} BEGIN
  ${change('OLD', '-1')}
END;${
    // Images always start unlabeled; counter rows inserted with counts come from bulk recounts.
    table === 'images'
      ? ''
      : `
CREATE TRIGGER ${table}_state_added AFTER INSERT ON ${table} BEGIN
  ${change('NEW', '1')}
END;`
  }`
}

export const coreSchema = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  rel_path TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL,
  byte_size INTEGER NOT NULL CHECK (byte_size >= 0),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  format TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  ${counterColumns},
  min_score REAL,
  state TEXT GENERATED ALWAYS AS (${STATE}) STORED
) STRICT;
CREATE INDEX images_by_state ON images(state, rel_path);
CREATE INDEX images_by_review ON images(${REVIEW_KEY}, id);
CREATE INDEX images_by_state_review ON images(state, ${REVIEW_KEY}, id);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  name TEXT NOT NULL UNIQUE,
  supercategory TEXT,
  color TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- AUTOINCREMENT: ids are never reused, so undo can re-insert a deleted annotation under its id.
-- rle is the compressed COCO RLE string; an "absent" marker may carry no mask (rle and bbox NULL).
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
  rle TEXT,
  area INTEGER NOT NULL CHECK (area >= 0),
  bbox_x INTEGER,
  bbox_y INTEGER,
  bbox_w INTEGER,
  bbox_h INTEGER,
  iscrowd INTEGER NOT NULL DEFAULT 0 CHECK (iscrowd IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'edited', 'absent')),
  source TEXT NOT NULL CHECK (source IN ('manual', 'persam', 'persam-f')),
  score REAL,
  model_id TEXT,
  method TEXT CHECK (method IS NULL OR json_valid(method)),
  revision INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (rle IS NOT NULL OR status = 'absent'),
  CHECK ((rle IS NULL) = (bbox_x IS NULL) AND (rle IS NULL) = (bbox_h IS NULL))
) STRICT;
-- Covers the counters' recounts and lowest-score lookups (score included).
CREATE INDEX annotations_by_image ON annotations(image_id, category_id, status, score);
-- The review queue, least confident first (unscored last), for one category or all.
CREATE INDEX annotations_by_review ON annotations(category_id, status, ${SCORE_KEY});
CREATE INDEX annotations_by_status ON annotations(status, ${SCORE_KEY});

CREATE TABLE image_categories (
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
  ${counterColumns},
  min_score REAL,
  state TEXT GENERATED ALWAYS AS (${STATE}) STORED,
  -- A copy of images.rel_path (kept by images_path_copied), so one category's images in one
  -- state are listed by name straight from an index.
  rel_path TEXT NOT NULL,
  PRIMARY KEY (image_id, category_id)
) STRICT; -- not WITHOUT ROWID: ordered walks of its secondary indexes were ~25x slower (measured)
CREATE INDEX image_categories_by_state ON image_categories(category_id, state, ${REVIEW_KEY}, image_id);
CREATE INDEX image_categories_by_name ON image_categories(category_id, state, rel_path);

CREATE TRIGGER images_path_copied AFTER UPDATE OF rel_path ON images BEGIN
  UPDATE image_categories SET rel_path = NEW.rel_path WHERE image_id = NEW.id;
END;

-- Rows per (category_id, state), category_id 0 meaning all categories; 'unlabeled' is not
-- stored (it is the image count minus the others).
CREATE TABLE image_state_counts (
  category_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (category_id, state)
) STRICT, WITHOUT ROWID;

-- Annotations per (category, status), for totals without a scan.
CREATE TABLE annotation_counts (
  category_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (category_id, status)
) STRICT, WITHOUT ROWID;

-- Bulk imports drop this trigger inside their transaction, insert, recount the touched images
-- set-wise and re-create it before committing (AnnotationRepository.importMany).
CREATE TRIGGER annotations_counted_on_insert AFTER INSERT ON annotations BEGIN
  UPDATE images SET ${bump('NEW', '+')},
    min_score = CASE WHEN NEW.status = 'proposed' AND NEW.score IS NOT NULL THEN min(coalesce(min_score, NEW.score), NEW.score) ELSE min_score END
    WHERE id = NEW.image_id;
  INSERT INTO image_categories(image_id, category_id, rel_path) SELECT NEW.image_id, NEW.category_id, rel_path FROM images WHERE id = NEW.image_id
    ON CONFLICT DO NOTHING;
  UPDATE image_categories SET ${bump('NEW', '+')},
    min_score = CASE WHEN NEW.status = 'proposed' AND NEW.score IS NOT NULL THEN min(coalesce(min_score, NEW.score), NEW.score) ELSE min_score END
    WHERE image_id = NEW.image_id AND category_id = NEW.category_id;
  INSERT INTO annotation_counts(category_id, status, n) VALUES (NEW.category_id, NEW.status, 1)
    ON CONFLICT(category_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER annotations_counted_on_delete AFTER DELETE ON annotations BEGIN
  UPDATE images SET ${bump('OLD', '-')},
    min_score = CASE WHEN OLD.status = 'proposed' THEN ${minScore('OLD.image_id')} ELSE min_score END
    WHERE id = OLD.image_id;
  UPDATE image_categories SET ${bump('OLD', '-')},
    min_score = CASE WHEN OLD.status = 'proposed' THEN ${minScore('OLD.image_id', 'OLD.category_id')} ELSE min_score END
    WHERE image_id = OLD.image_id AND category_id = OLD.category_id;
  UPDATE annotation_counts SET n = n - 1 WHERE category_id = OLD.category_id AND status = OLD.status;
END;

CREATE TRIGGER annotations_counted_on_update AFTER UPDATE OF image_id, category_id, status, score ON annotations
WHEN OLD.image_id != NEW.image_id OR OLD.category_id != NEW.category_id OR OLD.status != NEW.status OR OLD.score IS NOT NEW.score BEGIN
  UPDATE images SET ${bump('OLD', '-')} WHERE id = OLD.image_id;
  UPDATE images SET ${bump('NEW', '+')} WHERE id = NEW.image_id;
  UPDATE images SET min_score = ${minScore('images.id')} WHERE id IN (OLD.image_id, NEW.image_id);
  UPDATE image_categories SET ${bump('OLD', '-')} WHERE image_id = OLD.image_id AND category_id = OLD.category_id;
  INSERT INTO image_categories(image_id, category_id, rel_path) SELECT NEW.image_id, NEW.category_id, rel_path FROM images WHERE id = NEW.image_id
    ON CONFLICT DO NOTHING;
  UPDATE image_categories SET ${bump('NEW', '+')} WHERE image_id = NEW.image_id AND category_id = NEW.category_id;
  UPDATE image_categories SET min_score = ${minScore('image_categories.image_id', 'image_categories.category_id')}
    WHERE (image_id = OLD.image_id AND category_id = OLD.category_id) OR (image_id = NEW.image_id AND category_id = NEW.category_id);
  UPDATE annotation_counts SET n = n - 1 WHERE category_id = OLD.category_id AND status = OLD.status;
  INSERT INTO annotation_counts(category_id, status, n) VALUES (NEW.category_id, NEW.status, 1)
    ON CONFLICT(category_id, status) DO UPDATE SET n = n + 1;
END;
${stateCountTriggers('images', '0')}
${stateCountTriggers('image_categories', 'ROW.category_id')}

CREATE TABLE reference_sets (
  id INTEGER PRIMARY KEY,
  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (category_id, name)
) STRICT;

CREATE TABLE reference_members (
  set_id INTEGER NOT NULL REFERENCES reference_sets(id) ON DELETE CASCADE,
  annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (set_id, annotation_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX reference_members_by_annotation ON reference_members(annotation_id);

CREATE TRIGGER reference_members_same_category BEFORE INSERT ON reference_members
WHEN (SELECT category_id FROM annotations WHERE id = NEW.annotation_id)
  IS NOT (SELECT category_id FROM reference_sets WHERE id = NEW.set_id) BEGIN
  SELECT RAISE(ABORT, 'a reference must belong to the category of its reference set');
END;
`
