-- 0003: tags. Rule tags (`tags`, one small row per tag for filtering and counting, and
-- `tag_evidence`, all evidence of a record as one JSON object) are derived data: re-tagging a
-- record replaces them. Manual decisions (`manual_tags`: a tag added by a person, or a rule tag removed) are user
-- data: import, refresh, re-tagging and migrations never change them, and they win over rules.
-- `effective_tags` is what every query uses.

CREATE TABLE tags (
    pmid             INTEGER NOT NULL,
    dimension        TEXT NOT NULL,
    tag              TEXT NOT NULL,
    level            INTEGER,                  -- evidence level (design tags)
    negated          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pmid, dimension, tag)
) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON tags(dimension, tag, pmid);

-- All rule evidence of a record, one row per record (keeping the per-tag rows small):
-- {"dimension/tag": [[source, text, start, end, negated], ...], ...}, best first, and the
-- taxonomy version that made the record's rule tags.
CREATE TABLE tag_evidence (
    pmid             INTEGER PRIMARY KEY,
    taxonomy_version TEXT NOT NULL,
    evidence         TEXT NOT NULL
);

CREATE TABLE manual_tags (
    pmid       INTEGER NOT NULL,
    dimension  TEXT NOT NULL,
    tag        TEXT NOT NULL,
    action     TEXT NOT NULL,                  -- 'add' or 'remove'
    exclusive  INTEGER NOT NULL DEFAULT 0,     -- an added tag of a one-tag dimension (design) hides the rule tags of that dimension
    level      INTEGER,
    note       TEXT,
    reviewer   TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pmid, dimension, tag)
) WITHOUT ROWID;

CREATE VIEW effective_tags AS
    SELECT m.pmid, m.dimension, m.tag, m.level, 'manual' AS source, m.note AS text, NULL AS start, NULL AS end,
           0 AS negated, 'manual' AS origin
      FROM manual_tags m
     WHERE m.action = 'add'
    UNION ALL
    SELECT t.pmid, t.dimension, t.tag, t.level, NULL AS source, NULL AS text, NULL AS start, NULL AS end, t.negated,
           'rule' AS origin
      FROM tags t
     WHERE NOT EXISTS (
         SELECT 1 FROM manual_tags m
          WHERE m.pmid = t.pmid AND m.dimension = t.dimension
            AND (m.tag = t.tag OR (m.action = 'add' AND m.exclusive = 1)));
