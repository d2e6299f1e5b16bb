-- The change log: one row for every write that changes what a page or an API read shows,
-- written by triggers so that no write path can forget it. `article` names the one article
-- whose pages changed (its comments, jobs, audio); NULL when any page may have (an article
-- stored, revised or deleted changes lists, topics and links on other pages; a kept image may
-- be on any page). `at_ms` is the time of the write, in milliseconds.
--
-- Numbered in commit order, without gaps: the triggers are deferred to the commit and take
-- the next number from one counter row, whose lock they hold until the commit, so a number
-- is never seen before a smaller one, and a rolled back write gives its number back. Taken
-- last in every transaction, the lock cannot close a cycle of waits. The newest 10,000 are
-- kept: a node that has read less recently starts its caches afresh.
CREATE TABLE change_counter (
    one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    seq  BIGINT NOT NULL
);
INSERT INTO change_counter (one, seq) VALUES (TRUE, 0);

CREATE TABLE changes (
    seq      BIGINT PRIMARY KEY,
    article  BIGINT,
    at_ms    BIGINT NOT NULL
);

CREATE FUNCTION record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    number BIGINT;
    target BIGINT;
BEGIN
    IF TG_ARGV[0] = 'site' THEN
        target := NULL;
    ELSIF TG_OP = 'DELETE' THEN
        target := OLD.article_id;
        -- Rows deleted with their article are covered by the article's own change.
        IF NOT EXISTS (SELECT 1 FROM articles WHERE id = target) THEN
            RETURN NULL;
        END IF;
    ELSE
        target := NEW.article_id;
    END IF;
    UPDATE change_counter SET seq = seq + 1 RETURNING seq INTO number;
    INSERT INTO changes (seq, article, at_ms)
        VALUES (number, target, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
    DELETE FROM changes WHERE seq <= number - 10000;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER articles_changed AFTER INSERT OR UPDATE OR DELETE ON articles
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_change('site');
CREATE CONSTRAINT TRIGGER images_changed AFTER INSERT OR UPDATE ON images
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_change('site');
CREATE CONSTRAINT TRIGGER comments_changed AFTER INSERT OR UPDATE OR DELETE ON comments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_change('article');
-- A job's state shows in the article's JSON; renewing its lease does not.
CREATE CONSTRAINT TRIGGER jobs_added AFTER INSERT ON jobs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_change('article');
CREATE CONSTRAINT TRIGGER jobs_moved AFTER UPDATE OF state, attempts, last_error, run_after ON jobs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_change('article');
CREATE CONSTRAINT TRIGGER renditions_changed AFTER INSERT OR UPDATE ON renditions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_change('article');
