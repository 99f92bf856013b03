//! `evcat claim ...`: claims, their evidence, verdicts and audit log. Text output has its control
//! characters removed (claim text is typed by people and pasted from anywhere); JSON is as stored.

use crate::ops::Context;
use std::fmt::Write as _;
use std::io::Write;

use serde_json::json;

use super::{ExitError, exit, parse_pmid, truncate};
use crate::claims::assess::{Assessment, ClaimFilter, assess, list_assessed};
use crate::claims::record::{self, Claim, ClaimEdit, ClaimError, NewClaim};
use crate::claims::suggest::suggest;
use crate::output::text::terminal_text;

/// `evcat claim` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ClaimCommand {
    /// Record a claim; tags not given are inferred from the text (and shown).
    #[command(
        after_help = "Examples:\n  evcat claim add --text 'A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs' --source https://example.org/ozone-article\n  evcat claim add --id ozone-sciatica --text 'Ozone injections cure sciatica' --condition sciatica --intervention ozone"
    )]
    Add(AddArgs),
    /// List claims with their status, evidence and warnings.
    #[command(
        after_help = "Examples:\n  evcat claim list\n  evcat claim list --stale            # reviewed claims with new matching records\n  evcat claim list --status unreviewed --condition sciatica --format json"
    )]
    List(ListArgs),
    /// Show a claim: evidence summary, warnings, staleness, links, verdict.
    #[command(
        after_help = "Examples:\n  evcat claim show pain-physician-ozone\n  evcat claim show pain-physician-ozone --format markdown"
    )]
    Show(ShowArgs),
    /// Change a claim's text, source or tags.
    #[command(
        after_help = "Examples:\n  evcat claim edit ozone-sciatica --outcome pain --outcome function-disability\n  evcat claim edit ozone-sciatica --text 'Ozone injections relieve sciatica' --reinfer"
    )]
    Edit(EditArgs),
    /// Remove a claim (it stays in the audit log and can still be shown).
    Remove(IdArgs),
    /// Rank catalogue records as candidate evidence for a claim.
    #[command(
        after_help = "Examples:\n  evcat claim suggest pain-physician-ozone\n  evcat claim suggest pain-physician-ozone --limit 5 --format json"
    )]
    Suggest(SuggestArgs),
    /// Link a record to a claim with a stance.
    #[command(
        after_help = "Examples:\n  evcat claim link pain-physician-ozone 22430658 --stance supports --note 'meta-analysis of 4 RCTs'"
    )]
    Link(LinkArgs),
    /// Remove a record from a claim's evidence.
    Unlink(UnlinkArgs),
    /// Give a claim a verdict.
    #[command(
        after_help = "Examples:\n  evcat claim review pain-physician-ozone --verdict partly-supported --note 'pain yes; function evidence weaker' --reviewer 'Dr Rossi'"
    )]
    Review(ReviewArgs),
    /// The claim's audit log: every change with time, reviewer, before and after.
    Log(LogArgs),
}

/// Output formats of claim commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimFormat {
    /// Human-readable.
    Table,
    /// JSON.
    Json,
    /// Markdown.
    Markdown,
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

/// `claim add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// What the article claims.
    #[arg(long)]
    pub text: String,
    /// Id (a slug); generated from the text when omitted.
    #[arg(long)]
    pub id: Option<String>,
    /// URL or citation of the article making the claim.
    #[arg(long)]
    pub source: Option<String>,
    /// Tags.
    #[command(flatten)]
    pub tags: TagOptions,
    /// Who (default: EVCAT_REVIEWER, `reviewer` in the config file, or the user name).
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ClaimFormat,
}

/// `claim list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// unreviewed, or a verdict.
    #[arg(long)]
    pub status: Option<String>,
    /// Only claims with these tags.
    #[command(flatten)]
    pub tags: TagOptions,
    /// Only reviewed claims with records matching their tags that arrived after the verdict.
    #[arg(long)]
    pub stale: bool,
    /// Include removed claims.
    #[arg(long)]
    pub removed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ClaimFormat,
}

