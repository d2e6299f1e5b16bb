-- The first schema: sites, articles with revisions, topics, authors, audio renditions, jobs,
-- API tokens, feeds, images and comments. Times are Unix seconds (INTEGER).

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    settings    TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);

INSERT INTO sites (id, name, settings, created_at) VALUES (1, 'default', '{}', 0);

CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    site_id           INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    canonical_url     TEXT,
    external_id       TEXT,
    slug              TEXT NOT NULL,
    headline          TEXT NOT NULL,
    published_at      INTEGER,
    sort_at           INTEGER NOT NULL,
    current_revision  INTEGER NOT NULL,
    spoken_hash       TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (site_id, canonical_url),
    UNIQUE (site_id, external_id)
);

CREATE INDEX articles_by_date ON articles (site_id, sort_at DESC, id DESC);

CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    spoken_hash  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (article_id, number)
);

CREATE TABLE topics (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    UNIQUE (site_id, slug)
);

CREATE TABLE article_topics (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id    INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, topic_id)
);

CREATE INDEX article_topics_by_topic ON article_topics (topic_id, article_id);

CREATE TABLE authors (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    url      TEXT,
    UNIQUE (site_id, slug)
);

CREATE TABLE article_authors (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);

CREATE INDEX article_authors_by_author ON article_authors (author_id, article_id);

CREATE TABLE renditions (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    spoken_hash    TEXT NOT NULL,
    voice          TEXT NOT NULL,
    format         TEXT NOT NULL,
    blob           TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL,
    timings_blob   TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (article_id, spoken_hash, voice, format)
);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    voice        TEXT NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_after    INTEGER NOT NULL,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE INDEX jobs_waiting ON jobs (state, run_after, id);
CREATE INDEX jobs_by_article ON jobs (article_id);

CREATE TABLE tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);

CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    site_id        INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    url            TEXT NOT NULL,
    interval_secs  INTEGER NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    next_poll_at   INTEGER NOT NULL,
    last_error     TEXT,
    created_at     INTEGER NOT NULL,
    UNIQUE (site_id, url)
);

CREATE TABLE feed_items (
    feed_id     INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid        TEXT NOT NULL,
    article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (feed_id, guid)
);

CREATE TABLE images (
    source_url    TEXT PRIMARY KEY,
    blob          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    variants      TEXT NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL
);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX comments_by_article ON comments (article_id, state, created_at);
