//! Reading an abstract the way a reviewer does: which sentences describe the record's own study
//! (and which speak of earlier work or of work still to be done), so that the rules that decide
//! what a study *is* read only what the study says of itself.
//!
//! - [`roles`]: the role (section) and voice (own study, background, future work) of every
//!   sentence of an abstract, with byte offsets into the abstract text.
//! - [`facts`]: the study's facts (participants, studies included, follow-up, sessions,
//!   concentration, volume), each with its evidence.
//! - [`findings`]: what the study found, per outcome (benefit, no difference, harm, mixed), with
//!   its comparator, significance and sentence, and what the authors conclude overall.
//! - [`numbers`]: numbers as abstracts write them (digits, separators, words).
//!
//! Pure functions over text; imports only [`crate::text`].

pub mod facts;
pub mod findings;
pub mod numbers;
pub mod roles;

pub use facts::{Fact, FactKind, FactSource, read_facts, read_facts_with};
pub use roles::{AbstractSentence, Role, Voice, read_abstract};
