-- 0010: the files an import applied, by checksum, so that `evcat import --resume` skips the
-- files a run already applied (after a crash, a kill, or the next day's run over the same
-- mirrored directory) and applies the rest. A row is written in the transaction that imports
-- the file, so it exists exactly when the file's records do.

CREATE TABLE applied_files (
    sha256     BLOB PRIMARY KEY,   -- of the file's bytes as stored (compressed when gzip)
    file       TEXT NOT NULL,      -- its path as given when it was applied
    size       INTEGER NOT NULL,   -- bytes
    md5        TEXT,               -- lowercase hex, when an .md5 file beside it was checked
    records    INTEGER NOT NULL,
    applied_at TEXT NOT NULL
) WITHOUT ROWID;
