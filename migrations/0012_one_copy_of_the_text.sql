-- 0012: the record's original XML (`articles.raw_xml`) is its one full copy. A stored record is
-- read back by parsing that XML (the store's round-trip test checks that the tables and the XML
-- read the same), so the tables that only held text for reading a record back are dropped: they
-- stored each record's text a second time (abstract sections, references, affiliations: some
-- 6.8 KB of the 13.8 KB a record took). What stays is what a query filters, orders or lists by:
-- the article row, authors (the first author of a hit), books (a book's title in a hit),
-- publication types, MeSH headings, keywords and comments/corrections (retractions).
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
-- Investigators and book editors were only read back with the record.
DELETE FROM authors WHERE role <> 'author';
