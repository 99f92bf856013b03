-- 0001: the catalogue core.
-- One row per PMID in `articles` (identity is the PMID), normalised child tables for every list
-- field of a PubMed record, the revision history of replaced records, the import log, and an
-- FTS5 index over title, abstract, keywords and MeSH terms.
-- Child rows carry `position` so lists come back in source order. Child tables cascade on the
-- article, so replacing a record's data is "delete children, insert children" in one transaction.

CREATE TABLE articles (
    pmid               INTEGER PRIMARY KEY,          -- 64-bit; PMIDs are never assumed to fit 32 bits
    version            INTEGER NOT NULL,             -- PMID/@Version (0 for a tombstone with no data)
    kind               TEXT NOT NULL,                -- 'journal' or 'book'
    status             TEXT,                         -- MedlineCitation/@Status
    owner              TEXT,                         -- MedlineCitation/@Owner
    date_completed     TEXT,                         -- ISO date
    date_revised       TEXT,                         -- ISO date
    title              TEXT NOT NULL,                -- plain text
    title_markup       TEXT,                         -- original inline markup, when any
    vernacular_title   TEXT,
    abstract_copyright TEXT,
    has_abstract       INTEGER NOT NULL DEFAULT 0,
    journal_title      TEXT,
    journal_iso        TEXT,
    issn               TEXT,
    issn_type          TEXT,
    issn_linking       TEXT,
    nlm_unique_id      TEXT,
    medline_ta         TEXT,
    journal_country    TEXT,
    volume             TEXT,
    issue              TEXT,
    cited_medium       TEXT,
    pub_year           INTEGER,                      -- Year, or the first year of MedlineDate
    pub_month          TEXT,
    pub_day            TEXT,
    pub_season         TEXT,
    pub_medline_date   TEXT,                         -- MedlineDate verbatim
    medline_pgn        TEXT,
    start_page         TEXT,
    end_page           TEXT,
    authors_complete   INTEGER NOT NULL DEFAULT 1,
    coi_statement      TEXT,
    publication_status TEXT,
    year               INTEGER,                      -- effective year used by filters
    content_hash       BLOB NOT NULL,                -- SHA-256 of the parsed content
    raw_xml            BLOB NOT NULL,                -- original record XML, zstd-compressed
    deleted            INTEGER NOT NULL DEFAULT 0,   -- 1: tombstone (DeleteCitation)
    deleted_at         TEXT,
    deleted_source     TEXT,
    first_seen         TEXT NOT NULL,
    last_changed       TEXT NOT NULL,
    source             TEXT                          -- file or fetch that last wrote the record
);
CREATE INDEX articles_year ON articles(year);
CREATE INDEX articles_journal_iso ON articles(journal_iso COLLATE NOCASE);

CREATE TABLE books (
    pmid               INTEGER PRIMARY KEY REFERENCES articles(pmid) ON DELETE CASCADE,
    title              TEXT,
    book_id            TEXT,
    publisher          TEXT,
    publisher_location TEXT,
    pub_year           INTEGER,
    pub_month          TEXT,
    pub_day            TEXT,
    pub_season         TEXT,
    pub_medline_date   TEXT,
    volume             TEXT,
    edition            TEXT,
    collection_title   TEXT,
    medium             TEXT,
    report_number      TEXT,
    location_label     TEXT
);

