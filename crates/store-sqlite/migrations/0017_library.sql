-- Readers' libraries: the articles each user saved (an article saved by several users is
-- stored once and linked to each), with the reader's own state and tags; and the saves still
-- to fetch or extract, a small queue of their own (a save names no article until it is read).
CREATE TABLE library_items (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    saved_at     INTEGER NOT NULL,
    archived_at  INTEGER,
    favourite    INTEGER NOT NULL DEFAULT 0,
    read_at      INTEGER,
    PRIMARY KEY (user_id, article_id)
);
CREATE INDEX library_items_by_article ON library_items (article_id);
CREATE INDEX library_items_by_date ON library_items (user_id, saved_at DESC);

CREATE TABLE library_tags (
    user_id     INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (user_id, article_id, tag),
    FOREIGN KEY (user_id, article_id) REFERENCES library_items (user_id, article_id) ON DELETE CASCADE
);
CREATE INDEX library_tags_by_tag ON library_tags (user_id, tag);

CREATE TABLE library_saves (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url          TEXT,
    host         TEXT NOT NULL DEFAULT '',
    page         TEXT,
    page_kind    TEXT,
    title        TEXT,
    saved_at     INTEGER NOT NULL,
    tags         TEXT NOT NULL DEFAULT '[]',
    archived     INTEGER NOT NULL DEFAULT 0,
    favourite    INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_after    INTEGER NOT NULL,
    lease_until  INTEGER,
    last_error   TEXT,
    article_id   INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX library_saves_waiting ON library_saves (state, run_after, id);
CREATE INDEX library_saves_by_user ON library_saves (user_id, id);
CREATE INDEX library_saves_by_host ON library_saves (host, updated_at);
