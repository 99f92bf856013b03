//! `evcat claim ...`: claims, their evidence, verdicts and audit log. One file per subcommand
//! (its arguments, one call into [`crate::ops::claim`], its rendering); the text, table and
//! Markdown renderers shared by several live in [`render`]. Text output has its control
//! characters removed (claim text is typed by people and pasted from anywhere); JSON is as
//! stored.

mod add;
mod edit;
mod link;
mod list;
mod log;
mod remove;
mod render;
mod review;
mod show;
mod suggest;
mod unlink;

pub use add::AddArgs;
pub use edit::EditArgs;
pub use link::LinkArgs;
pub use list::ListArgs;
pub use log::LogArgs;
pub use remove::IdArgs;
pub use review::ReviewArgs;
pub use show::ShowArgs;
pub use suggest::SuggestArgs;
pub use unlink::UnlinkArgs;

use super::{ExitError, exit};
use crate::claims::record::ClaimError;
use crate::claims::values::ClaimKind;
use crate::ops::Context;
use crate::ops::claim::ClaimOpError;

/// `evcat claim` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ClaimCommand {
    /// Record a claim; tags not given are inferred from the text (and shown).
    #[command(
        help_template = examples!("evcat claim add --text 'A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs' --source https://example.org/ozone-article", "evcat claim add --id ozone-sciatica --text 'Ozone injections cure sciatica' --condition sciatica --intervention ozone", "evcat claim add --text 'Ozone is given in three weekly sessions' --kind protocol")
    )]
    Add(AddArgs),
    /// List claims with their status, evidence and warnings.
    #[command(
        help_template = examples!("evcat claim list", "evcat claim list --stale            # reviewed claims with new matching records", "evcat claim list --status unreviewed --condition sciatica --format json")
    )]
    List(ListArgs),
    /// Show a claim: evidence summary, warnings, staleness, links, verdict.
    #[command(
        help_template = examples!("evcat claim show pain-physician-ozone", "evcat claim show pain-physician-ozone --format markdown")
    )]
    Show(ShowArgs),
    /// Change a claim's text, source, kind or tags.
    #[command(
        help_template = examples!("evcat claim edit ozone-sciatica --outcome pain --outcome function-disability", "evcat claim edit ozone-sciatica --text 'Ozone injections relieve sciatica' --reinfer", "evcat claim edit ozone-sciatica --kind benefit")
    )]
    Edit(EditArgs),
    /// Remove a claim (it stays in the audit log and can still be shown).
    #[command(help_template = examples!(
        "evcat claim remove ozone-sciatica --reviewer 'Dr Rossi'",
        "evcat claim log ozone-sciatica            # the removal, kept in the audit log",
    ))]
    Remove(IdArgs),
    /// Rank catalogue records as candidate evidence for a claim.
    #[command(
        help_template = examples!("evcat claim suggest pain-physician-ozone", "evcat claim suggest pain-physician-ozone --limit 5 --format json")
    )]
    Suggest(SuggestArgs),
    /// Link a record to a claim with a stance.
    #[command(
        help_template = examples!("evcat claim link pain-physician-ozone 22430658 --stance supports --note 'meta-analysis of 4 RCTs'")
    )]
    Link(LinkArgs),
    /// Remove a record from a claim's evidence.
    #[command(help_template = examples!(
        "evcat claim unlink pain-physician-ozone 19478653",
        "evcat claim unlink pain-physician-ozone 19478653 --reviewer 'Dr Rossi'",
    ))]
    Unlink(UnlinkArgs),
    /// Give a claim a verdict.
    #[command(
        help_template = examples!("evcat claim review pain-physician-ozone --verdict partly-supported --note 'pain yes; function evidence weaker' --reviewer 'Dr Rossi'")
    )]
    Review(ReviewArgs),
    /// The claim's audit log: every change with time, reviewer, before and after.
    #[command(help_template = examples!(
        "evcat claim log pain-physician-ozone",
        "evcat claim log pain-physician-ozone --format json",
    ))]
    Log(LogArgs),
}

/// Output formats of claim commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimFormat {
    /// Human-readable (`table` is still accepted).
    #[value(name = "text", alias = "table")]
    Table,
    /// JSON.
    Json,
    /// Markdown.
    Markdown,
}

