-- 0011: counts kept as the catalogue changes, for `stats` and `summary` (see src/store/counts.rs).
-- `record_counts` holds what each record adds (deleted or not, year, publication types, its
-- condition, outcome and design tags as `effective_tags` gives them, its participants);
-- `catalogue_counts` and `profile_counts` hold the sums. The triggers note every record whose
-- part may have changed in `counts_dirty`; evcat corrects the sums for the noted records before
-- each write transaction commits. The migration notes every record and counts them all in its
-- own transaction (derived data only: nothing else changes). (The triggers test before they
-- note, rather than INSERT OR IGNORE: the conflict policy of the statement that fires a trigger
-- overrides the trigger's own, and an upsert's would make a second note an error.)
-- `articles_newest` lists records newest first, for a search by a common tag alone: walking it
-- and testing each record's tags finds the first page without listing every tagged record.

CREATE TABLE record_counts (
    pmid              INTEGER PRIMARY KEY,
    deleted           INTEGER NOT NULL,
    year              INTEGER,
    publication_types TEXT NOT NULL,   -- distinct names, sorted, one per line
    profile           TEXT NOT NULL,   -- condition, outcome and design tags (U+001F between tags, U+001E between dimensions)
    participants      REAL
);

CREATE TABLE catalogue_counts (
    kind    TEXT NOT NULL,              -- records | tombstones | year | publication_type
    key     TEXT NOT NULL,              -- the year ('' for none) or the publication type; '' for the totals
    records INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE TABLE profile_counts (
    profile              TEXT PRIMARY KEY,   -- '+' (records) or '-' (deleted records), then the tags as in record_counts
    records              INTEGER NOT NULL,
    participants         REAL NOT NULL,
    without_participants INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE counts_dirty (pmid INTEGER PRIMARY KEY);

CREATE TRIGGER counts_article_added AFTER INSERT ON articles
BEGIN INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid); END;
CREATE TRIGGER counts_article_changed AFTER UPDATE OF deleted, year ON articles
BEGIN INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid); END;
CREATE TRIGGER counts_article_removed AFTER DELETE ON articles
BEGIN INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid); END;

CREATE TRIGGER counts_type_added AFTER INSERT ON publication_types
BEGIN INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid); END;
CREATE TRIGGER counts_type_removed AFTER DELETE ON publication_types
BEGIN INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid); END;
CREATE TRIGGER counts_type_changed AFTER UPDATE ON publication_types
BEGIN
    INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid);
    INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid);
END;

CREATE TRIGGER counts_tag_added AFTER INSERT ON tags
BEGIN INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid); END;
CREATE TRIGGER counts_tag_removed AFTER DELETE ON tags
BEGIN INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid); END;
CREATE TRIGGER counts_tag_changed AFTER UPDATE ON tags
BEGIN
    INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid);
    INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid);
END;

CREATE TRIGGER counts_manual_added AFTER INSERT ON manual_tags
BEGIN INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid); END;
CREATE TRIGGER counts_manual_removed AFTER DELETE ON manual_tags
BEGIN INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid); END;
CREATE TRIGGER counts_manual_changed AFTER UPDATE ON manual_tags
BEGIN
    INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid);
    INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid);
END;

CREATE TRIGGER counts_fact_added AFTER INSERT ON facts WHEN NEW.kind = 'participants'
BEGIN INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid); END;
CREATE TRIGGER counts_fact_removed AFTER DELETE ON facts WHEN OLD.kind = 'participants'
BEGIN INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid); END;
CREATE TRIGGER counts_fact_changed AFTER UPDATE ON facts WHEN OLD.kind = 'participants' OR NEW.kind = 'participants'
BEGIN
    INSERT INTO counts_dirty SELECT OLD.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = OLD.pmid);
    INSERT INTO counts_dirty SELECT NEW.pmid WHERE NOT EXISTS (SELECT 1 FROM counts_dirty WHERE pmid = NEW.pmid);
END;

INSERT INTO counts_dirty SELECT pmid FROM articles;

CREATE INDEX articles_newest ON articles(year, pmid, deleted);
