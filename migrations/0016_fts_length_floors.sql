-- 0016: how long each record in the full-text index is at least, a byte a record
-- (`store::rank::length_byte`), 2,048 PMIDs a row (row `id` holds PMIDs id * 2048 to
-- id * 2048 + 2047, byte 0 for a PMID not indexed). `find` reads them to set aside matches that
-- cannot be among the best without reading each one's length from FTS5's `docsize` table.
-- Written with the index rows by the import; the migration notes every record's length from
-- `docsize`, in its transaction.

CREATE TABLE IF NOT EXISTS fts_length_floors (
    id     INTEGER PRIMARY KEY,
    floors BLOB NOT NULL
);
