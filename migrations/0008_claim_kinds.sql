-- 0008: a claim's kind, what it is about: study (what research found), benefit, indication
-- (whom a treatment is for), protocol (how it is given), course (when it works and for how
-- long) or safety (issue 14: the kinds an article's evidence claims are labelled with, and that
-- `audit --save` records). NULL for a claim without one: every claim made before this
-- migration, and claims added by hand without `--kind`. Adding the column rewrites no row:
-- claims, tags, links, verdicts and the log keep every value they had.
-- The CHECK is the column's own (not the table's), so a test that rebuilds an older schema can
-- still drop the column.

ALTER TABLE claims ADD COLUMN kind TEXT
    CHECK (kind IN ('study', 'benefit', 'indication', 'protocol', 'course', 'safety'));
