//! evcat: a literature evidence catalogue for checking health claims against PubMed.
pub mod pubmed;
pub mod store;
