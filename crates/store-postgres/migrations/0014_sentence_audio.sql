-- Speech per utterance, so that a new revision synthesizes only the sentences whose spoken
-- text changed: `key` digests the voice, the speed and the spoken text; `blob` holds the
-- engine's PCM (24 kHz, 16-bit, little-endian); `words` the word timings, as JSON.
CREATE TABLE sentence_audio (
    key         TEXT PRIMARY KEY,
    blob        TEXT NOT NULL,
    words       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
