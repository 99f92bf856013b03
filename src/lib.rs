//! evcat: a literature evidence catalogue for checking health claims against PubMed.
//!
//! # Architecture (start here)
//!
//! | concern | module |
//! |---|---|
//! | PubMed record model | [`pubmed::model`] |
//! | streaming PubMed XML reader (quick-xml, constant memory) | [`pubmed::reader`] |
//! | opening inputs: files, `-`, gzip detected from content | [`pubmed::input`] |
//! | SQLite store: open, pragmas, migrations (`migrations/*.sql`) | [`store`] |
//! | writing/reading a record to/from normalised tables | [`store::articles`] |
//! | import semantics: identity, revisions, tombstones, transactions | [`store::import`] |
//! | query language → safe FTS5, `find` filters | [`store::search`] |
//! | catalogue statistics | [`store::stats`] |
//! | JSON and text views of records (`show`) | [`view`] |
//! | command line: one file per subcommand | [`cli`] |
//!
//! The binary (`src/main.rs`) only parses arguments, calls [`cli::run`] and maps errors to exit
//! codes ([`cli::exit`]).

#![warn(missing_docs)]

pub mod claims;
pub mod cli;
pub mod config;
pub mod export;
pub mod fetch;
pub mod pubmed;
pub mod store;
pub mod tagging;
pub mod view;
