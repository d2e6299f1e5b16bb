-- Each user's reading comfort (theme, text size, typeface, line width), as the JSON lector writes,
-- where each reader is in each narration, their highlights and notes, and their listen queue.
ALTER TABLE users ADD COLUMN reading TEXT NOT NULL DEFAULT '{}';

-- Where each reader is in each narration (the sentence and the time in it), for resuming on
-- another device.
ALTER TABLE library_items ADD COLUMN position_sentence INTEGER;
ALTER TABLE library_items ADD COLUMN position_ms INTEGER;
ALTER TABLE library_items ADD COLUMN position_at INTEGER;

-- A reader's highlights and notes on an article's text: the words quoted with a little of the
-- text around them (to find them again), the revision they were made on, and a note.
CREATE TABLE highlights (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    quote       TEXT NOT NULL,
    prefix      TEXT NOT NULL DEFAULT '',
    suffix      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    FOREIGN KEY (user_id, article_id) REFERENCES library_items (user_id, article_id) ON DELETE CASCADE
);
CREATE INDEX highlights_by_item ON highlights (user_id, article_id, id);

-- Each reader's listen queue: articles of their library in the order they will hear them.
CREATE TABLE listen_queue (
    user_id     INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    place       INTEGER NOT NULL,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, article_id),
    FOREIGN KEY (user_id, article_id) REFERENCES library_items (user_id, article_id) ON DELETE CASCADE
);
