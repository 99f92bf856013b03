//! `cite`: formatted references for given records in a citation style.

use serde::Serialize;

use super::OpsError;
use crate::export::cite::{CitationStyle, format_references, style_source};
use crate::store::Store;
use crate::store::articles::load_article;

/// What to cite.
#[derive(Debug, Clone)]
pub struct CiteOptions {
    /// PMIDs, in the order to cite them.
    pub pmids: Vec<u64>,
    /// Citation style.
    pub style: CitationStyle,
}

/// One formatted reference.
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    /// The record.
    pub pmid: u64,
    /// The formatted reference.
    pub reference: String,
}

/// The references, in the order asked for. Serialises to `evcat cite --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Citations {
    /// The references.
    pub references: Vec<Reference>,
    /// Where the style comes from.
    pub style: &'static str,
}

/// Formats the references; every PMID must be in the catalogue with data.
pub fn cite(store: &Store, options: &CiteOptions) -> Result<Citations, OpsError> {
    let mut articles = Vec::new();
    let mut missing = Vec::new();
    for &pmid in &options.pmids {
        match load_article(store, pmid)? {
            Some(s) if s.has_data => articles.push(s.article),
            Some(_) => missing.push(format!("{pmid} (deleted from PubMed, no data)")),
            None => missing.push(pmid.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(OpsError::NotFound(format!(
            "not in the catalogue: {} (import or fetch them first)",
            missing.join(", ")
        )));
    }
    let formatted =
        format_references(&articles, options.style).map_err(|e| OpsError::Failed(e.to_string()))?;
    Ok(Citations {
        references: articles
            .iter()
            .zip(formatted)
            .map(|(a, reference)| Reference {
                pmid: a.pmid,
                reference,
            })
            .collect(),
        style: style_source(options.style),
    })
}
