//! `tag`: re-tag records with the active taxonomy, and manual decisions (`tag add` / `tag
//! remove`), which survive re-tagging and win over rules.

use super::{Context, OpsError};
use crate::store::Store;
use crate::store::articles::load_article;
use crate::store::tags::{RetagReport, has_rule_tag, retag, set_manual_tag};
use crate::tagging::taxonomy::Select;

/// A manual decision to record.
#[derive(Debug, Clone)]
pub struct ManualTagOptions {
    /// The record.
    pub pmid: u64,
    /// Dimension id.
    pub dimension: String,
    /// Tag id.
    pub tag: String,
    /// Add the tag (true) or remove it (false).
    pub add: bool,
    /// Why.
    pub note: Option<String>,
    /// Who decided (default: the configured reviewer).
    pub reviewer: Option<String>,
}

/// A tag of the active taxonomy, checked: what a manual decision about it needs.
#[derive(Debug, Clone, Copy)]
pub struct CheckedTag {
    /// Its dimension takes one tag per record: adding it replaces the others.
    pub single: bool,
    /// Its evidence level.
    pub level: Option<i64>,
}

/// A manual decision recorded.
#[derive(Debug, Clone)]
pub struct ManualTagDone {
    /// A removed tag that no rule gives the record now (the removal also holds after
    /// re-tagging); always false for an addition.
    pub removed_without_rule: bool,
}

/// Checks that the dimension and the tag exist in the active taxonomy (before the catalogue
/// is opened).
pub fn check_tag(ctx: &Context, dimension: &str, tag: &str) -> Result<CheckedTag, OpsError> {
    let taxonomy = ctx.taxonomy()?;
    let Some(dim) = taxonomy.dimension(dimension) else {
        let dims: Vec<&str> = taxonomy
            .dimensions()
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        return Err(OpsError::Usage(format!(
            "unknown dimension {dimension:?}; the taxonomy has: {}",
            dims.join(", ")
        )));
    };
    let Some(found) = taxonomy.tag(dimension, tag) else {
        let tags: Vec<&str> = taxonomy.tags_of(dimension).map(|t| t.id.as_str()).collect();
        return Err(OpsError::Usage(format!(
            "unknown {dimension} tag {tag:?}; known: {}",
            tags.join(", ")
        )));
    };
    Ok(CheckedTag {
        single: dim.select == Select::One,
        level: found.level,
    })
}

/// Records a manual decision about a tag checked with [`check_tag`].
pub fn set_manual(
    ctx: &Context,
    store: &mut Store,
    options: &ManualTagOptions,
    checked: CheckedTag,
) -> Result<ManualTagDone, OpsError> {
    if load_article(store, options.pmid)?.is_none() {
        return Err(OpsError::NotFound(format!(
            "PMID {} is not in the catalogue",
            options.pmid
        )));
    }
    let reviewer = options
        .reviewer
        .clone()
        .or(ctx.settings()?.reviewer.value.clone());
    set_manual_tag(
        store,
        options.pmid,
        &options.dimension,
        &options.tag,
        options.add,
        options.add && checked.single,
        checked.level,
        options.note.as_deref(),
        reviewer.as_deref(),
    )?;
    let removed_without_rule =
        !options.add && !has_rule_tag(store, options.pmid, &options.dimension, &options.tag)?;
    Ok(ManualTagDone {
        removed_without_rule,
    })
}

/// Re-tags the given records (all with data when `pmids` is empty) with the active taxonomy,
/// replacing only rule tags; `on_progress(done, total)` follows it. The report serialises as
/// `evcat tag --format json`.
pub fn retag_records(
    ctx: &Context,
    store: &mut Store,
    pmids: &[u64],
    on_progress: &mut dyn FnMut(u64, u64),
) -> Result<RetagReport, OpsError> {
    let matcher = ctx.matcher()?;
    Ok(retag(store, &matcher, pmids, on_progress)?)
}
