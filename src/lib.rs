//! evcat: a literature evidence catalogue for checking health claims against PubMed.
//!
//! # Architecture (start here)
//!
//! | concern | module |
//! |---|---|
//! | PubMed record model | [`pubmed::model`] |
//! | streaming PubMed XML reader (quick-xml, constant memory) | [`pubmed::reader`] |
//! | XML entity and character references (one decoder for the reader and the client) | [`pubmed::entities`] |
//! | opening inputs: files, `-`, gzip detected from content | [`pubmed::input`] |
//! | a local mirror of NCBI's files: order, SHA-256 and MD5 checksums, `.md5` files | [`pubmed::mirror`] |
//! | NCBI E-utilities client (HTTP only): retries, politeness, efetch into a caller's sink | [`pubmed::eutils`] |
//! | NCBI's request limit shared by every evcat process of the user (a file in the cache directory) | [`pubmed::rate_limit`] |
//! | SQLite store: open, pragmas, migrations (`migrations/*.sql`) | [`store`] |
//! | writing a record (its XML, the tables queries use) and reading it back from its XML; a record's warnings and revision history | [`store::articles`] |
//! | a record's XML compressed for storage with a zstd dictionary the catalogue trains from its own records, kept in blocks with the other records a write stores, and read back | [`store::compression`] |
//! | import semantics: identity, revisions (only what changed is written), tombstones, transactions, files applied | [`store::import`] |
//! | query language → safe FTS5, `find` filters | [`store::search`] |
//! | ranking a search's best records (FTS5's BM25 without ranking in full the records that cannot be among them, with each record's length kept apart; at 20,000 records and more, in two halves of the PMIDs at once on two connections, and a query with `OR` among the records holding all its phrases when a bound on BM25 proves the page is theirs) and counting what it ranked | [`store::rank`], `store::search` |
//! | an in-memory index of one catalogue generation that answers new searches as SQL would (`evcat serve`) | [`store::search_index`] |
//! | saved searches and the run log (typed run outcomes) | [`store::saved`] |
//! | claims, links, verdicts and the claim log (the SQL; the rules are in [`claims`]) | [`store::claims`] |
//! | rule tags, manual tags, effective tags, matrices (by records, or weighted by participants) | [`store::tags`] |
//! | the facts of each study (participants, follow-up, ...), stored with the rule tags | [`store::facts`] |
//! | catalogue statistics | [`store::stats`] |
//! | counts kept as the catalogue changes (records, years, types, tag profiles) for `stats`, `summary` and tag-only counts | [`store::counts`] |
//! | stopping a request's queries when whoever asked is gone | [`store::cancel`] |
//! | fetching searches (9,999-id split), importing fetched records, refresh, lock, run log | [`fetch`] |
//! | reading an abstract: each sentence's role and whether it speaks of the record's own study; the study's facts; what it found per outcome | [`abstracts`] |
//! | taxonomy format, default taxonomy, matcher, a record's tags and facts read together, evaluation (tags; designs and facts) | [`tagging`] |
//! | claim rules: ids, validation, assessment, the certainty of a claim's evidence, suggestion with suggested stances, reading an article's claims (structure, lists, kinds) and measuring it, article audit, evidence-claim cues | [`claims`] |
//! | reading text, Markdown, HTML with an offset map back into the document and what each block is (heading, list item, table cell, site furniture); sentences; regular expressions for fixed patterns (ASCII word boundaries) and the literal gate that skips the searches a text cannot match | [`text`] |
//! | citations (hayagriva CSL), export formats, evidence reports | [`export`] |
//! | settings: config file and environment (the API key type is [`pubmed::api_key`]'s) | [`config`] |
//! | JSON and text views of records (`show`) | [`view`] |
//! | output files (atomic, never through a symlink); text safe for terminals, CSV, Markdown | [`output`] |
//! | the use cases shared by every front end; the context (settings, catalogue, tagger) | [`ops`] |
//! | answers a long-running front end keeps for one generation of the catalogue | [`ops::cache`] |
//! | command line: one file per subcommand, one call into [`ops`] each | [`cli`] |
//! | the web workbench (`evcat serve`): routes, pages, token/CSRF/headers, one call into [`ops`] per handler | [`web`] |
//!
//! Start with [`store::import::import_stream`] (how a record enters the catalogue) and
//! [`tagging::Matcher::tag`] (how it is classified).
//!
//! The binary (`src/main.rs`) only parses arguments, calls [`cli::run`] and maps errors to exit
//! codes ([`cli::exit_code_of`]). README's "Architecture" section gives the layers and the rule
//! of each about what it may import.

#![warn(missing_docs)]

pub mod abstracts;
pub mod claims;
pub mod cli;
pub mod config;
pub mod export;
pub mod fetch;
pub mod ops;
pub mod output;
pub mod pubmed;
pub mod store;
pub mod tagging;
pub mod text;
pub mod view;
pub mod web;
