-- The voice an editor chose for one article; NULL: the site's voice for its language.
ALTER TABLE articles ADD COLUMN voice TEXT;
