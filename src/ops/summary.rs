//! `summary`: condition-by-outcome matrices of record counts, for all designs, one design, or
//! each design in turn.

use serde::{Serialize, Serializer};

use super::{Context, OpsError};
use crate::store::Store;
use crate::store::counts::catalogue_counts;
use crate::store::tags::{Matrix, tag_matrix, weigh_by_participants};
use crate::tagging::Taxonomy;

/// Which matrices to count.
#[derive(Debug, Clone, Default)]
pub struct SummaryOptions {
    /// Only records of this design.
    pub design: Option<String>,
    /// One matrix per design (designs with no records are left out).
    pub by_design: bool,
    /// Weigh each matrix by participants too (`--weight participants`).
    pub weigh_by_participants: bool,
}

/// The matrices. Serialises to `evcat summary --format json` (the array of matrices).
#[derive(Debug, Clone)]
pub struct Summary {
    /// The outcome columns of the active taxonomy, in its order (also when no matrix is left).
    pub outcomes: Vec<String>,
    /// The matrices.
    pub matrices: Vec<Matrix>,
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.matrices.serialize(serializer)
    }
}

/// Checks `--design` against the active taxonomy's designs (before the catalogue is opened).
pub fn check_design(ctx: &Context, design: Option<&str>) -> Result<(), OpsError> {
    check_design_in(&ctx.taxonomy()?, design)
}

fn check_design_in(taxonomy: &Taxonomy, design: Option<&str>) -> Result<(), OpsError> {
    let designs = tag_ids(taxonomy, "design");
    if let Some(d) = design
        && !designs.iter().any(|x| x == d)
    {
        return Err(OpsError::Usage(format!(
            "unknown design {d:?}; known: {}",
            designs.join(", ")
        )));
    }
    Ok(())
}

fn tag_ids(taxonomy: &Taxonomy, dimension: &str) -> Vec<String> {
    taxonomy.tags_of(dimension).map(|t| t.id.clone()).collect()
}

/// Counts the matrices.
pub fn summary(
    ctx: &Context,
    store: &Store,
    options: &SummaryOptions,
) -> Result<Summary, OpsError> {
    let taxonomy = ctx.taxonomy()?;
    check_design_in(&taxonomy, options.design.as_deref())?;
    let (rows, outcomes, designs) = (
        tag_ids(&taxonomy, "condition"),
        tag_ids(&taxonomy, "outcome"),
        tag_ids(&taxonomy, "design"),
    );
    // (From the counts the catalogue keeps, unless too many changes are not counted yet.)
    let counts = catalogue_counts(store)?;
    let matrix = |design: Option<&str>| -> Result<Matrix, crate::store::StoreError> {
        if let Some(counts) = &counts {
            return Ok(counts.matrix(&rows, &outcomes, design, options.weigh_by_participants));
        }
        let mut m = tag_matrix(store, "condition", &rows, "outcome", &outcomes, design)?;
        if options.weigh_by_participants {
            weigh_by_participants(store, "condition", "outcome", &mut m)?;
        }
        Ok(m)
    };
    let matrices = if options.by_design {
        designs
            .iter()
            .map(|d| matrix(Some(d)))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|m| m.records > 0)
            .collect()
    } else {
        vec![matrix(options.design.as_deref())?]
    };
    Ok(Summary { outcomes, matrices })
}
