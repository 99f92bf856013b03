//! `evcat summary`: the evidence overview, a condition-by-outcome matrix of record counts.

use crate::ops::Context;
use std::io::Write;

use super::format::{MatrixFormat, matrix_format_parser};
use super::{exit, ops_error};
use crate::ops::summary::{SummaryOptions, check_design, summary};

/// Arguments of `evcat summary`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat summary", "evcat summary --design rct --format markdown", "evcat summary --by design --format csv", "evcat summary --format json"), after_help = "Cells count records (not deleted) having both the condition and the outcome; totals count\nrecords with the condition (row) or the outcome (column)."
)]
pub struct SummaryArgs {
    /// Only records of this design (e.g. rct, meta-analysis).
    #[arg(long)]
    pub design: Option<String>,
    /// One matrix per value of this dimension (only `design` is supported).
    #[arg(long, value_parser = ["design"])]
    pub by: Option<String>,
    /// Output format.
    #[arg(long, value_parser = matrix_format_parser(), default_value = "text")]
    pub format: MatrixFormat,
}

/// Runs `evcat summary`.
pub fn run(args: &SummaryArgs, ctx: &Context) -> anyhow::Result<u8> {
    check_design(ctx, args.design.as_deref()).map_err(ops_error)?;
    let store = ctx.open_store_read()?;
    let options = SummaryOptions {
        design: args.design.clone(),
        by_design: args.by.is_some(),
    };
    let summary = summary(ctx, &store, &options).map_err(ops_error)?;
    let (columns, matrices) = (&summary.outcomes, &summary.matrices);
    let mut out = std::io::stdout().lock();
    match args.format {
        MatrixFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        MatrixFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut header = vec!["design".to_string(), "condition".to_string()];
            header.extend(columns.iter().cloned());
            header.push("total".into());
            w.write_record(&header)?;
            for m in matrices {
                let design = m.design.clone().unwrap_or_else(|| "all".into());
                for (i, r) in m.rows.iter().enumerate() {
                    let mut rec = vec![design.clone(), r.clone()];
                    rec.extend(m.cells[i].iter().map(u64::to_string));
                    rec.push(m.row_totals[i].to_string());
                    w.write_record(&rec)?;
                }
                let mut rec = vec![design.clone(), "total".to_string()];
                rec.extend(m.column_totals.iter().map(u64::to_string));
                rec.push(m.records.to_string());
                w.write_record(&rec)?;
            }
            w.flush()?;
        }
        MatrixFormat::Markdown => {
            for m in matrices {
                writeln!(
                    out,
                    "### {} ({} records)\n",
                    m.design
                        .as_deref()
                        .map(|d| format!("Design: {d}"))
                        .unwrap_or_else(|| "All designs".into()),
                    m.records
                )?;
                writeln!(
                    out,
                    "| condition \\ outcome | {} | total |",
                    m.columns.join(" | ")
                )?;
                writeln!(out, "|---|{}---:|", "---:|".repeat(m.columns.len()))?;
                for (i, r) in m.rows.iter().enumerate() {
                    let cells: Vec<String> = m.cells[i].iter().map(u64::to_string).collect();
                    writeln!(out, "| {r} | {} | {} |", cells.join(" | "), m.row_totals[i])?;
                }
                let totals: Vec<String> = m.column_totals.iter().map(u64::to_string).collect();
                writeln!(
                    out,
                    "| **total** | {} | {} |\n",
                    totals.join(" | "),
                    m.records
                )?;
            }
        }
        MatrixFormat::Table => {
            for m in matrices {
                writeln!(
                    out,
                    "{} ({} records)",
                    m.design
                        .as_deref()
                        .map(|d| format!("design {d}"))
                        .unwrap_or_else(|| "all designs".into()),
                    m.records
                )?;
                let width = m.columns.iter().map(|c| c.len()).max().unwrap_or(4).max(5);
                write!(out, "{:<26}", "condition \\ outcome")?;
                for c in &m.columns {
                    write!(out, " {:>w$}", abbreviate(c, width), w = width)?;
                }
                writeln!(out, " {:>w$}", "total", w = width)?;
                for (i, r) in m.rows.iter().enumerate() {
                    write!(out, "{r:<26}")?;
                    for n in &m.cells[i] {
                        write!(out, " {n:>width$}")?;
                    }
                    writeln!(out, " {:>width$}", m.row_totals[i])?;
                }
                write!(out, "{:<26}", "total")?;
                for n in &m.column_totals {
                    write!(out, " {n:>width$}")?;
                }
                writeln!(out, " {:>width$}\n", m.records)?;
            }
        }
    }
    Ok(exit::SUCCESS)
}

fn abbreviate(s: &str, width: usize) -> String {
    super::truncate(s, width)
}
