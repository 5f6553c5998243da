/**
 * Version 1: images, categories, annotations and reference sets, with counters kept by triggers
 * so a page of the image list and the status totals never scan the annotations table.
 */

const STATUS_COLUMNS = ['proposed', 'accepted', 'rejected', 'edited', 'absent'] as const

const bump = (row: 'NEW' | 'OLD', sign: '+' | '-'): string =>
  STATUS_COLUMNS.map((status) => `n_${status} = n_${status} ${sign} (${row}.status = '${status}')`).join(', ')

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
  n_proposed INTEGER NOT NULL DEFAULT 0,
  n_accepted INTEGER NOT NULL DEFAULT 0,
  n_rejected INTEGER NOT NULL DEFAULT 0,
  n_edited INTEGER NOT NULL DEFAULT 0,
  n_absent INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX images_by_hash ON images(content_hash);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  supercategory TEXT,
  color TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- AUTOINCREMENT: ids are never reused, so undo can re-insert a deleted annotation under its id.
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
  rle TEXT NOT NULL,
  area INTEGER NOT NULL CHECK (area >= 0),
  bbox_x INTEGER NOT NULL,
  bbox_y INTEGER NOT NULL,
  bbox_w INTEGER NOT NULL,
  bbox_h INTEGER NOT NULL,
  iscrowd INTEGER NOT NULL DEFAULT 0 CHECK (iscrowd IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'edited', 'absent')),
  source TEXT NOT NULL CHECK (source IN ('manual', 'persam', 'persam-f', 'import')),
  score REAL,
  model_id TEXT,
  method TEXT CHECK (method IS NULL OR json_valid(method)),
  revision INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX annotations_by_image ON annotations(image_id, category_id, status);
-- The review queue: one category's proposals by confidence.
CREATE INDEX annotations_by_review ON annotations(category_id, status, score);

-- Annotations per (category, status), for totals without a scan.
CREATE TABLE annotation_counts (
  category_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (category_id, status)
) STRICT, WITHOUT ROWID;

-- Images having at least one annotation of a status ('any' = at least one annotation at all).
CREATE TABLE image_status_counts (
  status TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO image_status_counts(status, n) VALUES
  ('proposed', 0), ('accepted', 0), ('rejected', 0), ('edited', 0), ('absent', 0), ('any', 0);

CREATE TRIGGER annotations_counted_on_insert AFTER INSERT ON annotations BEGIN
  UPDATE images SET ${bump('NEW', '+')} WHERE id = NEW.image_id;
  INSERT INTO annotation_counts(category_id, status, n) VALUES (NEW.category_id, NEW.status, 1)
    ON CONFLICT(category_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER annotations_counted_on_delete AFTER DELETE ON annotations BEGIN
  UPDATE images SET ${bump('OLD', '-')} WHERE id = OLD.image_id;
  UPDATE annotation_counts SET n = n - 1 WHERE category_id = OLD.category_id AND status = OLD.status;
END;

CREATE TRIGGER annotations_counted_on_update AFTER UPDATE OF image_id, category_id, status ON annotations
WHEN OLD.image_id != NEW.image_id OR OLD.category_id != NEW.category_id OR OLD.status != NEW.status BEGIN
  UPDATE images SET ${bump('OLD', '-')} WHERE id = OLD.image_id;
  UPDATE images SET ${bump('NEW', '+')} WHERE id = NEW.image_id;
  UPDATE annotation_counts SET n = n - 1 WHERE category_id = OLD.category_id AND status = OLD.status;
  INSERT INTO annotation_counts(category_id, status, n) VALUES (NEW.category_id, NEW.status, 1)
    ON CONFLICT(category_id, status) DO UPDATE SET n = n + 1;
END;

${STATUS_COLUMNS.map(
  (status) => `
CREATE TRIGGER images_count_${status} AFTER UPDATE OF n_${status} ON images
WHEN (OLD.n_${status} = 0) != (NEW.n_${status} = 0) BEGIN
  UPDATE image_status_counts SET n = n + (CASE WHEN NEW.n_${status} = 0 THEN -1 ELSE 1 END) WHERE status = '${status}';
END;`,
).join('\n')}

CREATE TRIGGER images_count_any AFTER UPDATE OF ${STATUS_COLUMNS.map((s) => `n_${s}`).join(', ')} ON images
WHEN (${STATUS_COLUMNS.map((s) => `OLD.n_${s}`).join(' + ')} = 0) != (${STATUS_COLUMNS.map((s) => `NEW.n_${s}`).join(' + ')} = 0) BEGIN
  UPDATE image_status_counts SET n = n + (CASE WHEN ${STATUS_COLUMNS.map((s) => `NEW.n_${s}`).join(' + ')} = 0 THEN -1 ELSE 1 END)
    WHERE status = 'any';
END;

-- An image deleted with its annotations leaves the per-image counts.
CREATE TRIGGER images_uncounted_on_delete AFTER DELETE ON images BEGIN
  UPDATE image_status_counts SET n = n - 1 WHERE
    (status = 'proposed' AND OLD.n_proposed > 0) OR (status = 'accepted' AND OLD.n_accepted > 0) OR
    (status = 'rejected' AND OLD.n_rejected > 0) OR (status = 'edited' AND OLD.n_edited > 0) OR
    (status = 'absent' AND OLD.n_absent > 0) OR
    (status = 'any' AND OLD.n_proposed + OLD.n_accepted + OLD.n_rejected + OLD.n_edited + OLD.n_absent > 0);
END;

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