/// The kinds of `--kind` ([`ClaimKind`]; its `From` impls match every variant, so a kind added
/// to the library fails to compile until it is added here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimKindArg {
    /// What research found, attributed to it ("a review found that ...").
    Study,
    /// What a treatment does for people, its mechanism included.
    Benefit,
    /// Whom or what a treatment is for, or not for.
    Indication,
    /// How it is given: sessions, spacing, dose, repeats.
    Protocol,
    /// When it works and for how long: onset, duration of relief.
    Course,
    /// Harms, side effects, complications, or that it is safe.
    Safety,
}

impl From<ClaimKindArg> for ClaimKind {
    fn from(arg: ClaimKindArg) -> ClaimKind {
        match arg {
            ClaimKindArg::Study => ClaimKind::Study,
            ClaimKindArg::Benefit => ClaimKind::Benefit,
            ClaimKindArg::Indication => ClaimKind::Indication,
            ClaimKindArg::Protocol => ClaimKind::Protocol,
            ClaimKindArg::Course => ClaimKind::Course,
            ClaimKindArg::Safety => ClaimKind::Safety,
        }
    }
}

impl From<ClaimKind> for ClaimKindArg {
    fn from(kind: ClaimKind) -> ClaimKindArg {
        match kind {
            ClaimKind::Study => ClaimKindArg::Study,
            ClaimKind::Benefit => ClaimKindArg::Benefit,
            ClaimKind::Indication => ClaimKindArg::Indication,
            ClaimKind::Protocol => ClaimKindArg::Protocol,
            ClaimKind::Course => ClaimKindArg::Course,
            ClaimKind::Safety => ClaimKindArg::Safety,
        }
    }
}

/// Tag options shared by add, edit and list.
#[derive(Debug, Clone, clap::Args)]
pub struct TagOptions {
    /// Condition tag (repeatable).
    #[arg(long, value_name = "TAG")]
    pub condition: Vec<String>,
    /// Outcome tag (repeatable).
    #[arg(long, value_name = "TAG")]
    pub outcome: Vec<String>,
    /// Intervention tag (repeatable).
    #[arg(long, value_name = "TAG")]
    pub intervention: Vec<String>,
}

impl TagOptions {
    /// The tags as (dimension, tag) pairs.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (d, v) in [
            ("condition", &self.condition),
            ("outcome", &self.outcome),
            ("intervention", &self.intervention),
        ] {
            out.extend(v.iter().map(|t| (d.to_string(), t.clone())));
        }
        out
    }
}

/// The command-line error for a failed claim operation: a refused operation exits with its own
/// code and message (a claim, record or link not found: 5; a catalogue failure: 1, or 4 when locked; anything else: 2);
/// settings and catalogue failures keep their cause chain for `main`.
fn claim_error(e: ClaimOpError) -> anyhow::Error {
    match e {
        ClaimOpError::Claim(e) => claim_refused(e),
        ClaimOpError::Setup(e) => e.into(),
        ClaimOpError::Open(e) => e.into(),
        ClaimOpError::Store(e) => e.into(),
    }
}

fn claim_refused(e: ClaimError) -> anyhow::Error {
    let code = match &e {
        e if e.is_not_found() => exit::NOT_FOUND,
        ClaimError::Store(e) => super::store_exit_code(e),
        _ => exit::USAGE,
    };
    ExitError::new(code, e.to_string()).into()
}

/// Runs `evcat claim ...`.
pub fn run(cmd: &ClaimCommand, ctx: &Context) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    match cmd {
        ClaimCommand::Add(a) => add::run(a, ctx, &mut out),
        ClaimCommand::List(a) => list::run(a, ctx, &mut out),
        ClaimCommand::Show(a) => show::run(a, ctx, &mut out),
        ClaimCommand::Edit(a) => edit::run(a, ctx, &mut out),
        ClaimCommand::Remove(a) => remove::run(a, ctx, &mut out),
        ClaimCommand::Suggest(a) => suggest::run(a, ctx, &mut out),
        ClaimCommand::Link(a) => link::run(a, ctx, &mut out),
        ClaimCommand::Unlink(a) => unlink::run(a, ctx, &mut out),
        ClaimCommand::Review(a) => review::run(a, ctx, &mut out),
        ClaimCommand::Log(a) => log::run(a, ctx, &mut out),
    }?;
    Ok(exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_arguments_mirror_every_claim_kind_by_its_name() {
        use clap::ValueEnum;
        for kind in ClaimKind::ALL {
            let arg = ClaimKindArg::from(kind);
            assert_eq!(ClaimKind::from(arg), kind);
            assert_eq!(arg.to_possible_value().unwrap().get_name(), kind.as_str());
        }
        assert_eq!(ClaimKindArg::value_variants().len(), ClaimKind::ALL.len());
    }
}
