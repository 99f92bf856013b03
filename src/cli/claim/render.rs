//! Renderers shared by the claim subcommands: a claim's tags line, its evidence counts and
//! staleness in a few words, and one claim with its assessment as text or Markdown.

use std::fmt::Write as _;

use crate::claims::assess::{Assessment, Strongest};
use crate::claims::record::Claim;

/// `condition/sciatica, outcome/pain*, ...` (`*`: inferred), or `none`.
pub(super) fn tags_line(c: &Claim) -> String {
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

pub(super) fn stance_counts(s: &Assessment) -> String {
    if s.by_stance.is_empty() {
        return "no evidence linked".into();
    }
    s.by_stance
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn stale_text(s: &Assessment) -> String {
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
    for (side, stance, strongest) in [
        ("supporting", "supports", &s.strongest_supporting),
        ("refuting", "refutes", &s.strongest_refuting),
    ] {
        if let Some(line) = strongest_line(s, side, stance, strongest.as_ref()) {
            lines.push(line);
        }
    }
    lines.push(format!(
        "Certainty of the evidence: {} (started {}; GRADE-style, see README)",
        s.certainty.level.as_str(),
        s.certainty.starting_level.as_str()
    ));
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

/// "Strongest supporting: rct (level 5, PMID 1)": the strongest live evidence on one side. When
/// deleted or retracted records on that side were left out, the line says so (their warnings
/// are listed with the claim), and names no record when none live is left.
fn strongest_line(
    s: &Assessment,
    side: &str,
    stance: &str,
    strongest: Option<&Strongest>,
) -> Option<String> {
    let left_out = s
        .evidence
        .iter()
        .filter(|e| e.stance == stance && e.withdrawn)
        .count();
    let note = match left_out {
        0 => String::new(),
        1 => " (not counting 1 deleted or retracted record)".to_string(),
        n => format!(" (not counting {n} deleted or retracted records)"),
    };
    match strongest {
        Some(st) => Some(format!(
            "Strongest {side}{note}: {} (level {}, PMID {})",
            st.design, st.level, st.pmid
        )),
        None if left_out > 0 => Some(format!(
            "Strongest {side}: no live evidence with a known design{note}"
        )),
        None => None,
    }
}

/// One claim with its assessment, as text.
pub(super) fn claim_text(c: &Claim, s: &Assessment) -> String {
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
    if let Some(kind) = c.kind {
        let _ = writeln!(out, "Kind: {kind}");
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
    for r in &s.certainty.reasons {
        let _ = writeln!(out, "  - {} ({}): {}", r.domain, r.effect, r.why);
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
            if e.suggested {
                let _ = writeln!(
                    out,
                    "              stance suggested by evcat, not yet a reviewer's"
                );
            }
            if let Some(f) = &e.finding {
                let _ = writeln!(out, "              finding: {f}");
            }
            if let Some(n) = &e.note {
                let _ = writeln!(out, "              note: {n}");
            }
        }
    }
    out
}

/// One claim with its assessment, as Markdown.
pub(super) fn claim_markdown(c: &Claim, s: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Claim `{}`\n\n> {}\n", c.id, c.text);
    if let Some(src) = &c.source {
        let _ = writeln!(out, "- **Source:** {src}");
    }
    if let Some(kind) = c.kind {
        let _ = writeln!(out, "- **Kind:** {kind}");
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
    for r in &s.certainty.reasons {
        let _ = writeln!(out, "  - {} ({}): {}", r.domain, r.effect, r.why);
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
            "\n| stance | PMID | design | year | finding | citation |\n|---|---|---|---|---|---|"
        );
        for e in &s.evidence {
            let _ = writeln!(
                out,
                "| {}{} | {} | {} | {} | {} | {} |",
                e.stance,
                if e.suggested { " (suggested)" } else { "" },
                e.pmid,
                e.design.as_deref().unwrap_or("-"),
                e.year.map(|y| y.to_string()).unwrap_or_default(),
                e.finding.as_deref().unwrap_or("-").replace('|', "\\|"),
                e.citation.replace('|', "\\|")
            );
        }
    }
    out
}
