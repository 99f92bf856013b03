//! `evcat summary`: the evidence overview, a condition-by-outcome matrix of record counts.

use crate::ops::Context;
use std::io::Write;

use super::format::{MatrixFormat, matrix_format_parser};
use super::{exit, ops_error};
use crate::ops::summary::{SummaryOptions, check_design, summary};

/// Arguments of `evcat summary`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat summary", "evcat summary --design rct --format markdown", "evcat summary --by design --format csv", "evcat summary --weight participants", "evcat summary --format json"), after_help = "Cells count records (not deleted) having both the condition and the outcome; totals count\nrecords with the condition (row) or the outcome (column). With --weight participants, a second\nmatrix sums the participants the abstracts state, and the records without a participant count\nare counted."
)]
pub struct SummaryArgs {
    /// Only records of this design (e.g. rct, meta-analysis).
    #[arg(long)]
    pub design: Option<String>,
    /// One matrix per value of this dimension (only `design` is supported).
    #[arg(long, value_parser = ["design"])]
    pub by: Option<String>,
    /// What the cells count: records (the default), or participants too (sum of the
    /// participants of the matching records, shown as well as the record counts).
    #[arg(long, value_parser = ["records", "participants"], default_value = "records")]
    pub weight: String,
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
        weigh_by_participants: args.weight == "participants",
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
            // Weighted, a first column says what each row counts.
            let weighted = options.weigh_by_participants;
            let mut header = vec!["design".to_string(), "condition".to_string()];
            if weighted {
                header.insert(0, "weight".into());
            }
            header.extend(columns.iter().cloned());
            header.push("total".into());
            w.write_record(&header)?;
            for m in matrices {
                let design = m.design.clone().unwrap_or_else(|| "all".into());
                let mut tables = vec![(
                    "records",
                    &m.cells,
                    &m.row_totals,
                    &m.column_totals,
                    m.records,
                )];
                if let Some(p) = &m.participants {
                    tables.push((
                        "participants",
                        &p.cells,
                        &p.row_totals,
                        &p.column_totals,
                        p.total,
                    ));
                }
                for (weight, cells, row_totals, column_totals, total) in tables {
                    let lead = |name: &str| {
                        let mut rec = vec![design.clone(), name.to_string()];
                        if weighted {
                            rec.insert(0, weight.to_string());
                        }
                        rec
                    };
                    for (i, r) in m.rows.iter().enumerate() {
                        let mut rec = lead(r);
                        rec.extend(cells[i].iter().map(u64::to_string));
                        rec.push(row_totals[i].to_string());
                        w.write_record(&rec)?;
                    }
                    let mut rec = lead("total");
                    rec.extend(column_totals.iter().map(u64::to_string));
                    rec.push(total.to_string());
                    w.write_record(&rec)?;
                }
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
                write_markdown_counts(&mut out, m, Counts::of_records(m))?;
                if let Some(p) = &m.participants {
                    writeln!(out, "Participants ({}):\n", participants_note(p))?;
                    write_markdown_counts(&mut out, m, Counts::of_participants(p))?;
                }
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
                write_table_counts(&mut out, m, Counts::of_records(m), width)?;
                if let Some(p) = &m.participants {
                    writeln!(out, "participants ({})", participants_note(p))?;
                    let width = p.total.to_string().len().max(width);
                    write_table_counts(&mut out, m, Counts::of_participants(p), width)?;
                }
            }
        }
    }
    Ok(exit::SUCCESS)
}

/// One condition × outcome matrix of counts: records, or participants of those records.
struct Counts<'a> {
    cells: &'a [Vec<u64>],
    row_totals: &'a [u64],
    column_totals: &'a [u64],
    total: u64,
}

impl<'a> Counts<'a> {
    fn of_records(m: &'a crate::store::tags::Matrix) -> Self {
        Counts {
            cells: &m.cells,
            row_totals: &m.row_totals,
            column_totals: &m.column_totals,
            total: m.records,
        }
    }
    fn of_participants(p: &'a crate::store::tags::ParticipantWeights) -> Self {
        Counts {
            cells: &p.cells,
            row_totals: &p.row_totals,
            column_totals: &p.column_totals,
            total: p.total,
        }
    }
}

/// The matrix as a Markdown table, with `m`'s rows and columns.
fn write_markdown_counts(
    out: &mut impl Write,
    m: &crate::store::tags::Matrix,
    counts: Counts<'_>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "| condition \\ outcome | {} | total |",
        m.columns.join(" | ")
    )?;
    writeln!(out, "|---|{}---:|", "---:|".repeat(m.columns.len()))?;
    for (i, r) in m.rows.iter().enumerate() {
        let cells: Vec<String> = counts.cells[i].iter().map(u64::to_string).collect();
        writeln!(
            out,
            "| {r} | {} | {} |",
            cells.join(" | "),
            counts.row_totals[i]
        )?;
    }
    let totals: Vec<String> = counts.column_totals.iter().map(u64::to_string).collect();
    writeln!(
        out,
        "| **total** | {} | {} |\n",
        totals.join(" | "),
        counts.total
    )
}

/// The matrix as an aligned text table, columns `width` wide.
fn write_table_counts(
    out: &mut impl Write,
    m: &crate::store::tags::Matrix,
    counts: Counts<'_>,
    width: usize,
) -> std::io::Result<()> {
    write!(out, "{:<26}", "condition \\ outcome")?;
    for c in &m.columns {
        write!(out, " {:>w$}", abbreviate(c, width), w = width)?;
    }
    writeln!(out, " {:>w$}", "total", w = width)?;
    for (i, r) in m.rows.iter().enumerate() {
        write!(out, "{r:<26}")?;
        for n in &counts.cells[i] {
            write!(out, " {n:>width$}")?;
        }
        writeln!(out, " {:>width$}", counts.row_totals[i])?;
    }
    write!(out, "{:<26}", "total")?;
    for n in counts.column_totals {
        write!(out, " {n:>width$}")?;
    }
    writeln!(out, " {:>width$}\n", counts.total)
}

/// "2032 participants; 3 records without a participant count".
fn participants_note(p: &crate::store::tags::ParticipantWeights) -> String {
    let without = match p.records_without_participants {
        0 => "every record states its participant count".to_string(),
        1 => "1 record without a participant count".to_string(),
        n => format!("{n} records without a participant count"),
    };
    format!("{} participants; {without}", p.total)
}

fn abbreviate(s: &str, width: usize) -> String {
    super::truncate(s, width)
}
