-- 0012: the record's original XML (`articles.raw_xml`) is its one full copy. A stored record is
-- read back by parsing that XML (the store's round-trip test checks that the tables and the XML
-- read the same), so the tables that only held text for reading a record back are dropped: they
-- stored each record's text a second time (abstract sections, references, affiliations: some
-- 6.8 KB of the 13.8 KB a record took). What stays is what a query filters, orders or lists by:
-- the article row, the first author (who names a hit), books (a book's title in a hit),
-- publication types, MeSH headings (`--mesh`) and comments/corrections (retractions). Indexes
-- no query uses go too (each cost a b-tree insert per row at import).
--
-- The pages freed are reused by later imports; `evcat backup` writes a compacted copy.

DROP TABLE IF EXISTS abstracts;
DROP TABLE IF EXISTS abstract_sections;
DROP TABLE IF EXISTS author_affiliations;
DROP TABLE IF EXISTS author_identifiers;
DROP TABLE IF EXISTS article_ids;
DROP TABLE IF EXISTS elocations;
DROP TABLE IF EXISTS languages;
DROP TABLE IF EXISTS mesh_qualifiers;
DROP TABLE IF EXISTS chemicals;
DROP TABLE IF EXISTS suppl_mesh;
DROP TABLE IF EXISTS grants;
DROP TABLE IF EXISTS references_cited;
DROP TABLE IF EXISTS reference_ids;
DROP TABLE IF EXISTS history_dates;
DROP TABLE IF EXISTS book_isbns;
DROP TABLE IF EXISTS book_sections;
DROP TABLE IF EXISTS keywords;
-- Investigators, book editors and authors after the first were only read back with the record.
DELETE FROM authors WHERE role <> 'author' OR position > 0;
DROP INDEX IF EXISTS authors_orcid;
DROP INDEX IF EXISTS mesh_headings_descriptor;
DROP INDEX IF EXISTS mesh_headings_ui;
DROP INDEX IF EXISTS comments_corrections_ref;
-- A search by year reads `articles_newest` (year, pmid, deleted); journal filters match three
-- name columns with LIKE, which no single-column index serves.
DROP INDEX IF EXISTS articles_year;
DROP INDEX IF EXISTS articles_journal_iso;