/// `claim show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Claim id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ClaimFormat,
}

/// `claim edit`.
#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// Claim id.
    pub id: String,
    /// New text.
    #[arg(long)]
    pub text: Option<String>,
    /// New source.
    #[arg(long, conflicts_with = "clear_source")]
    pub source: Option<String>,
    /// Remove the source.
    #[arg(long)]
    pub clear_source: bool,
    /// New tags (each dimension given replaces that dimension's tags).
    #[command(flatten)]
    pub tags: TagOptions,
    /// Infer the tags of dimensions not given from the (new) text.
    #[arg(long)]
    pub reinfer: bool,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// A claim id.
#[derive(Debug, clap::Args)]
pub struct IdArgs {
    /// Claim id.
    pub id: String,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// `claim suggest`.
#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// Claim id.
    pub id: String,
    /// How many candidates.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Output format (JSON: `[{pmid, score, reasons[], citation}]`, best first).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ClaimFormat,
}

/// `claim link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// Claim id.
    pub id: String,
    /// The record.
    #[arg(value_parser = parse_pmid)]
    pub pmid: u64,
    /// supports, refutes, mixed or no-evidence.
    #[arg(long)]
    pub stance: String,
    /// Why.
    #[arg(long)]
    pub note: Option<String>,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// `claim unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {
    /// Claim id.
    pub id: String,
    /// The record.
    #[arg(value_parser = parse_pmid)]
    pub pmid: u64,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// `claim review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Claim id.
    pub id: String,
    /// supported, partly-supported, unsupported, contradicted or insufficient-evidence.
    #[arg(long)]
    pub verdict: String,
    /// Why (required).
    #[arg(long)]
    pub note: String,
    /// Who (default: EVCAT_REVIEWER, `reviewer` in the config file, or the user name).
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// `claim log`.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// Claim id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ClaimFormat,
}

/// The reviewer: the flag, EVCAT_REVIEWER or the config file, or the user name.
pub fn reviewer(flag: &Option<String>, ctx: &Context) -> anyhow::Result<Option<String>> {
    if let Some(r) = flag.as_ref().filter(|r| !r.trim().is_empty()) {
        return Ok(Some(r.trim().to_string()));
    }
    if let Some(r) = &ctx.settings()?.reviewer.0 {
        return Ok(Some(r.clone()));
    }
    Ok(std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.is_empty()))
}

fn claim_error(e: ClaimError) -> anyhow::Error {
    let code = match &e {
        ClaimError::NotFound(_) => exit::NOT_FOUND,
        ClaimError::Store(e) => super::store_exit_code(e),
        _ => exit::USAGE,
    };
    ExitError::new(code, e.to_string()).into()
}

