-- Each user's reading comfort (theme, text size, typeface, line width), as the JSON lector writes.
ALTER TABLE users ADD COLUMN reading TEXT NOT NULL DEFAULT '{}';
