-- Drafts and embargoes: an article is `draft`, `scheduled` (public from `publish_at`, Unix
-- seconds) or `published`. Articles stored before are published.
ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE articles ADD COLUMN publish_at INTEGER;
CREATE INDEX articles_scheduled ON articles (publish_at) WHERE status = 'scheduled';
