//! `audit`: an article's evidence claims, the catalogue's candidate evidence for each, and
//! (optionally) saving the claims no reviewed claim covers yet.

use crate::claims::audit::{AuditedSentence, audit_document};
use crate::claims::record::{NewClaim, add_claim, list};

use super::{Context, OpsError};
use crate::store::Store;

/// What to audit.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The article's name (a file name; its extension helps detect Markdown or HTML).
    pub name: String,
    /// The article's text.
    pub content: String,
    /// Candidate records per claim.
    pub candidates: usize,
    /// Save the uncovered claims as new claims, with this source (the article's name when
    /// `None`) and reviewer.
    pub save: Option<SaveOptions>,
}

/// How to save an audit's claims.
#[derive(Debug, Clone)]
pub struct SaveOptions {
    /// The claims' source.
    pub source: Option<String>,
    /// Who saves them (resolved like every reviewer: flag, settings, user name).
    pub reviewer: Option<String>,
}

/// What an audit found and saved.
#[derive(Debug)]
pub struct Audit {
    /// Each evidence-claim sentence with its candidates and coverage.
    pub sentences: Vec<AuditedSentence>,
    /// Ids of the claims saved.
    pub saved: Vec<String>,
}

/// Audits an article against `store` (opened for writing when `options.save` is set).
pub fn audit(ctx: &Context, store: &mut Store, options: &AuditOptions) -> Result<Audit, OpsError> {
    let matcher = ctx.matcher()?;
    let sentences = audit_document(
        store,
        &matcher,
        &options.name,
        &options.content,
        options.candidates,
        ctx.settings()?.citation_style.value,
    )?;
    let mut saved = Vec::new();
    if let Some(save) = &options.save {
        let who = ctx.reviewer(save.reviewer.as_deref())?;
        let existing: Vec<String> = list(store, true)
            .map_err(|e| OpsError::Failed(e.to_string()))?
            .into_iter()
            .map(|c| c.text)
            .collect();
        let source = save.source.clone().unwrap_or_else(|| options.name.clone());
        for s in sentences
            .iter()
            .filter(|s| s.covered_by.is_none() && !existing.contains(&s.sentence))
        {
            let new = NewClaim {
                id: None,
                text: s.sentence.clone(),
                source: Some(source.clone()),
                tags: Vec::new(),
            };
            let claim = add_claim(store, &matcher, &new, who.as_deref())
                .map_err(|e| OpsError::Failed(e.to_string()))?;
            saved.push(claim.id);
        }
    }
    Ok(Audit { sentences, saved })
}
