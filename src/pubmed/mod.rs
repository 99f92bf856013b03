//! Everything about PubMed itself: the record model, the streaming XML reader, input opening
//! (plain, gzip, standard input) and, later, the E-utilities client.

pub mod eutils;
pub mod input;
pub mod model;
pub mod reader;

pub use model::*;
pub use reader::{ParseError, ParseErrorKind, PubmedReader};
