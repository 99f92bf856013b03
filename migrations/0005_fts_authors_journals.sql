-- 0005: authors and journals in the full-text index.
-- `article_fts` gains two columns: `author` (last name, fore name, initials and collective name
-- of every author and book editor) and `journal` (title, ISO and MEDLINE abbreviations). The
-- index is contentless, so it is dropped and created again here, and every record with data is
-- indexed again from the stored tables by the migration's hook, in this same transaction.
-- Nothing else changes: claims, reviews, tags and the audit trail are untouched.

DROP TABLE article_fts;

CREATE VIRTUAL TABLE article_fts USING fts5(
    title, abstract, keywords, mesh, author, journal,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
