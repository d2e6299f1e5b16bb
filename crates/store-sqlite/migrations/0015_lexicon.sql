-- The site's pronunciation lexicon: a written form (a word, a phrase, or a pattern when
-- `regex`) said as `say` (a respelling) or `ipa`, applied by every narration; `example` is a
-- sentence to listen to it in.
CREATE TABLE lexicon (
    id              INTEGER PRIMARY KEY,
    text            TEXT NOT NULL UNIQUE,
    regex           INTEGER NOT NULL DEFAULT 0,
    say             TEXT,
    ipa             TEXT,
    case_sensitive  INTEGER NOT NULL DEFAULT 0,
    example         TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
