-- Each user's reading comfort (theme, text size, typeface, line width), as the JSON lector writes,
-- and where each reader is in each narration.
ALTER TABLE users ADD COLUMN reading TEXT NOT NULL DEFAULT '{}';

-- Where each reader is in each narration (the sentence and the time in it), for resuming on
-- another device.
ALTER TABLE library_items ADD COLUMN position_sentence BIGINT;
ALTER TABLE library_items ADD COLUMN position_ms BIGINT;
ALTER TABLE library_items ADD COLUMN position_at BIGINT;
