-- Full-text search over each article's current headline (weight A) and body (weight B),
-- written with each revision (articles stored before this are given theirs when a node
-- starts). The 'simple' configuration, as SQLite's search: words lower-cased, no stemming.
ALTER TABLE articles ADD COLUMN search tsvector;
CREATE INDEX articles_by_words ON articles USING GIN (search);
