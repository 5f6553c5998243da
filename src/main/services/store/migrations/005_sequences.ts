/**
 * Frame sequences (a video's extracted frames, or a folder of frames imported as one sequence).
 * A frame is an ordinary image of the project, so review, masks and exports work on it unchanged;
 * this table only adds which sequence it belongs to, its place in it and its time. Removing an
 * image removes its frame entry; removing a sequence keeps its images.
 */
export const sequencesSchema = `
CREATE TABLE sequences (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  source TEXT NOT NULL CHECK (source IN ('video', 'frames')),
  source_path TEXT,
  fps REAL CHECK (fps IS NULL OR fps > 0),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sequence_frames (
  sequence_id INTEGER NOT NULL REFERENCES sequences(id) ON DELETE CASCADE,
  frame_index INTEGER NOT NULL CHECK (frame_index >= 0),
  image_id INTEGER NOT NULL UNIQUE REFERENCES images(id) ON DELETE CASCADE,
  timestamp_ms REAL CHECK (timestamp_ms IS NULL OR timestamp_ms >= 0),
  PRIMARY KEY (sequence_id, frame_index)
) STRICT;
`
