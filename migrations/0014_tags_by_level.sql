-- 0014: an index of the evidence levels of rule tags (design tags carry one). `claim suggest`
-- reads the highest level in the catalogue from it (one seek) to bound what a candidate it has
-- not read yet can score, and so reads only the candidates that can be among the best.

CREATE INDEX IF NOT EXISTS tags_by_level ON tags(level) WHERE level IS NOT NULL;