CREATE TABLE book_isbns (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    isbn     TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE book_sections (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title    TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

-- abstract_no 0 is Abstract; 1.. are OtherAbstracts in order.
CREATE TABLE abstracts (
    pmid        INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    abstract_no INTEGER NOT NULL,
    type        TEXT,
    language    TEXT,
    copyright   TEXT,
    PRIMARY KEY (pmid, abstract_no)
) WITHOUT ROWID;

CREATE TABLE abstract_sections (
    pmid        INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    abstract_no INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    label       TEXT,
    category    TEXT,
    text        TEXT NOT NULL,
    markup      TEXT,
    PRIMARY KEY (pmid, abstract_no, position)
) WITHOUT ROWID;

-- role: 'author', 'investigator' or 'editor' (book editors).
CREATE TABLE authors (
    pmid          INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    last_name     TEXT,
    fore_name     TEXT,
    initials      TEXT,
    suffix        TEXT,
    collective    TEXT,
    orcid         TEXT,                    -- bare form 0000-0002-1825-0097
    valid         INTEGER NOT NULL,
    equal_contrib INTEGER NOT NULL,
    PRIMARY KEY (pmid, role, position)
) WITHOUT ROWID;
CREATE INDEX authors_orcid ON authors(orcid) WHERE orcid IS NOT NULL;

CREATE TABLE author_affiliations (
    pmid            INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    author_position INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    affiliation     TEXT NOT NULL,
    PRIMARY KEY (pmid, role, author_position, position)
) WITHOUT ROWID;

CREATE TABLE author_identifiers (
    pmid            INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    author_position INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    source          TEXT NOT NULL,
    value           TEXT NOT NULL,
    PRIMARY KEY (pmid, role, author_position, position)
) WITHOUT ROWID;

CREATE TABLE article_ids (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id_type  TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;
CREATE INDEX article_ids_value ON article_ids(id_type, value);

CREATE TABLE elocations (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id_type  TEXT NOT NULL,
    valid    INTEGER NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE languages (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    language TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE publication_types (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ui       TEXT,
    name     TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;
CREATE INDEX publication_types_name ON publication_types(name COLLATE NOCASE);

CREATE TABLE mesh_headings (
    pmid            INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    descriptor      TEXT NOT NULL,
    ui              TEXT,
    major           INTEGER NOT NULL,
    descriptor_type TEXT,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;
CREATE INDEX mesh_headings_descriptor ON mesh_headings(descriptor COLLATE NOCASE);
CREATE INDEX mesh_headings_ui ON mesh_headings(ui);

CREATE TABLE mesh_qualifiers (
    pmid             INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    heading_position INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    ui               TEXT,
    major            INTEGER NOT NULL,
    PRIMARY KEY (pmid, heading_position, position)
) WITHOUT ROWID;

CREATE TABLE chemicals (
    pmid            INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    registry_number TEXT,
    name            TEXT NOT NULL,
    ui              TEXT,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE suppl_mesh (
    pmid      INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    ui        TEXT,
    mesh_type TEXT,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE keywords (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    keyword  TEXT NOT NULL,
    owner    TEXT,
    major    INTEGER NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE grants (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grant_id TEXT,
    acronym  TEXT,
    agency   TEXT,
    country  TEXT,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE comments_corrections (
    pmid       INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    ref_type   TEXT NOT NULL,
    ref_source TEXT,
    ref_pmid   INTEGER,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;
CREATE INDEX comments_corrections_ref ON comments_corrections(ref_pmid);

CREATE TABLE references_cited (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    citation TEXT NOT NULL,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

CREATE TABLE reference_ids (
    pmid         INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    ref_position INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    id_type      TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (pmid, ref_position, position)
) WITHOUT ROWID;

-- PubMedPubDate history, and ArticleDate / ContributionDate (kind 'article:<DateType>').
CREATE TABLE history_dates (
    pmid     INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    status   TEXT NOT NULL,
    date     TEXT,
    hour     INTEGER,
    minute   INTEGER,
    PRIMARY KEY (pmid, position)
) WITHOUT ROWID;

-- What a newer version or DateRevised replaced: enough to re-read the old record.
CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    pmid         INTEGER NOT NULL REFERENCES articles(pmid) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    date_revised TEXT,
    content_hash BLOB NOT NULL,
    raw_xml      BLOB NOT NULL,
    replaced_at  TEXT NOT NULL,
    replaced_by  TEXT
);
CREATE INDEX revisions_pmid ON revisions(pmid);

-- One row per imported file or fetched batch.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    older       INTEGER NOT NULL,
    deleted     INTEGER NOT NULL
);

CREATE VIRTUAL TABLE article_fts USING fts5(
    title, abstract, keywords, mesh,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
