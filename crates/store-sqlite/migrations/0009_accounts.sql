-- Staff accounts: users with a role and an argon2 password hash, their sign-in sessions (kept
-- by the SHA-256 of the cookie's secret), and the user each API token belongs to.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         INTEGER,
    created_at           INTEGER NOT NULL,
    password_changed_at  INTEGER NOT NULL
);

CREATE TABLE sessions (
    hash        TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

ALTER TABLE tokens ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
