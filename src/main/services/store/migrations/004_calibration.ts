/**
 * Version 4: the review queue's calibrated confidence, one fitted model per category, refitted as
 * review decisions come in. Derived from the annotations, so losing a row only costs a refit.
 */
export const calibrationSchema = `
CREATE TABLE calibration_models (
  category_id INTEGER PRIMARY KEY REFERENCES categories(id) ON DELETE CASCADE,
  model TEXT NOT NULL CHECK (json_valid(model)),
  decisions INTEGER NOT NULL CHECK (decisions >= 0),
  updated_at INTEGER NOT NULL
) STRICT;
`