/// Runs `evcat claim ...`.
pub fn run(cmd: &ClaimCommand, ctx: &Context) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    match cmd {
        ClaimCommand::Add(a) => {
            let matcher = ctx.matcher()?;
            let mut store = ctx.open_store()?;
            let who = reviewer(&a.reviewer, ctx)?;
            let new = NewClaim {
                id: a.id.clone(),
                text: a.text.clone(),
                source: a.source.clone(),
                tags: a.tags.pairs(),
            };
            let claim = record::add_claim(&mut store, &matcher, &new, who.as_deref())
                .map_err(claim_error)?;
            if a.format == ClaimFormat::Json {
                serde_json::to_writer_pretty(&mut out, &claim)?;
                writeln!(out)?;
            } else if !ctx.quiet {
                writeln!(out, "added claim {}", claim.id)?;
                writeln!(out, "tags: {}", tags_line(&claim))?;
                if claim.tags.iter().any(|t| t.inferred) {
                    writeln!(
                        out,
                        "(tags marked * were inferred from the text; correct them with `evcat claim edit {} --condition ...`)",
                        claim.id
                    )?;
                }
            }
        }
        ClaimCommand::List(a) => {
            let store = ctx.open_store_read()?;
            let filter = ClaimFilter {
                removed: a.removed,
                status: a.status.clone(),
                tags: a.tags.pairs(),
                stale: a.stale,
            };
            let rows = list_assessed(store.conn(), &filter).map_err(claim_error)?;
            match a.format {
                ClaimFormat::Json => {
                    let v: Vec<_> = rows
                        .iter()
                        .map(|(c, s)| json!({"claim": c, "assessment": s}))
                        .collect();
                    serde_json::to_writer_pretty(&mut out, &v)?;
                    writeln!(out)?;
                }
                ClaimFormat::Markdown => {
                    writeln!(
                        out,
                        "| claim | status | evidence | warnings | stale | text |\n|---|---|---|---:|---|---|"
                    )?;
                    for (c, s) in &rows {
                        writeln!(
                            out,
                            "| {} | {} | {} | {} | {} | {} |",
                            c.id,
                            s.status,
                            stance_counts(s),
                            s.warnings.len(),
                            stale_text(s),
                            terminal_text(&c.text.replace('|', "\\|"))
                        )?;
                    }
                }
                ClaimFormat::Table => {
                    if rows.is_empty() {
                        if !ctx.quiet {
                            eprintln!("no claims match");
                        }
                        return Ok(exit::SUCCESS);
                    }
                    writeln!(
                        out,
                        "{:<32} {:<22} {:<18} {:>4}  {:<26} TEXT",
                        "ID", "STATUS", "EVIDENCE", "WARN", "STALE"
                    )?;
                    for (c, s) in &rows {
                        let status = if c.removed_at.is_some() {
                            format!("{} (removed)", s.status)
                        } else {
                            s.status.clone()
                        };
                        writeln!(
                            out,
                            "{:<32} {:<22} {:<18} {:>4}  {:<26} {}",
                            truncate(&c.id, 32),
                            status,
                            stance_counts(s),
                            s.warnings.len(),
                            truncate(&stale_text(s), 26),
                            truncate(&terminal_text(&c.text), 70)
                        )?;
                    }
                }
            }
        }
        ClaimCommand::Show(a) => {
            let store = ctx.open_store_read()?;
            let claim = record::require(store.conn(), &a.id).map_err(claim_error)?;
            let assessment = assess(store.conn(), &claim)?;
            match a.format {
                ClaimFormat::Json => {
                    serde_json::to_writer_pretty(
                        &mut out,
                        &json!({"claim": claim, "assessment": assessment}),
                    )?;
                    writeln!(out)?;
                }
                ClaimFormat::Markdown => write!(
                    out,
                    "{}",
                    terminal_text(&claim_markdown(&claim, &assessment))
                )?,
                ClaimFormat::Table => {
                    write!(out, "{}", terminal_text(&claim_text(&claim, &assessment)))?
                }
            }
        }
        ClaimCommand::Edit(a) => {
            let matcher = ctx.matcher()?;
            let mut store = ctx.open_store()?;
            let who = reviewer(&a.reviewer, ctx)?;
            let mut reinfer = Vec::new();
            if a.reinfer {
                let given: Vec<String> = a.tags.pairs().into_iter().map(|(d, _)| d).collect();
                reinfer = record::CLAIM_DIMENSIONS
                    .iter()
                    .filter(|d| !given.iter().any(|g| g == *d))
                    .map(|d| d.to_string())
                    .collect();
            }
            let edit = ClaimEdit {
                text: a.text.clone(),
                source: if a.clear_source {
                    Some(None)
                } else {
                    a.source.clone().map(Some)
                },
                tags: a.tags.pairs(),
                reinfer,
            };
            let claim = record::edit_claim(&mut store, &matcher, &a.id, &edit, who.as_deref())
                .map_err(claim_error)?;
            if !ctx.quiet {
                writeln!(
                    out,
                    "edited claim {}; tags: {}",
                    claim.id,
                    tags_line(&claim)
                )?;
            }
        }
        ClaimCommand::Remove(a) => {
            let mut store = ctx.open_store()?;
            let who = reviewer(&a.reviewer, ctx)?;
            record::remove_claim(&mut store, &a.id, who.as_deref()).map_err(claim_error)?;
            if !ctx.quiet {
                writeln!(
                    out,
                    "removed claim {} (kept in the audit log: evcat claim log {})",
                    a.id, a.id
                )?;
            }
        }
        ClaimCommand::Suggest(a) => {
            let matcher = ctx.matcher()?;
            let store = ctx.open_store_read()?;
            let claim = record::require(store.conn(), &a.id).map_err(claim_error)?;
            let tags: Vec<(String, String)> = claim
                .tags
                .iter()
                .map(|t| (t.dimension.clone(), t.tag.clone()))
                .collect();
            let candidates = suggest(store.conn(), &matcher, &claim.text, &tags, a.limit)?;
            if a.format == ClaimFormat::Json {
                serde_json::to_writer_pretty(&mut out, &candidates)?;
                writeln!(out)?;
            } else {
                for (i, c) in candidates.iter().enumerate() {
                    let linked = claim
                        .links
                        .iter()
                        .find(|l| l.pmid == c.pmid)
                        .map(|l| format!(" [linked: {}]", l.stance))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{:>2}. PMID {} score {:.2}{linked}\n    {}",
                        i + 1,
                        c.pmid,
                        c.score,
                        terminal_text(&c.citation)
                    )?;
                    for r in &c.reasons {
                        writeln!(out, "      - {}", terminal_text(r))?;
                    }
                }
                if candidates.is_empty() && !ctx.quiet {
                    eprintln!(
                        "no candidate evidence in the catalogue (fetch more with `evcat fetch`)"
                    );
                }
            }
        }
        ClaimCommand::Link(a) => {
            let mut store = ctx.open_store()?;
            let who = reviewer(&a.reviewer, ctx)?;
            let link = record::link(
                &mut store,
                &a.id,
                a.pmid,
                &a.stance,
                a.note.as_deref(),
                who.as_deref(),
            )
            .map_err(claim_error)?;
            if !ctx.quiet {
                writeln!(
                    out,
                    "linked PMID {} to {} ({})",
                    link.pmid, a.id, link.stance
                )?;
            }
        }
        ClaimCommand::Unlink(a) => {
            let mut store = ctx.open_store()?;
            let who = reviewer(&a.reviewer, ctx)?;
            record::unlink(&mut store, &a.id, a.pmid, who.as_deref()).map_err(claim_error)?;
            if !ctx.quiet {
                writeln!(out, "unlinked PMID {} from {}", a.pmid, a.id)?;
            }
        }
        ClaimCommand::Review(a) => {
            let mut store = ctx.open_store()?;
            let who = reviewer(&a.reviewer, ctx)?;
            let claim = record::review(&mut store, &a.id, &a.verdict, &a.note, who.as_deref())
                .map_err(claim_error)?;
            if !ctx.quiet {
                writeln!(
                    out,
                    "{}: {} (by {}, {})",
                    claim.id,
                    a.verdict,
                    claim.verdict_by.as_deref().unwrap_or("?"),
                    claim.verdict_at.as_deref().unwrap_or("?")
                )?;
            }
        }
        ClaimCommand::Log(a) => {
            let store = ctx.open_store_read()?;
            record::require(store.conn(), &a.id).map_err(claim_error)?;
            let entries = record::claim_log(store.conn(), &a.id).map_err(claim_error)?;
            if a.format == ClaimFormat::Json {
                serde_json::to_writer_pretty(&mut out, &entries)?;
                writeln!(out)?;
            } else {
                for e in entries {
                    writeln!(
                        out,
                        "#{} {} {:<7} by {}",
                        e.id,
                        e.at,
                        e.action,
                        e.reviewer.as_deref().unwrap_or("-")
                    )?;
                    if let Some(b) = &e.before {
                        writeln!(out, "    before: {}", terminal_text(&b.to_string()))?;
                    }
                    if let Some(a) = &e.after {
                        writeln!(out, "    after:  {}", terminal_text(&a.to_string()))?;
                    }
                }
            }
        }
    }
    Ok(exit::SUCCESS)
}

