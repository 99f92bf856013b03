-- 0018: the file or fetch that last wrote a record, named once in `record_sources` and by id
-- in its `articles` row (`source_id`), not spelled out in every row: a file's path took some 70
-- bytes of each of its 30,000 records. Rows written before keep their `source` text; a row
-- written since has `source` NULL and `source_id` set (a tombstone without data keeps the text).

CREATE TABLE record_sources (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE
);

ALTER TABLE articles ADD COLUMN source_id INTEGER;  -- record_sources(id)
