-- What each API token may do: space-separated scopes (articles:write, comments:moderate,
-- admin). Tokens made before scopes existed keep every power.
ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'admin';
