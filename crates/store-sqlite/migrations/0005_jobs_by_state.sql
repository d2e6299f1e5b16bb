-- Dead letters (and every state's jobs) listed newest first.
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, updated_at);
