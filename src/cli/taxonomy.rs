//! `evcat taxonomy check|show|eval`: validate a taxonomy file, print the active taxonomy, and
//! measure tagging quality against hand labels.

use crate::ops::Context;
use std::io::Write;
use std::path::PathBuf;

use super::{ExitError, exit};
use crate::tagging::eval::evaluate;
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
    /// Precision and recall of the active taxonomy against hand labels.
    #[command(
        help_template = examples!("evcat taxonomy eval fixtures/labelled/records.xml fixtures/labelled/labels.csv"), after_help = "Labels: CSV `pmid,dimension,tags` with tags separated by ';'."
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
