-- Full-text search over each article's current headline and body: one row per article, its
-- id as the row id, written with each revision (the rows of articles stored before this are
-- written when the store opens).
CREATE VIRTUAL TABLE article_search USING fts5(headline, body, tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER article_search_gone AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;
