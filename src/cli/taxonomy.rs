//! `evcat taxonomy check|show|eval`: validate a taxonomy file, print the active taxonomy, and
//! measure tagging quality against hand labels.

use crate::ops::Context;
use std::io::Write;
use std::path::PathBuf;

use super::{ExitError, exit};
use crate::tagging::eval::evaluate;
use crate::tagging::findings_eval::{FindingsEvaluation, evaluate_findings, is_findings_labels};
use crate::tagging::study_eval::{
    DesignScore, NO_DESIGN, StudyEvaluation, evaluate_studies, is_study_labels,
};
use crate::tagging::{Matcher, Taxonomy};

/// `evcat taxonomy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TaxonomyCommand {
    /// Validate a taxonomy file; every problem is reported with its line and column.
    #[command(help_template = examples!("evcat taxonomy check my-taxonomy.toml"))]
    Check {
        /// The file.
        file: PathBuf,
    },
    /// Print the active taxonomy (the built-in default unless --taxonomy or the config says otherwise).
    #[command(
        help_template = examples!("evcat taxonomy show", "evcat taxonomy show --format toml > my-taxonomy.toml   # a starting point", "evcat --taxonomy mine.toml taxonomy show --format json")
    )]
    Show {
        /// Output format: text, json, or toml (the built-in file itself).
        #[arg(long, value_parser = ["text", "json", "toml"], default_value = "text")]
        format: String,
    },
    /// Precision and recall of the active taxonomy against hand labels; with study labels, design accuracy (as supplied and text only) and the facts read; with findings labels, the accuracy of what each study found.
    #[command(
        help_template = examples!("evcat taxonomy eval fixtures/labelled/records.xml fixtures/labelled/labels.csv", "evcat taxonomy eval fixtures/labelled-design/part-a/records.xml fixtures/labelled-design/part-a/labels.csv", "evcat taxonomy eval fixtures/findings-dev/records.xml fixtures/findings-dev/findings.csv"), after_help = "Labels: CSV `pmid,dimension,tags` with tags separated by ';'; or study labels, CSV `pmid,design,participants,studies,follow_up,sessions,concentration_ug_ml,volume_ml` (figures as 120, 3-10, 14 month); or findings labels, CSV `pmid,outcome,direction,comparator,significance` with `records.csv` (`pmid,studied_intervention,record_direction`) beside it."
    )]
    Eval {
        /// PubMed XML records.
        records: PathBuf,
        /// Labels CSV.
        labels: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: super::import::SummaryFormat,
        /// List every disagreement.
        #[arg(long)]
        disagreements: bool,
    },
}

