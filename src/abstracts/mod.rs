//! Reading an abstract the way a reviewer does: which sentences describe the record's own study
//! (and which speak of earlier work or of work still to be done), so that the rules that decide
//! what a study *is* read only what the study says of itself.
//!
//! - [`roles`]: the role (section) and voice (own study, background, future work) of every
//!   sentence of an abstract, with byte offsets into the abstract text.
//!
//! Pure functions over text; imports only [`crate::text`].

pub mod roles;

pub use roles::{AbstractSentence, Role, Voice, read_abstract};
