-- Article bodies and image variants as JSON the database understands (checked on write, and
-- open to queries into them), rather than as text.
ALTER TABLE revisions ALTER COLUMN body TYPE JSONB USING body::jsonb;
ALTER TABLE images ALTER COLUMN variants DROP DEFAULT;
ALTER TABLE images ALTER COLUMN variants TYPE JSONB USING variants::jsonb;
ALTER TABLE images ALTER COLUMN variants SET DEFAULT '[]'::jsonb;
-- An image is served by the blob of any of its copies: found by containment in the variants.
CREATE INDEX images_by_variant ON images USING GIN (variants jsonb_path_ops);
