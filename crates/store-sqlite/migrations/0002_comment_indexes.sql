-- Comment reads and checks that stay fast however many comments an article has.
-- A page of top-level comments and their count: one index range, no table scan.
DROP INDEX comments_by_article;
CREATE INDEX comments_by_article ON comments (article_id, state, parent_id, created_at);
-- Replies, looked up by their parent (and removed with it).
CREATE INDEX comments_by_parent ON comments (parent_id, state, created_at);
-- The moderation queue.
CREATE INDEX comments_by_state ON comments (state, created_at);
-- The duplicate check finds a text by its digest (SHA-256, hex). Comments written before this
-- get theirs when the store opens (SQLite has no SHA-256); the partial index finds them and
-- stays empty afterwards.
ALTER TABLE comments ADD COLUMN body_sha256 TEXT;
CREATE INDEX comments_by_text ON comments (article_id, body_sha256, created_at);
CREATE INDEX comments_without_digest ON comments (id) WHERE body_sha256 IS NULL;
