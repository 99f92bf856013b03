//! Synthetic PubMed files for the benchmarks: the repository's fixture records cycled with fresh
//! PMIDs, written once and reused while their size matches.
// (Each benchmark uses a part of these.)
#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// One fixture record split around its PMID (and pubmed ArticleId), so copies with a fresh PMID
/// can be written without reparsing.
/// (Read by the import benchmark through [`templates`].)
pub struct Template {
    /// Text pieces; a PMID goes between consecutive pieces.
    pieces: Vec<String>,
}

impl Template {
    pub fn len_with(&self, pmid_len: usize) -> u64 {
        self.pieces.iter().map(|p| p.len() as u64).sum::<u64>()
            + (pmid_len * (self.pieces.len() - 1)) as u64
    }
}

pub fn templates(fixtures: &Path) -> Result<Vec<Template>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(fixtures)
        .map_err(|e| format!("{}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut rest = text.as_str();
        while let Some(start) = rest.find("<PubmedArticle>") {
            let tail = &rest[start..];
            let end = tail
                .find("</PubmedArticle>")
                .ok_or_else(|| format!("{}: unterminated <PubmedArticle>", path.display()))?
                + "</PubmedArticle>".len();
            let record = &tail[..end];
            out.push(
                split_record(record)
                    .ok_or_else(|| format!("{}: record without PMID", path.display()))?,
            );
            rest = &tail[end..];
        }
    }
    if out.is_empty() {
        return Err("no <PubmedArticle> records in fixtures/".into());
    }
    Ok(out)
}

/// Splits a record at the content of MedlineCitation's `<PMID ...>` and of PubmedData's
/// `<ArticleId IdType="pubmed">`.
fn split_record(record: &str) -> Option<Template> {
    let mut cuts = Vec::new();
    // MedlineCitation's PMID is the first <PMID> of the record.
    let p = find_tag(record, "<PMID", 0)?;
    let open_end = p + record[p..].find('>')? + 1;
    let close = open_end + record[open_end..].find("</PMID>")?;
    cuts.push((open_end, close));
    if let Some(data) = record.find("<PubmedData>")
        && let Some(list) = record[data..].find("<ArticleIdList>").map(|i| data + i)
    {
        let list_end = list
            + record[list..]
                .find("</ArticleIdList>")
                .unwrap_or(record.len() - list);
        let open = "<ArticleId IdType=\"pubmed\">";
        if let Some(a) = record[list..list_end]
            .find(open)
            .map(|i| list + i + open.len())
            && let Some(c) = record[a..].find("</ArticleId>").map(|i| a + i)
        {
            cuts.push((a, c));
        }
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for (s, e) in cuts {
        pieces.push(record[at..s].to_string());
        at = e;
    }
    pieces.push(record[at..].to_string());
    Some(Template { pieces })
}

/// Position of `<name` followed by a space or `>`.
fn find_tag(s: &str, open: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = s[at..].find(open) {
        let p = at + i;
        match s.as_bytes().get(p + open.len()) {
            Some(b' ') | Some(b'>') => return Some(p),
            _ => at = p + open.len(),
        }
    }
    None
}

const HEADER: &str = "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n";
const FOOTER: &str = "</PubmedArticleSet>\n";

pub fn expected_size(templates: &[Template], records: u64, pmid_base: u64) -> u64 {
    let mut size = (HEADER.len() + FOOTER.len()) as u64;
    for i in 0..records {
        let pmid_len = (pmid_base + i).to_string().len();
        size += templates[(i % templates.len() as u64) as usize].len_with(pmid_len) + 1;
    }
    size
}

pub fn ensure_input(
    path: &Path,
    templates: &[Template],
    records: u64,
    pmid_base: u64,
) -> Result<(), String> {
    let expected = expected_size(templates, records, pmid_base);
    if fs::metadata(path)
        .map(|m| m.len() == expected)
        .unwrap_or(false)
    {
        println!("reusing {} ({:.1} MB)", path.display(), mb(expected));
        return Ok(());
    }
    let started = Instant::now();
    let tmp = path.with_extension("xml.partial");
    let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp).map_err(|e| e.to_string())?);
    let io = |e: std::io::Error| e.to_string();
    w.write_all(HEADER.as_bytes()).map_err(io)?;
    for i in 0..records {
        let t = &templates[(i % templates.len() as u64) as usize];
        let pmid = (pmid_base + i).to_string();
        for (k, piece) in t.pieces.iter().enumerate() {
            if k > 0 {
                w.write_all(pmid.as_bytes()).map_err(io)?;
            }
            w.write_all(piece.as_bytes()).map_err(io)?;
        }
        w.write_all(b"\n").map_err(io)?;
    }
    w.write_all(FOOTER.as_bytes()).map_err(io)?;
    w.into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(io)?;
    fs::rename(&tmp, path).map_err(io)?;
    let got = fs::metadata(path).map_err(io)?.len();
    if got != expected {
        return Err(format!(
            "{}: wrote {got} bytes, expected {expected}",
            path.display()
        ));
    }
    println!(
        "wrote {} ({:.1} MB) in {:.1}s",
        path.display(),
        mb(got),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

impl Template {
    /// The record as a later version of itself: its `PMID/@Version` one higher (content otherwise
    /// the same, so an import replaces the stored record and keeps the old as a revision).
    pub fn next_version(&self) -> Template {
        let mut pieces = self.pieces.clone();
        let first = &mut pieces[0];
        // (The first piece ends with MedlineCitation's `<PMID ...>` tag; older records have no
        // Version attribute, which means version 1.)
        let tag = first.rfind("<PMID").expect("a template ends at its PMID");
        match first[tag..]
            .find("Version=\"")
            .map(|i| tag + i + "Version=\"".len())
        {
            Some(digits) => {
                let end = digits + first[digits..].find('"').unwrap_or(0);
                let version: u32 = first[digits..end].parse().unwrap_or(1);
                first.replace_range(digits..end, &(version + 1).to_string());
            }
            None => first.insert_str(tag + "<PMID".len(), " Version=\"2\""),
        }
        Template { pieces }
    }
}

impl Template {
    /// Whether the record's text holds `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.pieces.iter().any(|p| p.contains(needle))
    }

    /// The record with `prefix` put before its title's text (a book record without an
    /// `<ArticleTitle>` is left as it is).
    pub fn with_title_prefix(mut self, prefix: &str) -> Template {
        if let Some(piece) = self
            .pieces
            .iter_mut()
            .find(|p| p.contains("<ArticleTitle>"))
        {
            *piece = piece.replacen("<ArticleTitle>", &format!("<ArticleTitle>{prefix}"), 1);
        }
        self
    }
}

