-- 0009: the columns a search filters and orders matches by (year, deletion), reachable by PMID
-- without reading the record's row. A full-text match is joined to its record by PMID; each
-- `articles` row holds the record's compressed XML, so reading a match's year read its row (a
-- page or more per match: 0.17 s to count the 155,330 matches of a two-word query with a year
-- range at 300,000 records, 0.04 s through this index). Derived from `articles`; changes no row.

CREATE INDEX articles_search ON articles(pmid, year, deleted);