/// Runs `evcat taxonomy ...`.
pub fn run(cmd: &TaxonomyCommand, ctx: &Context) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    match cmd {
        TaxonomyCommand::Check { file } => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                ExitError::new(
                    exit::FAILURE,
                    format!("{}: cannot read: {e}", file.display()),
                )
            })?;
            match Taxonomy::parse(&text, &file.display().to_string()) {
                Ok(t) => {
                    if !ctx.quiet {
                        writeln!(
                            out,
                            "{}: ok: {} dimensions, {} tags (version {})",
                            file.display(),
                            t.dimensions().len(),
                            t.tags().len(),
                            t.stamp()
                        )?;
                    }
                    Ok(exit::SUCCESS)
                }
                Err(errors) => {
                    for issue in &errors.0 {
                        eprintln!("{issue}");
                    }
                    Err(ExitError::new(
                        exit::FAILURE,
                        format!("{}: {} problem(s)", file.display(), errors.0.len()),
                    )
                    .into())
                }
            }
        }
        TaxonomyCommand::Show { format } => {
            let t = ctx.taxonomy()?;
            match format.as_str() {
                "json" => {
                    serde_json::to_writer_pretty(&mut out, &t)?;
                    writeln!(out)?;
                }
                "toml" => {
                    if ctx.options.taxonomy.is_some() || ctx.settings()?.taxonomy.value.is_some() {
                        return Err(ExitError::new(exit::USAGE, "--format toml prints the built-in taxonomy; your own file is already TOML").into());
                    }
                    write!(out, "{}", crate::tagging::taxonomy::DEFAULT_TAXONOMY)?;
                }
                _ => {
                    writeln!(out, "{} (version {})", t.name(), t.stamp())?;
                    for d in t.dimensions() {
                        writeln!(out, "\n{} [{}]: {}", d.label, d.id, d.description)?;
                        for tag in t.tags_of(&d.id) {
                            let level = tag
                                .level
                                .map(|l| format!(" (level {l})"))
                                .unwrap_or_default();
                            writeln!(out, "  {:<26} {}{level}", tag.id, tag.label)?;
                        }
                    }
                }
            }
            Ok(exit::SUCCESS)
        }
        TaxonomyCommand::Eval {
            records,
            labels,
            format,
            disagreements,
        } => {
            let matcher = Matcher::new(ctx.taxonomy()?);
            if is_findings_labels(labels) {
                let eval = evaluate_findings(&matcher, records, labels)
                    .map_err(|e| ExitError::new(exit::FAILURE, e.to_string()))?;
                if *format == super::import::SummaryFormat::Json {
                    serde_json::to_writer_pretty(&mut out, &eval)?;
                    writeln!(out)?;
                } else {
                    write_findings_evaluation(
                        &mut out,
                        &eval,
                        matcher.taxonomy().stamp(),
                        *disagreements,
                    )?;
                }
                return Ok(exit::SUCCESS);
            }
            if is_study_labels(labels) {
                let eval = evaluate_studies(&matcher, records, labels)
                    .map_err(|e| ExitError::new(exit::FAILURE, e.to_string()))?;
                if *format == super::import::SummaryFormat::Json {
                    serde_json::to_writer_pretty(&mut out, &eval)?;
                    writeln!(out)?;
                } else {
                    write_study_evaluation(
                        &mut out,
                        &eval,
                        matcher.taxonomy().stamp(),
                        *disagreements,
                    )?;
                }
                return Ok(exit::SUCCESS);
            }
            let eval = evaluate(&matcher, records, labels)
                .map_err(|e| ExitError::new(exit::FAILURE, e.to_string()))?;
            if *format == super::import::SummaryFormat::Json {
                serde_json::to_writer_pretty(&mut out, &eval)?;
                writeln!(out)?;
                return Ok(exit::SUCCESS);
            }
            writeln!(
                out,
                "{} labelled records, taxonomy {}\n",
                eval.records,
                matcher.taxonomy().stamp()
            )?;
            writeln!(
                out,
                "{:<14} {:<26} {:>4} {:>4} {:>4} {:>9} {:>6} {:>6}",
                "DIMENSION", "TAG", "TP", "FP", "FN", "PRECISION", "RECALL", "F1"
            )?;
            for (dim, tags) in &eval.per_tag {
                for (tag, s) in tags {
                    writeln!(
                        out,
                        "{dim:<14} {tag:<26} {:>4} {:>4} {:>4} {:>9.3} {:>6.3} {:>6.3}",
                        s.tp,
                        s.fp,
                        s.fn_,
                        s.precision(),
                        s.recall(),
                        s.f1()
                    )?;
                }
                let s = eval.per_dimension[dim];
                writeln!(
                    out,
                    "{dim:<14} {:<26} {:>4} {:>4} {:>4} {:>9.3} {:>6.3} {:>6.3}\n",
                    "(micro average)",
                    s.tp,
                    s.fp,
                    s.fn_,
                    s.precision(),
                    s.recall(),
                    s.f1()
                )?;
            }
            if *disagreements {
                for d in &eval.disagreements {
                    writeln!(out, "{} {} {} {}", d.pmid, d.dimension, d.tag, d.kind)?;
                }
            }
            Ok(exit::SUCCESS)
        }
    }
}

