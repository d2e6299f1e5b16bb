-- Webhooks: where lector tells a newsroom's systems that a narration is ready or failed, or an
-- article went out. The secret signs every delivery (it must be kept to sign, so it is stored
-- as it is). Deliveries are jobs of kind `webhook`.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    events      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
