/**
 * Version 6: what the review queue learns from.
 *  - `proposal_rle` / `proposal_method`: a proposal's own mask and method, kept when a person
 *    first corrects it (the row's rle and method then hold the correction), so a corrected
 *    proposal's label is the IoU between what the engine proposed and what the person kept.
 *    They are part of the row, so undo and redo restore them with the rest.
 *  - `review_score`: the category's calibrated confidence of a pending proposal, written when
 *    the calibration is refitted and beats the engine's own score (NULL: use `score`). The
 *    review order (min_score) reads coalesce(review_score, score). Derived, so it is not part of
 *    the edit history.
 */
import { bump, minScore } from './001_core'

/** The score the review queue sorts by. */
export const REVIEW_SCORE = 'coalesce(review_score, score)'

export const reviewLearningSchema = `
ALTER TABLE annotations ADD COLUMN proposal_rle TEXT;
ALTER TABLE annotations ADD COLUMN proposal_method TEXT CHECK (proposal_method IS NULL OR json_valid(proposal_method));
ALTER TABLE annotations ADD COLUMN review_score REAL;

-- Undo restores whole rows: give the rows already in the history the new columns.
UPDATE history_ops SET before = json_set(before, '$.proposal_rle', NULL, '$.proposal_method', NULL) WHERE entity = 'annotation' AND before IS NOT NULL;
UPDATE history_ops SET after = json_set(after, '$.proposal_rle', NULL, '$.proposal_method', NULL) WHERE entity = 'annotation' AND after IS NOT NULL;

-- The counters' lowest score now reads the calibrated score where there is one.
DROP TRIGGER annotations_counted_on_delete;
CREATE TRIGGER annotations_counted_on_delete AFTER DELETE ON annotations BEGIN
  UPDATE images SET ${bump('OLD', '-')},
    min_score = CASE WHEN OLD.status = 'proposed' THEN ${minScore('OLD.image_id', undefined, REVIEW_SCORE)} ELSE min_score END
    WHERE id = OLD.image_id;
  UPDATE image_categories SET ${bump('OLD', '-')},
    min_score = CASE WHEN OLD.status = 'proposed' THEN ${minScore('OLD.image_id', 'OLD.category_id', REVIEW_SCORE)} ELSE min_score END
    WHERE image_id = OLD.image_id AND category_id = OLD.category_id;
  UPDATE annotation_counts SET n = n - 1 WHERE category_id = OLD.category_id AND status = OLD.status;
END;

DROP TRIGGER annotations_counted_on_update;
CREATE TRIGGER annotations_counted_on_update AFTER UPDATE OF image_id, category_id, status, score ON annotations
WHEN OLD.image_id != NEW.image_id OR OLD.category_id != NEW.category_id OR OLD.status != NEW.status OR OLD.score IS NOT NEW.score BEGIN
  UPDATE images SET ${bump('OLD', '-')} WHERE id = OLD.image_id;
  UPDATE images SET ${bump('NEW', '+')} WHERE id = NEW.image_id;
  UPDATE images SET min_score = ${minScore('images.id', undefined, REVIEW_SCORE)} WHERE id IN (OLD.image_id, NEW.image_id);
  UPDATE image_categories SET ${bump('OLD', '-')} WHERE image_id = OLD.image_id AND category_id = OLD.category_id;
  INSERT INTO image_categories(image_id, category_id, rel_path) SELECT NEW.image_id, NEW.category_id, rel_path FROM images WHERE id = NEW.image_id
    ON CONFLICT DO NOTHING;
  UPDATE image_categories SET ${bump('NEW', '+')} WHERE image_id = NEW.image_id AND category_id = NEW.category_id;
  UPDATE image_categories SET min_score = ${minScore('image_categories.image_id', 'image_categories.category_id', REVIEW_SCORE)}
    WHERE (image_id = OLD.image_id AND category_id = OLD.category_id) OR (image_id = NEW.image_id AND category_id = NEW.category_id);
  UPDATE annotation_counts SET n = n - 1 WHERE category_id = OLD.category_id AND status = OLD.status;
  INSERT INTO annotation_counts(category_id, status, n) VALUES (NEW.category_id, NEW.status, 1)
    ON CONFLICT(category_id, status) DO UPDATE SET n = n + 1;
END;

-- A refit rewrites review scores: only the lowest scores of that image move.
CREATE TRIGGER annotations_review_score_changed AFTER UPDATE OF review_score ON annotations
WHEN OLD.review_score IS NOT NEW.review_score AND NEW.status = 'proposed' BEGIN
  UPDATE images SET min_score = ${minScore('NEW.image_id', undefined, REVIEW_SCORE)} WHERE id = NEW.image_id;
  UPDATE image_categories SET min_score = ${minScore('NEW.image_id', 'NEW.category_id', REVIEW_SCORE)}
    WHERE image_id = NEW.image_id AND category_id = NEW.category_id;
END;
`
