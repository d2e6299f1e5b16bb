-- Recent requests by client (comments posted, say), for limits that hold across nodes.
CREATE TABLE rate_hits (
    key  TEXT NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits (key, at);
CREATE INDEX rate_hits_by_time ON rate_hits (at);
