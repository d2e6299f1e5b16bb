-- One open job per kind, article and voice: an article's images job (voice '') stands beside
-- its narrations.
DROP INDEX IF EXISTS jobs_one_open;
CREATE UNIQUE INDEX jobs_one_open ON jobs (kind, article_id, voice) WHERE state IN ('queued', 'running');
-- Dead letters listed newest first.
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, updated_at);