fn tags_line(c: &Claim) -> String {
    if c.tags.is_empty() {
        return "none".into();
    }
    c.tags
        .iter()
        .map(|t| {
            format!(
                "{}/{}{}",
                t.dimension,
                t.tag,
                if t.inferred { "*" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn stance_counts(s: &Assessment) -> String {
    if s.by_stance.is_empty() {
        return "no evidence linked".into();
    }
    s.by_stance
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn stale_text(s: &Assessment) -> String {
    match &s.stale {
        Some(st) => format!("{} new since {}", st.new_records, st.since),
        None => "-".into(),
    }
}

fn summary_lines(s: &Assessment) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(format!("Evidence: {}", stance_counts(s)));
    if !s.by_design.is_empty() {
        lines.push(format!(
            "By design: {}",
            s.by_design
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(st) = &s.strongest_supporting {
        lines.push(format!(
            "Strongest supporting: {} (level {}, PMID {})",
            st.design, st.level, st.pmid
        ));
    }
    if let Some(st) = &s.strongest_refuting {
        lines.push(format!(
            "Strongest refuting: {} (level {}, PMID {})",
            st.design, st.level, st.pmid
        ));
    }
    if let Some(st) = &s.stale {
        lines.push(format!(
            "STALE: {} new record(s) since the verdict of {} (e.g. PMID {})",
            st.new_records,
            st.since,
            st.pmids
                .iter()
                .take(5)
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    lines
}

fn claim_text(c: &Claim, s: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Claim {}{}",
        c.id,
        if c.removed_at.is_some() {
            " (REMOVED)"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "  \"{}\"", c.text);
    if let Some(src) = &c.source {
        let _ = writeln!(out, "Source: {src}");
    }
    let _ = writeln!(out, "Tags: {}", tags_line(c));
    match &c.verdict {
        Some(v) => {
            let _ = writeln!(
                out,
                "Verdict: {v} by {} on {}: {}",
                c.verdict_by.as_deref().unwrap_or("?"),
                c.verdict_at.as_deref().unwrap_or("?"),
                c.verdict_note.as_deref().unwrap_or("")
            );
        }
        None => {
            let _ = writeln!(out, "Verdict: unreviewed");
        }
    }
    for line in summary_lines(s) {
        let _ = writeln!(out, "{line}");
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "Warnings:");
        for w in &s.warnings {
            let _ = writeln!(out, "  ! {w}");
        }
    }
    if !s.evidence.is_empty() {
        let _ = writeln!(out, "Linked evidence:");
        for e in &s.evidence {
            let design = e
                .design
                .as_deref()
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<11} PMID {}{design}: {}",
                e.stance, e.pmid, e.citation
            );
            if let Some(n) = &e.note {
                let _ = writeln!(out, "              note: {n}");
            }
        }
    }
    out
}

fn claim_markdown(c: &Claim, s: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Claim `{}`\n\n> {}\n", c.id, c.text);
    if let Some(src) = &c.source {
        let _ = writeln!(out, "- **Source:** {src}");
    }
    let _ = writeln!(out, "- **Tags:** {}", tags_line(c));
    let _ = writeln!(
        out,
        "- **Verdict:** {}",
        match &c.verdict {
            Some(v) => format!(
                "{v} ({}, {}): {}",
                c.verdict_by.as_deref().unwrap_or("?"),
                c.verdict_at.as_deref().unwrap_or("?"),
                c.verdict_note.as_deref().unwrap_or("")
            ),
            None => "unreviewed".into(),
        }
    );
    for line in summary_lines(s) {
        let _ = writeln!(out, "- {line}");
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "\n**Warnings**\n");
        for w in &s.warnings {
            let _ = writeln!(out, "- ⚠ {w}");
        }
    }
    if !s.evidence.is_empty() {
        let _ = writeln!(
            out,
            "\n| stance | PMID | design | year | citation |\n|---|---|---|---|---|"
        );
        for e in &s.evidence {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                e.stance,
                e.pmid,
                e.design.as_deref().unwrap_or("-"),
                e.year.map(|y| y.to_string()).unwrap_or_default(),
                e.citation.replace('|', "\\|")
            );
        }
    }
    out
}
