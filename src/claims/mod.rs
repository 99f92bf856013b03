//! Claims: what health articles assert, linked to the studies that support or refute them,
//! reviewed, and audited.
//!
//! - [`record`]: claims, tags, evidence links, verdicts and the append-only audit log.
//! - [`assess`]: evidence summary, warnings and staleness shown with a claim.
//! - [`suggest`]: ranking catalogue records as candidate evidence.
//! - [`audit`]: auditing an article's evidence claims against the catalogue.
//! - [`cues`]: spotting the sentences that make evidence claims (pure; unit-tested). Reading
//!   the article into sentences is [`crate::text`]'s.

pub mod assess;
pub mod audit;
pub mod cues;
pub mod record;
pub mod suggest;

/// The former home of article reading, kept so that existing paths still resolve: the text
/// half now lives in [`crate::text`], the claim cues in [`crate::claims::cues`].
pub mod audit_text {
    pub use super::cues::{claim_cues, is_evidence_claim};
    pub use crate::text::{DocFormat, Sentence, detect_format, sentences};
}
