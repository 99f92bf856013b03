-- 0019: each record's length in the full-text index, exactly, where 0016 kept a floor of it:
-- two bytes a record (little-endian; `store::rank::kept_length`: 0 for a PMID not indexed,
-- 65,535 for a record of 65,535 tokens or more, whose length is read from FTS5), 1,024 PMIDs a
-- row (row `id` holds PMIDs id * 1024 to id * 1024 + 1023). `find` reads them to rank a match
-- without looking its length up in FTS5's `docsize` table, one b-tree lookup a record. Written
-- with the index rows by the import; the migration notes every record's length from `docsize`,
-- in its transaction.

DROP TABLE IF EXISTS fts_length_floors;

CREATE TABLE IF NOT EXISTS fts_lengths (
    id      INTEGER PRIMARY KEY,
    lengths BLOB NOT NULL
);
