//! `evcat audit FILE`: find an article's evidence claims and the evidence for each.

use crate::ops::Context;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{ExitError, exit};
use crate::claims::article_eval::ArticleEvaluation;
use crate::claims::audit::{AuditedSentence, MAX_ARTICLE_BYTES};
use crate::ops::audit::{AuditOptions, SaveOptions, audit, evaluate_articles};

/// Arguments of `evcat audit`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat audit fixtures/articles/ozone-back-pain.md", "evcat audit article.html --format json", "curl -s https://example.org/ozone-article | evcat audit - --save --source https://example.org/ozone-article"), after_help = "JSON: [{sentence, start, end, kind, claim, lead_in{text, start, end}, item, section, cues[], tags[], candidates[{pmid, score, citation, stance, stance_reason, facts[]}], covered_by}]\n(start/end: character offsets in the input; kind: study, benefit, indication, protocol, course or safety)."
)]
pub struct AuditArgs {
    /// Plain text, Markdown or HTML file; `-` reads standard input.
    #[arg(required_unless_present = "eval")]
    pub file: Option<PathBuf>,
    /// Instead of auditing a file, measure how well claims are found in labelled articles: a
    /// labels CSV (`article,quote,item,kind,condition,intervention,outcome,note`; the articles
    /// beside it). Prints recall and precision per kind.
    #[arg(long, value_name = "LABELS", conflicts_with_all = ["file", "save"])]
    pub eval: Option<PathBuf>,
    /// Output format: text (Markdown; `markdown` is still accepted) or JSON.
    #[arg(long, value_parser = [clap::builder::PossibleValue::new("text").alias("markdown"), clap::builder::PossibleValue::new("json")], default_value = "text")]
    pub format: String,
    /// Candidate studies per claim.
    #[arg(long, default_value_t = 3)]
    pub candidates: usize,
    /// Record the claims found (those not covered by a reviewed claim and not already recorded).
    #[arg(long)]
    pub save: bool,
    /// Source recorded with saved claims (default: the file path).
    #[arg(long)]
    pub source: Option<String>,
    /// Who saves them.
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// Runs `evcat audit`.
pub fn run(args: &AuditArgs, ctx: &Context) -> anyhow::Result<u8> {
    if let Some(labels) = &args.eval {
        let eval = evaluate_articles(ctx, labels)?;
        let mut out = std::io::stdout().lock();
        if args.format == "json" {
            serde_json::to_writer_pretty(&mut out, &eval)?;
            writeln!(out)?;
        } else {
            write!(out, "{}", evaluation_text(&eval))?;
        }
        return Ok(exit::SUCCESS);
    }
    let file = args.file.as_deref().unwrap_or(Path::new("-"));
    let (name, content) = read_article(file)?;
    // The tagger first: a broken taxonomy is reported before the catalogue is opened.
    ctx.matcher()?;
    let mut store = if args.save {
        ctx.open_store()?
    } else {
        ctx.open_store_read()?
    };
    let options = AuditOptions {
        name,
        content,
        candidates: args.candidates,
        save: args.save.then(|| SaveOptions {
            source: args.source.clone(),
            reviewer: args.reviewer.clone(),
        }),
    };
    let done = audit(ctx, &mut store, &options)?;
    let mut out = std::io::stdout().lock();
    if args.format == "json" {
        serde_json::to_writer_pretty(&mut out, &done.sentences)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", markdown(&options.name, &done.sentences))?;
    }
    if !done.saved.is_empty() && !ctx.quiet {
        eprintln!(
            "saved {} claim(s): {}",
            done.saved.len(),
            done.saved.join(", ")
        );
    }
    Ok(exit::SUCCESS)
}

/// The article's name and text: a file or standard input (`-`), at most [`MAX_ARTICLE_BYTES`]
/// of UTF-8.
fn read_article(file: &Path) -> anyhow::Result<(String, String)> {
    let too_large = |name: &str, size: Option<u64>| {
        let size = size.map_or("is".to_string(), |n| format!("has {n} bytes,"));
        ExitError::new(
            exit::FAILURE,
            format!(
                "{name}: the article {size} over audit's limit of {} MiB ({MAX_ARTICLE_BYTES} bytes): audit the part that matters, or split it into smaller files",
                MAX_ARTICLE_BYTES >> 20
            ),
        )
    };
    let (name, reader): (String, Box<dyn Read>) = if file.as_os_str() == "-" {
        ("-".to_string(), Box::new(std::io::stdin().lock()))
    } else {
        let name = file.display().to_string();
        if file.is_dir() {
            return Err(ExitError::new(
                exit::USAGE,
                format!("{name}: is a directory; give an article file"),
            )
            .into());
        }
        let opened = std::fs::File::open(file)
            .map_err(|e| ExitError::new(exit::FAILURE, format!("{name}: cannot read: {e}")))?;
        if let Ok(meta) = opened.metadata()
            && meta.is_file()
            && meta.len() > MAX_ARTICLE_BYTES as u64
        {
            return Err(too_large(&name, Some(meta.len())).into());
        }
        (name, Box::new(opened))
    };
    let shown = if name == "-" { "standard input" } else { &name };
    // Read one byte past the limit: enough to know it is exceeded, never the whole input.
    let mut bytes = Vec::new();
    reader
        .take(MAX_ARTICLE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ExitError::new(exit::FAILURE, format!("{shown}: cannot read: {e}")))?;
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(too_large(shown, None).into());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        ExitError::new(
            exit::FAILURE,
            format!(
                "{shown}: not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    Ok((name, text))
}

/// A sentence in quotation marks, unless the article already quoted it: a quotation stays
/// `"Studies have shown..."`, not `""Studies have shown...""`. (`"a" and "b"` is two
/// quotations, not one: it is wrapped.)
fn quoted(sentence: &str) -> String {
    const QUOTES: [(char, char); 2] = [('"', '"'), ('\u{201c}', '\u{201d}')];
    let mut chars = sentence.chars();
    let already = match (chars.next(), chars.next_back()) {
        (Some(first), Some(last)) => {
            let inner = chars.as_str();
            QUOTES.contains(&(first, last)) && !inner.contains(first) && !inner.contains(last)
        }
        _ => false,
    };
    if already {
        sentence.to_string()
    } else {
        format!("\"{sentence}\"")
    }
}

fn markdown(name: &str, found: &[AuditedSentence]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Evidence claims in {name}\n\n{} claim(s) found.\n",
        found.len()
    );
    for (i, s) in found.iter().enumerate() {
        let _ = writeln!(out, "## {}. {}\n", i + 1, quoted(&s.claim));
        let _ = writeln!(out, "- Kind: {}", s.kind.as_str());
        if let Some(section) = &s.section {
            let _ = writeln!(out, "- Section: {section}");
        }
        if s.claim != s.sentence {
            let _ = writeln!(out, "- As written: {}", quoted(&s.sentence));
        }
        if let Some(lead) = &s.lead_in {
            let _ = writeln!(
                out,
                "- Lead-in: {} (characters {}-{})",
                quoted(&lead.text),
                lead.start,
                lead.end
            );
        }
        let _ = writeln!(out, "- Position: characters {}-{}", s.start, s.end);
        if !s.cues.is_empty() {
            let _ = writeln!(out, "- Cues: {}", s.cues.join(", "));
        }
        let _ = writeln!(
            out,
            "- Tags: {}",
            if s.tags.is_empty() {
                "none".into()
            } else {
                s.tags.join(", ")
            }
        );
        match &s.covered_by {
            Some(c) => {
                let _ = writeln!(
                    out,
                    "- Covered by reviewed claim `{}`: **{}** (word overlap {:.2})",
                    c.claim, c.verdict, c.similarity
                );
            }
            None => {
                let _ = writeln!(out, "- Not covered by a reviewed claim");
            }
        }
        if s.candidates.is_empty() {
            let _ = writeln!(out, "- Candidate evidence: none in the catalogue");
        } else {
            let _ = writeln!(out, "- Candidate evidence:");
            for c in &s.candidates {
                let stance = c
                    .stance
                    .map(|s| format!(" — suggested stance: **{}**", s.as_str()))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  - PMID {} (score {:.2}): {}{stance}",
                    c.pmid, c.score, c.citation
                );
                if !c.facts.is_empty() {
                    let _ = writeln!(out, "    - gave: {}", c.facts.join("; "));
                }
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// The measure of labelled articles, as text: recall and precision per kind and overall, list
/// items found, kind and tag agreement, then what was missed and what was returned beyond the
/// labels.
fn evaluation_text(eval: &ArticleEvaluation) -> String {
    let ratio = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.3}"));
    let mut out = String::new();
    let _ = writeln!(out, "articles {}", eval.articles);
    let _ = writeln!(
        out,
        "{:<12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "kind", "labelled", "found", "recall", "returned", "right", "precision"
    );
    let rows = eval
        .per_kind
        .iter()
        .map(|(k, s)| (k.as_str(), s))
        .chain(std::iter::once(("overall", &eval.overall)));
    for (name, s) in rows {
        let _ = writeln!(
            out,
            "{:<12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            name,
            s.labelled,
            s.found,
            ratio(s.recall()),
            s.returned,
            s.right,
            ratio(s.precision())
        );
    }
    let _ = writeln!(
        out,
        "claims carried by a list found  {}/{}",
        eval.list_items.1, eval.list_items.0
    );
    let _ = writeln!(
        out,
        "kind agrees (claims matched)    {}/{}",
        eval.kind_agreed, eval.matched
    );
    let _ = writeln!(
        out,
        "headings or fragments returned  {}",
        eval.headings_or_fragments
    );
    for (dimension, t) in &eval.tags {
        let _ = writeln!(
            out,
            "{dimension:<12} tags: {} labelled, {} returned, {} agreed",
            t.labelled, t.returned, t.agreed
        );
    }
    for quote in &eval.bad_quotes {
        let _ = writeln!(out, "label quote not found exactly once: {quote}");
    }
    if !eval.missed.is_empty() {
        let _ = writeln!(out, "\nmissed:");
        for m in &eval.missed {
            let _ = writeln!(out, "  {} [{}] {}", m.article, m.kind.as_str(), m.text);
        }
    }
    if !eval.extra.is_empty() {
        let _ = writeln!(out, "\nreturned beyond the labels:");
        for m in &eval.extra {
            let _ = writeln!(out, "  {} [{}] {}", m.article, m.kind.as_str(), m.text);
        }
    }
    out
}
