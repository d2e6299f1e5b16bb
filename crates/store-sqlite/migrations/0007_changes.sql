-- The change log: one row for every write that changes what a page or an API read shows,
-- written by triggers so that no write path can forget it, numbered in commit order (SQLite
-- has one writer; AUTOINCREMENT never reuses a number, and a rolled back write takes its
-- number back, so there are no gaps). `article` names the one article whose pages changed
-- (its comments, jobs, audio); NULL when any page may have (an article stored, revised or
-- deleted changes lists, topics and links on other pages; a kept image may be on any page).
-- `at_ms` is the time of the write, in milliseconds. The newest 10,000 are kept: a node that
-- has read less recently starts its caches afresh.
CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    article  INTEGER,
    at_ms    INTEGER NOT NULL
);

CREATE TRIGGER changes_kept AFTER INSERT ON changes BEGIN
    DELETE FROM changes WHERE seq <= new.seq - 10000;
END;

CREATE TRIGGER articles_added AFTER INSERT ON articles BEGIN
    INSERT INTO changes (article, at_ms) VALUES (NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER articles_revised AFTER UPDATE ON articles BEGIN
    INSERT INTO changes (article, at_ms) VALUES (NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
    INSERT INTO changes (article, at_ms) VALUES (NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;

CREATE TRIGGER images_kept AFTER INSERT ON images BEGIN
    INSERT INTO changes (article, at_ms) VALUES (NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER images_rekept AFTER UPDATE ON images BEGIN
    INSERT INTO changes (article, at_ms) VALUES (NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;

CREATE TRIGGER comments_added AFTER INSERT ON comments BEGIN
    INSERT INTO changes (article, at_ms) VALUES (new.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER comments_moderated AFTER UPDATE ON comments BEGIN
    INSERT INTO changes (article, at_ms) VALUES (new.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
-- Comments deleted with their article are covered by the article's own change.
CREATE TRIGGER comments_deleted AFTER DELETE ON comments
WHEN EXISTS (SELECT 1 FROM articles WHERE id = old.article_id) BEGIN
    INSERT INTO changes (article, at_ms) VALUES (old.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;

-- A job's state shows in the article's JSON; renewing its lease does not.
CREATE TRIGGER jobs_added AFTER INSERT ON jobs BEGIN
    INSERT INTO changes (article, at_ms) VALUES (new.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER jobs_moved AFTER UPDATE OF state, attempts, last_error, run_after ON jobs BEGIN
    INSERT INTO changes (article, at_ms) VALUES (new.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;

CREATE TRIGGER renditions_added AFTER INSERT ON renditions BEGIN
    INSERT INTO changes (article, at_ms) VALUES (new.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER renditions_replaced AFTER UPDATE ON renditions BEGIN
    INSERT INTO changes (article, at_ms) VALUES (new.article_id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
