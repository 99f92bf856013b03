-- 0013: the zstd dictionaries records' XML is compressed with (`store::compression`). A
-- catalogue trains one from a sample of its own records once it holds enough of them; each
-- compressed record names the dictionary it needs (zstd's dictionary id), and a record stored
-- before the catalogue had one keeps its plain zstd frame. Rows are never changed or deleted:
-- a record compressed with a dictionary needs it for as long as it is stored.

CREATE TABLE xml_dictionaries (
    id         INTEGER PRIMARY KEY,   -- the zstd dictionary id
    dictionary BLOB NOT NULL,
    samples    INTEGER NOT NULL,      -- records it was trained on
    trained_at TEXT NOT NULL
);