/// Prints a findings evaluation: the direction of each record's conclusion, each outcome's
/// direction (overall and per outcome), comparator and significance, and the confusion of
/// directions.
fn write_findings_evaluation(
    out: &mut impl Write,
    eval: &FindingsEvaluation,
    stamp: &str,
    disagreements: bool,
) -> std::io::Result<()> {
    let line = |what: &str, a: &crate::tagging::findings_eval::Accuracy| {
        format!("{what:<32} {:>4}/{:<4} {:.3}", a.right, a.total, a.rate())
    };
    writeln!(out, "{} labelled records, taxonomy {stamp}\n", eval.records)?;
    writeln!(out, "{}", line("record direction", &eval.record_direction))?;
    writeln!(
        out,
        "{}",
        line("outcome direction", &eval.outcome_direction)
    )?;
    for (outcome, a) in &eval.per_outcome {
        writeln!(out, "{}", line(&format!("  {outcome}"), a))?;
    }
    writeln!(
        out,
        "{}",
        line("comparator (findings found)", &eval.comparator)
    )?;
    writeln!(
        out,
        "{}",
        line("significance (findings found)", &eval.significance)
    )?;
    writeln!(
        out,
        "findings on unlabelled outcomes  {}",
        eval.extra_findings
    )?;
    writeln!(out, "\nlabelled direction -> evcat's:")?;
    for (want, gots) in &eval.confusion {
        let cells: Vec<String> = gots.iter().map(|(g, n)| format!("{g} {n}")).collect();
        writeln!(out, "  {want:<14} {}", cells.join(", "))?;
    }
    if eval.stance.total > 0 {
        writeln!(out)?;
        writeln!(out, "{}", line("stance (claim-record pairs)", &eval.stance))?;
        writeln!(
            out,
            "{}",
            line("overstating claims noted", &eval.overstatement_noted)
        )?;
        writeln!(
            out,
            "{}",
            line("fair claims left without a note", &eval.fair_claims_unnoted)
        )?;
        writeln!(out, "\nlabelled stance -> evcat's:")?;
        for (want, gots) in &eval.stance_confusion {
            let cells: Vec<String> = gots.iter().map(|(g, n)| format!("{g} {n}")).collect();
            writeln!(out, "  {want:<14} {}", cells.join(", "))?;
        }
    }
    if disagreements {
        writeln!(out)?;
        for d in eval.disagreements.iter().chain(&eval.stance_disagreements) {
            write!(
                out,
                "{} {} expected {} got {}",
                d.pmid, d.what, d.expected, d.got
            )?;
            match &d.why {
                Some(why) => writeln!(out, " ({why})")?,
                None => writeln!(out)?,
            }
        }
    }
    Ok(())
}

/// Prints a study evaluation: design accuracy on both variants, the text-only confusion matrix,
/// and precision and recall per fact kind.
fn write_study_evaluation(
    out: &mut impl Write,
    eval: &StudyEvaluation,
    stamp: &str,
    disagreements: bool,
) -> std::io::Result<()> {
    writeln!(out, "{} labelled records, taxonomy {stamp}\n", eval.records)?;
    writeln!(out, "Design accuracy")?;
    for (what, s) in [
        ("as supplied (publication types, MeSH)", &eval.design),
        (
            "text only (Journal Article, no MeSH)",
            &eval.design_text_only,
        ),
    ] {
        writeln!(
            out,
            "  {what:<40} {:>4}/{:<4} {:.3}",
            s.correct,
            s.total,
            s.accuracy()
        )?;
    }
    for (what, s) in [
        ("as supplied", &eval.design),
        ("text only", &eval.design_text_only),
    ] {
        writeln!(
            out,
            "\nConfusion matrix, {what} (rows: labelled; columns: read, numbered as the rows; {NO_DESIGN}: no design)"
        )?;
        write_confusion(out, s)?;
    }
    writeln!(
        out,
        "\n{:<14} {:>4} {:>4} {:>4} {:>9} {:>6}",
        "FACT", "TP", "FP", "FN", "PRECISION", "RECALL"
    )?;
    for (kind, s) in &eval.facts {
        writeln!(
            out,
            "{kind:<14} {:>4} {:>4} {:>4} {:>9.3} {:>6.3}",
            s.tp,
            s.fp,
            s.fn_,
            s.precision(),
            s.recall()
        )?;
    }
    if disagreements {
        writeln!(out)?;
        for d in &eval.disagreements {
            let show = |x: &str| {
                if x.is_empty() {
                    "-".to_string()
                } else {
                    x.to_string()
                }
            };
            writeln!(
                out,
                "{} {}: labelled {}, read {}",
                d.pmid,
                d.what,
                show(&d.expected),
                show(&d.got)
            )?;
        }
    }
    Ok(())
}

fn write_confusion(out: &mut impl Write, s: &DesignScore) -> std::io::Result<()> {
    let mut names: Vec<&str> = s.confusion.keys().map(String::as_str).collect();
    for row in s.confusion.values() {
        for got in row.keys() {
            if !names.contains(&got.as_str()) {
                names.push(got);
            }
        }
    }
    names.sort_by_key(|n| (*n == NO_DESIGN, *n));
    write!(out, "{:<26}", "")?;
    for i in 1..=names.len() {
        write!(out, " {i:>4}")?;
    }
    writeln!(out)?;
    for (i, want) in names.iter().enumerate() {
        let Some(row) = s.confusion.get(*want) else {
            writeln!(out, "{:>2} {want:<23}", i + 1)?;
            continue;
        };
        write!(out, "{:>2} {want:<23}", i + 1)?;
        for got in &names {
            match row.get(*got) {
                Some(n) => write!(out, " {n:>4}")?,
                None => write!(out, " {:>4}", ".")?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