/// The records of every `*.xml` file in `dir` and in the folders directly inside it (the shared
/// samples keep one folder per source project); files that hold no record are passed over.
pub fn templates_below(dir: &Path) -> Vec<Template> {
    let mut folders = vec![dir.to_path_buf()];
    if let Ok(entries) = fs::read_dir(dir) {
        let mut inside: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        inside.sort();
        folders.extend(inside);
    }
    folders
        .iter()
        .flat_map(|f| templates(f).unwrap_or_default())
        .collect()
}

/// Writes one record per (PMID, template), gzip-compressed when `gzip`, through a temporary
/// file renamed into place when whole.
pub fn write_records<T: std::borrow::Borrow<Template>>(
    path: &Path,
    records: impl Iterator<Item = (u64, T)>,
    gzip: bool,
) -> Result<(), String> {
    let tmp = path.with_extension("partial");
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    let file = File::create(&tmp).map_err(io)?;
    let mut w: Box<dyn Write> = if gzip {
        Box::new(flate2::write::GzEncoder::new(
            BufWriter::with_capacity(1 << 20, file),
            flate2::Compression::fast(),
        ))
    } else {
        Box::new(BufWriter::with_capacity(1 << 20, file))
    };
    w.write_all(HEADER.as_bytes()).map_err(io)?;
    for (pmid, t) in records {
        let pmid = pmid.to_string();
        for (k, piece) in t.borrow().pieces.iter().enumerate() {
            if k > 0 {
                w.write_all(pmid.as_bytes()).map_err(io)?;
            }
            w.write_all(piece.as_bytes()).map_err(io)?;
        }
        w.write_all(b"\n").map_err(io)?;
    }
    w.write_all(FOOTER.as_bytes()).map_err(io)?;
    w.flush().map_err(io)?;
    drop(w);
    fs::rename(&tmp, path).map_err(io)?;
    Ok(())
}
