-- 0002: fetching from PubMed. Saved searches (user data: never changed by imports) with the
-- watermark of their last successful refresh, and a record of every fetch and refresh run.

CREATE TABLE saved_searches (
    name            TEXT PRIMARY KEY,        -- validated: letters, digits, '.', '_', '-'
    query           TEXT NOT NULL,           -- the PubMed query
    created_at      TEXT NOT NULL,
    watermark       TEXT,                    -- UTC date (YYYY-MM-DD) the last successful run started
    last_success_at TEXT,
    last_run_id     INTEGER
);

-- One row per `fetch` or `refresh` of one search. A run killed before it finished stays
-- 'running' until the next run marks it 'interrupted'.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,               -- 'fetch' or 'refresh'
    search      TEXT,                        -- saved search name (refresh), NULL for one-off fetches
    query       TEXT NOT NULL,
    mindate     TEXT,
    maxdate     TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT NOT NULL,               -- 'running', 'success', 'failed', 'interrupted'
    found       INTEGER NOT NULL DEFAULT 0,  -- count PubMed reported
    fetched     INTEGER NOT NULL DEFAULT 0,  -- records received
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    missing     INTEGER NOT NULL DEFAULT 0,  -- ids found but not received
    requests    INTEGER NOT NULL DEFAULT 0,
    retries     INTEGER NOT NULL DEFAULT 0,
    error       TEXT
);
CREATE INDEX runs_search ON runs(search, id);
