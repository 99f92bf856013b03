-- 0006: the facts of each study (participants, studies included, follow-up, sessions,
-- concentration, volume), read from the title and abstract. Derived data, like rule tags: they
-- are read wherever rule tags are made (import, fetch, re-tagging) and replaced with them, in
-- the same transaction. One row per record and kind, with its evidence (the field, the text and
-- character offsets in that field). `follow_up_days` is the longest follow-up in days (a month
-- is 30.44 days, a year 365.25), for `find --min-follow-up`; NULL for the other kinds.
-- The migration's hook reads the facts of every stored record, in this same transaction.
-- Nothing else changes: claims, reviews, manual tags and the audit trail are untouched.

CREATE TABLE facts (
    pmid           INTEGER NOT NULL,
    kind           TEXT NOT NULL,              -- participants | studies | follow_up | sessions | concentration | volume
    value          REAL,                       -- the single figure stated, NULL when only a range is
    min            REAL,                       -- a stated range
    max            REAL,
    unit           TEXT NOT NULL,              -- participants | studies | day | week | month | year | sessions | ug/mL | mL
    follow_up_days REAL,
    text           TEXT NOT NULL,
    source         TEXT NOT NULL,              -- title | abstract
    start          INTEGER NOT NULL,           -- character offsets of `text` in the field
    end            INTEGER NOT NULL,
    PRIMARY KEY (pmid, kind)
) WITHOUT ROWID;
CREATE INDEX facts_by_figure ON facts(kind, coalesce(value, max), pmid);
CREATE INDEX facts_by_follow_up ON facts(follow_up_days, pmid) WHERE follow_up_days IS NOT NULL;
