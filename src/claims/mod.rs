//! Claims: what health articles assert, linked to the studies that support or refute them,
//! reviewed, and audited.
//!
//! - [`values`]: the typed values of claims: [`values::Stance`], [`values::Verdict`],
//!   [`values::ClaimKind`].
//! - [`record`]: the rules of claims, tags, evidence links, verdicts and the append-only audit
//!   log (validation, ids, tag inference, what each change logs); the rows are
//!   [`crate::store::claims`]'s.
//! - [`assess`]: evidence summary, warnings and staleness shown with a claim (a record's own
//!   warnings are [`crate::store::articles::StoredArticle::warnings`]).
//! - [`stance`]: which way a record's findings point for a claim, and where the claim says more
//!   than the record shows.
//! - [`certainty`]: how certain a claim's linked evidence is, rated the GRADE way, with a reason
//!   for every step.
//! - [`suggest`]: ranking catalogue records as candidate evidence.
//! - [`article`]: reading the claims an article makes (headings as context, one claim per list
//!   item or enumeration element, the kind of each claim); pure.
//! - [`audit`]: auditing an article's evidence claims against the catalogue.
//! - [`cues`]: spotting the sentences that make evidence claims (pure; unit-tested). Reading
//!   the article into sentences is [`crate::text`]'s.

pub mod article;
pub mod article_eval;
pub mod assess;
pub mod audit;
pub mod certainty;
pub mod cues;
pub mod record;
pub mod stance;
pub mod suggest;
pub mod values;
