-- Replies are looked up by their parent when a page of comments is read, and removed with it
-- when a comment is deleted: both need an index on parent_id.
CREATE INDEX comments_by_parent ON comments (parent_id, state, created_at);
