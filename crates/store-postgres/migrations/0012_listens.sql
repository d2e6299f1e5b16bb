-- Listening analytics, counted from anonymous beacons and kept as sums only: per article, per
-- day (UTC, `YYYY-MM-DD`) and per metric (`plays`, `reached_25`…`reached_100`,
-- `listened_ms`, `leaves`, `voice:<id>`, `speed:<x>`, `drop:<sentence>`). Nothing names a
-- listener. Writing here changes no page, so it is not in the change log.
CREATE TABLE listen_counts (
    article_id  BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    metric      TEXT NOT NULL,
    value       BIGINT NOT NULL,
    PRIMARY KEY (article_id, day, metric)
);
CREATE INDEX listen_counts_by_day ON listen_counts (day);
