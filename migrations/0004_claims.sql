-- 0004: claims. Everything here is user data: import, fetch, refresh, re-tagging and later
-- migrations never change it. Claims refer to records by PMID without foreign keys, so a
-- claim can cite a record that is later deleted from PubMed (the record stays as a tombstone).
-- The audit log is append-only, enforced by triggers.

CREATE TABLE claims (
    id           TEXT PRIMARY KEY,           -- slug
    text         TEXT NOT NULL,
    source       TEXT,                       -- URL or citation of the article making the claim
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    removed_at   TEXT,                       -- removed claims stay (and stay in the log)
    removed_by   TEXT,
    verdict      TEXT,                       -- supported, partly-supported, unsupported, contradicted, insufficient-evidence
    verdict_note TEXT,
    verdict_by   TEXT,
    verdict_at   TEXT
);

CREATE TABLE claim_tags (
    claim_id  TEXT NOT NULL REFERENCES claims(id),
    dimension TEXT NOT NULL,
    tag       TEXT NOT NULL,
    inferred  INTEGER NOT NULL,              -- 1: inferred from the text by the taxonomy
    PRIMARY KEY (claim_id, dimension, tag)
) WITHOUT ROWID;

CREATE TABLE claim_links (
    claim_id  TEXT NOT NULL REFERENCES claims(id),
    pmid      INTEGER NOT NULL,
    stance    TEXT NOT NULL,                 -- supports, refutes, mixed, no-evidence
    note      TEXT,
    reviewer  TEXT,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, pmid)
) WITHOUT ROWID;
CREATE INDEX claim_links_pmid ON claim_links(pmid);

CREATE TABLE claim_log (
    id       INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL,
    at       TEXT NOT NULL,
    reviewer TEXT,
    action   TEXT NOT NULL,                  -- add, edit, link, unlink, review, remove
    before   TEXT,                           -- JSON
    after    TEXT                            -- JSON
);
CREATE INDEX claim_log_claim ON claim_log(claim_id, id);

CREATE TRIGGER claim_log_is_append_only_update BEFORE UPDATE ON claim_log
BEGIN
    SELECT RAISE(ABORT, 'the claim audit log is append-only');
END;
CREATE TRIGGER claim_log_is_append_only_delete BEFORE DELETE ON claim_log
BEGIN
    SELECT RAISE(ABORT, 'the claim audit log is append-only');
END;
