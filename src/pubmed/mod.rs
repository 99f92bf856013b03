//! Everything about PubMed itself: the record model, the streaming XML reader, input opening
//! (plain, gzip, standard input), a local mirror of NCBI's files ([`mirror`]: order, checksums,
//! `.md5` files) and the E-utilities client ([`eutils`]), which speaks HTTP and
//! nothing else: it hands response bodies to its caller and never stores or tags a record
//! (that is the job of the `fetch` module above it). The NCBI API key it sends lives in [`api_key`].
//! Both the reader and the client decode entity references with [`entities`].

pub mod api_key;
pub mod entities;
pub mod eutils;
pub mod input;
pub mod mirror;
pub mod model;
pub mod rate_limit;
pub mod reader;

pub use model::*;
pub use reader::{ParseError, ParseErrorKind, PubmedReader};
