-- 0007: what evcat suggested and what a reviewer judged, for the certainty of a claim's evidence.
-- `claim_links.suggested` is 1 when the link's stance is the one evcat suggested from the
-- record's findings (`claim link` without `--stance`); a reviewer who links with `--stance`
-- sets it back to 0, and a suggestion never replaces a reviewer's stance.
-- `claims.risk_of_bias` is the reviewer's judgement of the linked evidence's risk of bias
-- (low, some-concerns, high), given with a verdict (`claim review --risk-of-bias`); NULL until
-- a reviewer gives one. Existing links and claims keep every value they had.

ALTER TABLE claim_links ADD COLUMN suggested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN risk_of_bias TEXT;
