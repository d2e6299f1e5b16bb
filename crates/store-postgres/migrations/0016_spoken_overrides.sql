-- What an editor had the voice say instead of a sentence of an article: the sentence as
-- written, and the words to say. It holds for every revision that still has the sentence.
CREATE TABLE spoken_overrides (
    article_id  BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    written     TEXT NOT NULL,
    spoken      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (article_id, written)
);
