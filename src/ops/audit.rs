//! `audit`: an article's evidence claims, the catalogue's candidate evidence for each, and
//! (optionally) saving the claims no reviewed claim covers yet.

use std::path::Path;

use super::claim::SaveClaim;
use crate::claims::article::read_claims;
use crate::claims::article_eval::{ArticleEvaluation, ReadArticle, evaluate, parse_labels};
use crate::claims::audit::{
    AuditedSentence, MAX_ARTICLE_BYTES, article_claim_tags, audit_document,
};
use crate::claims::record::{CLAIM_DIMENSIONS, list};
use crate::text::detect_format;

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
        let existing: Vec<String> = list(store, true)
            .map_err(|e| OpsError::Failed(e.to_string()))?
            .into_iter()
            .map(|c| c.text)
            .collect();
        let source = save.source.clone().unwrap_or_else(|| options.name.clone());
        // Each claim is saved in its own words (a list item with its lead-in), with the tags
        // the audit gave it (the article's treatment, adverse events for a safety claim).
        for s in sentences
            .iter()
            .filter(|s| s.covered_by.is_none() && !existing.contains(&s.claim))
        {
            let tags = s
                .tags
                .iter()
                .filter_map(|t| t.split_once('/'))
                .filter(|(d, _)| CLAIM_DIMENSIONS.contains(d))
                .map(|(d, t)| (d.to_string(), t.to_string()))
                .collect();
            let claim = super::claim::save(
                ctx,
                store,
                &SaveClaim {
                    text: s.claim.clone(),
                    source: Some(source.clone()),
                    kind: Some(s.kind),
                    tags,
                    reviewer: save.reviewer.clone(),
                },
            )
            .map_err(|e| OpsError::Failed(e.to_string()))?;
            saved.push(claim.id);
        }
    }
    Ok(Audit { sentences, saved })
}

/// Measures how well the claims of labelled articles are found: reads the labels (see
/// [`crate::claims::article_eval`]) and each article they name, relative to the labels' folder.
pub fn evaluate_articles(ctx: &Context, labels_path: &Path) -> Result<ArticleEvaluation, OpsError> {
    let matcher = ctx.matcher()?;
    let read = |path: &Path| {
        let meta = std::fs::metadata(path)
            .map_err(|e| OpsError::Failed(format!("cannot read {}: {e}", path.display())))?;
        if meta.len() > MAX_ARTICLE_BYTES as u64 {
            return Err(OpsError::Failed(format!(
                "{} has {} bytes, more than the {MAX_ARTICLE_BYTES} an article may have",
                path.display(),
                meta.len()
            )));
        }
        std::fs::read_to_string(path)
            .map_err(|e| OpsError::Failed(format!("cannot read {}: {e}", path.display())))
    };
    let labels = parse_labels(&read(labels_path)?)
        .map_err(|e| OpsError::Failed(format!("{}: {e}", labels_path.display())))?;
    let folder = labels_path.parent().unwrap_or(Path::new("."));
    let mut names: Vec<&str> = labels.iter().map(|l| l.article.as_str()).collect();
    names.dedup();
    names.sort_unstable();
    names.dedup();
    let mut texts = Vec::new();
    for name in &names {
        let content = read(&folder.join(name))?;
        let claims = read_claims(&content, detect_format(name, &content));
        let tags = article_claim_tags(&matcher, &claims);
        texts.push((
            *name,
            content,
            claims.into_iter().zip(tags).collect::<Vec<_>>(),
        ));
    }
    let articles: Vec<ReadArticle<'_>> = texts
        .iter()
        .map(|(name, content, claims)| ReadArticle {
            name,
            content,
            claims,
        })
        .collect();
    Ok(evaluate(&articles, &labels))
}
