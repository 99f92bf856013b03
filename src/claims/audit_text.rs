//! Reading a consumer health article into sentences and spotting the ones that make evidence
//! claims.
//!
//! This is the pure text half of `evcat audit FILE`: no I/O, no catalogue access.
//!
//! 1. [`detect_format`] decides whether a document is plain text, Markdown or HTML (from the file
//!    name, else from the content).
//! 2. [`sentences`] extracts the readable text (markup, scripts, styles, link targets and code
//!    removed; HTML entities decoded) and splits it into [`Sentence`]s. Every sentence keeps the
//!    *character* offsets of the stretch of the original document it came from, so callers can
//!    point back into the file. Headings, list items, table rows and other blocks are always
//!    sentences of their own.
//! 3. [`claim_cues`] / [`is_evidence_claim`] apply a small, explainable rule to one sentence.
//!
//! All of it is linear in the document (brackets and tag ends of a Markdown line are found in
//! one pass, each block is split into sentences as soon as it ends), so hostile input such as a
//! megabyte-long sentence or a line of unclosed `[` costs no more than ordinary text.
//!
//! # The evidence-claim rule
//!
//! Every cue is a short case-insensitive pattern with a lowercase label, in one of three groups:
//!
//! - **source** cues name where evidence comes from: *study/studies, trial, review,
//!   meta-analysis, research, researchers, scientists, survey, journal, published, evidence, data,
//!   results, authors, reports, according to*, and patient reports (*patients report /
//!   experience*);
//! - **finding** cues say what the evidence showed: finding verbs (*found, showed/shown,
//!   demonstrated, reported, concluded, suggests, confirmed*) and outcome words (*reduced,
//!   improved, relief, effective, efficacy, safe, safety, significant, %, outcomes, benefits,
//!   risk, compared/comparable, comparatives such as lower/higher/less/better*);
//! - **strong** cues are efficacy or safety statements that are claims on their own: *proven,
//!   "is/are ... effective", "is/are ... safe", success rate, "N% of patients", side effects,
//!   complications, adverse events, risk of, does not cause, cure*.
//!
//! A sentence is an evidence claim when it has **a source cue and a finding cue, or a strong
//! cue**, unless it is a question (ends with `?`) or a call to action (starts with *Book, Call,
//! Contact, Schedule, Ask, Visit, Click, ...*). Definitions ("Ozone is a gas made of three oxygen
//! atoms") and procedure descriptions ("Sessions last 20 minutes") carry no cue and so never
//! count. The cue lists are deliberately short and general (nothing specific to one treatment
//! or article); [`claim_cues`] returns the labels that fired so every decision can be explained.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// The markup language of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocFormat {
    /// Plain text: paragraphs separated by blank lines.
    Text,
    /// Markdown (CommonMark-ish: headings, lists, emphasis, links, code fences, block quotes).
    Markdown,
    /// HTML: a page or a fragment.
    Html,
}

/// Guesses the format of a document.
///
/// From the file name extension (`.md`/`.markdown`/`.mdown`/`.mkd` → Markdown,
/// `.html`/`.htm`/`.xhtml` → HTML, `.txt`/`.text` → Text) or, for stdin (`-`), names without an
/// extension and unknown extensions, from the content: it starts with `<!doctype` or `<html`, or
/// has several `<p>`/`<div>`/`<br>`/`<li>`/`<h1>`... tags → HTML; it has Markdown headings,
/// links, code fences or at least two list items → Markdown; otherwise Text.
pub fn detect_format(name: &str, content: &str) -> DocFormat {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if name != "-"
        && let Some((stem, ext)) = base.rsplit_once('.')
        && !stem.is_empty()
    {
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdown" | "mkd" => return DocFormat::Markdown,
            "html" | "htm" | "xhtml" => return DocFormat::Html,
            "txt" | "text" => return DocFormat::Text,
            _ => {}
        }
    }
    sniff_format(content)
}

static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<(?:p|div|br|li|h[1-6]|article|section|span)\b").unwrap());
static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}#{1,6}[ \t]+\S").unwrap());
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[[^\]\n]+\]\([^)\s]+\)").unwrap());
static MD_FENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^ {0,3}(?:```|~~~)").unwrap());
static MD_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S").unwrap());

/// Format from the content alone (see [`detect_format`]).
fn sniff_format(content: &str) -> DocFormat {
    let head: String = content
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(64)
        .collect();
    let head = head.to_ascii_lowercase();
    if head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with("<?xml") {
        return DocFormat::Html;
    }
    if HTML_TAG.find_iter(content).take(3).count() >= 3 {
        return DocFormat::Html;
    }
    if MD_HEADING.is_match(content)
        || MD_LINK.is_match(content)
        || MD_FENCE.is_match(content)
        || MD_LIST.find_iter(content).take(2).count() >= 2
    {
        return DocFormat::Markdown;
    }
    DocFormat::Text
}

/// One sentence of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence text: markup removed, entities decoded, runs of whitespace collapsed to one
    /// space, trimmed.
    pub text: String,
    /// Character (not byte) offset into the original document of the sentence's first character.
    pub start: usize,
    /// Character offset into the original document just past the sentence's last character
    /// (exclusive). `doc.chars().skip(start).take(end - start)` covers the sentence, markup
    /// included.
    pub end: usize,
}

/// Extracts readable text from `doc` and splits it into sentences.
///
/// - HTML: `<script>`, `<style>`, `<head>`, `<noscript>`, `<template>`, `<title>` and comments
///   are dropped; entities (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;`, `&rsquo;`,
///   `&ldquo;`, ... and numeric `&#8217;`/`&#x2019;`) are decoded; block elements (`p`, `div`,
///   `h1`-`h6`, `li`, `br`, `blockquote`, `td`, ...) end a block.
/// - Markdown: heading `#`s, list markers, block-quote `>`, emphasis `*`/`_`, inline code
///   backticks, images and code fences are dropped; `[text](url)` keeps `text`; table pipes become
///   spaces.
/// - Text: blank lines separate blocks; `-`/`*`/`•`/`1.` list items are blocks.
///
/// Blocks (paragraphs, headings, list items) are split at `.`, `!` or `?` (plus closing quotes
/// or brackets) followed by a space and a capital letter, an opening quote or bracket, or a
/// digit, or by the end of the block. Abbreviations (`e.g.`, `i.e.`, `Dr.`, `et al.`, `vs.`,
/// `Fig.`, ...), initialisms (`U.S.`), single initials (`J. Smith`) and decimals (`2.5`) do not
/// end a sentence. Offsets are character offsets into `doc`.
pub fn sentences(doc: &str, format: DocFormat) -> Vec<Sentence> {
    let chars: Vec<char> = doc.chars().collect();
    let mut out = Out::default();
    match format {
        DocFormat::Html => extract_html(&chars, &mut out),
        DocFormat::Markdown => extract_markdown(&chars, &mut out),
        DocFormat::Text => extract_text(&chars, &mut out),
    }
    out.brk();
    out.sentences
}

// ---------------------------------------------------------------------------------------------
// Extraction: a stream of characters, each with the span of the original text it came from, and
// block breaks. Each block is split into sentences as soon as it ends, so memory follows the
// longest block rather than the document.

/// A character of readable text and the `[start, end)` character span it came from.
type Ch = (char, u32, u32);

#[derive(Default)]
struct Out {
    /// The current block: characters of readable text and the `[start, end)` character span
    /// each came from (32-bit: 12 bytes a character instead of 24).
    block: Vec<Ch>,
    /// Sentences of the blocks ended so far.
    sentences: Vec<Sentence>,
}

impl Out {
    fn ch(&mut self, c: char, s: usize, e: usize) {
        let offset = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
        self.block.push((c, offset(s), offset(e)));
    }
    /// Ends a block (paragraph, heading, list item...).
    fn brk(&mut self) {
        if !self.block.is_empty() {
            split_block(&mut self.block, &mut self.sentences);
            self.block.clear();
        }
    }
}

fn starts_with_ci(chars: &[char], at: usize, pat: &str) -> bool {
    let mut i = at;
    for p in pat.chars() {
        match chars.get(i) {
            Some(c) if c.to_ascii_lowercase() == p => i += 1,
            _ => return false,
        }
    }
    true
}

fn find_ci(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..chars.len()).find(|&i| starts_with_ci(chars, i, pat))
}

/// HTML elements whose content is not readable text.
const HTML_SKIP: &[&str] = &[
    "script", "style", "head", "noscript", "template", "title", "svg",
];
/// HTML elements that start or end a block.
const HTML_BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

fn extract_html(chars: &[char], out: &mut Out) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c == '<' {
            if starts_with_ci(chars, i, "<!--") {
                i = find_ci(chars, i + 4, "-->").map_or(n, |j| j + 3);
                continue;
            }
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if next.is_ascii_alphabetic() || next == '/' || next == '!' || next == '?' {
                let close = tag_end(chars, i + 1);
                let closing = next == '/';
                let name_start = if closing { i + 2 } else { i + 1 };
                let name: String = chars[name_start..close.min(n)]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let mut after = (close + 1).min(n);
                let self_closing = close > 0 && chars.get(close - 1) == Some(&'/');
                if !closing && !self_closing && HTML_SKIP.contains(&name.as_str()) {
                    // Skip to the matching end tag.
                    let end_tag = format!("</{name}");
                    after = match find_ci(chars, after, &end_tag) {
                        Some(j) => (tag_end(chars, j + 1) + 1).min(n),
                        None => n,
                    };
                }
                if HTML_BLOCK.contains(&name.as_str()) || HTML_SKIP.contains(&name.as_str()) {
                    out.brk();
                }
                i = after;
                continue;
            }
            out.ch(c, i, i + 1);
            i += 1;
        } else if c == '&' {
            if let Some((decoded, end)) = decode_entity(chars, i) {
                out.ch(decoded, i, end);
                i = end;
            } else {
                out.ch(c, i, i + 1);
                i += 1;
            }
        } else {
            out.ch(c, i, i + 1);
            i += 1;
        }
    }
}

/// Index of the `>` closing a tag whose body starts at `from` (quoted attribute values may
/// contain `>`), or `chars.len()`.
fn tag_end(chars: &[char], from: usize) -> usize {
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return i,
            None => {}
        }
    }
    chars.len()
}

/// Named HTML entities worth knowing in health articles.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("rsquo", '\u{2019}'),
    ("lsquo", '\u{2018}'),
    ("rdquo", '\u{201d}'),
    ("ldquo", '\u{201c}'),
    ("sbquo", '\u{201a}'),
    ("bdquo", '\u{201e}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("hellip", '\u{2026}'),
    ("laquo", '\u{ab}'),
    ("raquo", '\u{bb}'),
    ("copy", '\u{a9}'),
    ("reg", '\u{ae}'),
    ("trade", '\u{2122}'),
    ("deg", '\u{b0}'),
    ("middot", '\u{b7}'),
    ("bull", '\u{2022}'),
    ("times", '\u{d7}'),
    ("divide", '\u{f7}'),
    ("plusmn", '\u{b1}'),
    ("micro", '\u{b5}'),
    ("frac12", '\u{bd}'),
    ("frac14", '\u{bc}'),
    ("frac34", '\u{be}'),
    ("le", '\u{2264}'),
    ("ge", '\u{2265}'),
    ("minus", '\u{2212}'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("shy", '\u{ad}'),
    ("alpha", '\u{3b1}'),
    ("beta", '\u{3b2}'),
    ("eacute", '\u{e9}'),
    ("egrave", '\u{e8}'),
    ("aacute", '\u{e1}'),
    ("agrave", '\u{e0}'),
    ("iacute", '\u{ed}'),
    ("oacute", '\u{f3}'),
    ("uacute", '\u{fa}'),
    ("ntilde", '\u{f1}'),
    ("ccedil", '\u{e7}'),
    ("auml", '\u{e4}'),
    ("ouml", '\u{f6}'),
    ("uuml", '\u{fc}'),
    ("szlig", '\u{df}'),
    ("euro", '\u{20ac}'),
    ("pound", '\u{a3}'),
    ("sup2", '\u{b2}'),
    ("sup3", '\u{b3}'),
];

/// Decodes the entity starting at `chars[at] == '&'`: the character and the index past the `;`.
fn decode_entity(chars: &[char], at: usize) -> Option<(char, usize)> {
    let semi = (at + 1..chars.len().min(at + 12)).find(|&j| chars[j] == ';')?;
    let body: String = chars[at + 1..semi].iter().collect();
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}')
    } else {
        ENTITIES
            .iter()
            .find(|(name, _)| *name == body)
            .map(|&(_, c)| c)?
    };
    Some((c, semi + 1))
}

/// `[start, end)` of every line (without its `\n` or `\r\n`).
fn lines(chars: &[char]) -> Vec<(usize, usize)> {
    let mut result = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            let end = if i > start && chars[i - 1] == '\r' {
                i - 1
            } else {
                i
            };
            result.push((start, end));
            start = i + 1;
        }
    }
    if start < chars.len() {
        result.push((start, chars.len()));
    }
    result
}

fn skip_spaces(chars: &[char], mut i: usize, end: usize) -> usize {
    while i < end && (chars[i] == ' ' || chars[i] == '\t') {
        i += 1;
    }
    i
}

fn is_blank(chars: &[char], s: usize, e: usize) -> bool {
    chars[s..e].iter().all(|c| c.is_whitespace())
}

/// If a list marker (`-`, `*`, `+`, `•`, `1.`, `1)`) followed by a space starts at `i`, the index
/// of the item text.
fn list_item(chars: &[char], i: usize, end: usize) -> Option<usize> {
    let c = *chars.get(i)?;
    let after_marker = if matches!(c, '-' | '*' | '+' | '•') {
        i + 1
    } else if c.is_ascii_digit() {
        let mut j = i;
        while j < end && chars[j].is_ascii_digit() && j - i < 9 {
            j += 1;
        }
        if j < end && (chars[j] == '.' || chars[j] == ')') {
            j + 1
        } else {
            return None;
        }
    } else {
        return None;
    };
    if after_marker < end && (chars[after_marker] == ' ' || chars[after_marker] == '\t') {
        Some(skip_spaces(chars, after_marker, end))
    } else {
        None
    }
}

/// A thematic break or setext underline: three or more of one of `-`, `*`, `_`, `=` (spaces
/// allowed), nothing else.
fn is_rule_line(chars: &[char], s: usize, e: usize) -> bool {
    let body: Vec<char> = chars[s..e]
        .iter()
        .copied()
        .filter(|c| !c.is_whitespace())
        .collect();
    body.len() >= 3
        && matches!(body[0], '-' | '*' | '_' | '=')
        && body.iter().all(|&c| c == body[0])
}

/// Emits a line's text followed by a space standing for its line break.
fn emit_line_break(out: &mut Out, end: usize) {
    out.ch(' ', end, end + 1);
}

fn extract_text(chars: &[char], out: &mut Out) {
    for (s, e) in lines(chars) {
        if is_blank(chars, s, e) || is_rule_line(chars, s, e) {
            out.brk();
            continue;
        }
        let mut i = skip_spaces(chars, s, e);
        if let Some(text) = list_item(chars, i, e) {
            out.brk();
            i = text;
        }
        for (j, &c) in chars.iter().enumerate().take(e).skip(i) {
            out.ch(c, j, j + 1);
        }
        emit_line_break(out, e);
    }
}

fn extract_markdown(chars: &[char], out: &mut Out) {
    let mut fence: Option<char> = None;
    let mut prev_quote = 0usize;
    for (s, e) in lines(chars) {
        let i = skip_spaces(chars, s, e);
        // Code fences and their content.
        let is_fence = i + 3 <= e
            && (chars[i..i + 3] == ['`', '`', '`'] || chars[i..i + 3] == ['~', '~', '~'])
            && i - s <= 3;
        if let Some(f) = fence {
            if is_fence && chars[i] == f {
                fence = None;
            }
            continue;
        }
        if is_fence {
            fence = Some(chars[i]);
            out.brk();
            continue;
        }
        // Block quotes: strip the `>` markers; a change of depth is a block break.
        let mut j = i;
        let mut depth = 0;
        while j < e && chars[j] == '>' {
            depth += 1;
            j = skip_spaces(chars, j + 1, e);
        }
        if depth != prev_quote {
            out.brk();
            prev_quote = depth;
        }
        if is_blank(chars, j, e) {
            out.brk();
            continue;
        }
        if is_rule_line(chars, j, e) {
            out.brk();
            continue;
        }
        // ATX headings.
        let hashes = chars[j..e].iter().take_while(|&&c| c == '#').count();
        if (1..=6).contains(&hashes) && (j + hashes == e || chars[j + hashes].is_whitespace()) {
            let text = skip_spaces(chars, j + hashes, e);
            let mut end = e;
            while end > text && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            let mut k = end;
            while k > text && chars[k - 1] == '#' {
                k -= 1;
            }
            if k == text || chars[k - 1].is_whitespace() {
                end = k;
            }
            out.brk();
            md_inline(chars, text, end, false, out);
            out.brk();
            continue;
        }
        // Tables.
        if chars[j] == '|' {
            out.brk();
            let separator = chars[j..e]
                .iter()
                .all(|&c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
            if !separator {
                md_inline(chars, j, e, true, out);
            }
            out.brk();
            continue;
        }
        if let Some(text) = list_item(chars, j, e) {
            out.brk();
            j = text;
        }
        md_inline(chars, j, e, false, out);
        emit_line_break(out, e);
    }
}

/// The brackets and `>` of one line, found in one pass, so that inline Markdown is read in
/// linear time (a line of ten thousand unmatched `[` would otherwise be scanned to its end once
/// per bracket).
struct InlineMarks {
    /// Each `[` or `(` that is closed on the line, and where (bracket matching by depth).
    closing: HashMap<usize, usize>,
    /// Positions of every `]`, ascending.
    square_closes: Vec<usize>,
    /// Positions of every `>`, ascending.
    angle_closes: Vec<usize>,
}

impl InlineMarks {
    fn new(chars: &[char], start: usize, end: usize) -> InlineMarks {
        let mut marks = InlineMarks {
            closing: HashMap::new(),
            square_closes: Vec::new(),
            angle_closes: Vec::new(),
        };
        let (mut squares, mut parens) = (Vec::new(), Vec::new());
        for (k, &c) in chars.iter().enumerate().take(end).skip(start) {
            match c {
                '[' => squares.push(k),
                '(' => parens.push(k),
                ']' => {
                    marks.square_closes.push(k);
                    if let Some(open) = squares.pop() {
                        marks.closing.insert(open, k);
                    }
                }
                ')' => {
                    if let Some(open) = parens.pop() {
                        marks.closing.insert(open, k);
                    }
                }
                '>' => marks.angle_closes.push(k),
                _ => {}
            }
        }
        marks
    }

    /// Index of the bracket closing the one at `open` (`[`→`]`, `(`→`)`), before `end`.
    fn matching(&self, open: usize, end: usize) -> Option<usize> {
        self.closing.get(&open).copied().filter(|&k| k < end)
    }

    /// The first of `positions` in `from..end`.
    fn first_in(positions: &[usize], from: usize, end: usize) -> Option<usize> {
        let i = positions.partition_point(|&k| k < from);
        positions.get(i).copied().filter(|&k| k < end)
    }
}

/// Inline Markdown of `chars[start..end]` (one line or table row): see [`md_inline_in`].
fn md_inline(chars: &[char], start: usize, end: usize, table: bool, out: &mut Out) {
    let marks = InlineMarks::new(chars, start, end);
    md_inline_in(chars, &marks, start, end, table, out);
}

/// Inline Markdown of `chars[start..end]`: drops emphasis, code backticks, images, link targets
/// and inline tags; decodes entities; in tables pipes become spaces.
fn md_inline_in(
    chars: &[char],
    marks: &InlineMarks,
    start: usize,
    end: usize,
    table: bool,
    out: &mut Out,
) {
    let mut i = start;
    while i < end {
        let c = chars[i];
        let next = if i + 1 < end { chars[i + 1] } else { '\0' };
        match c {
            '\\' if next.is_ascii_punctuation() => {
                out.ch(next, i, i + 2);
                i += 2;
            }
            '!' if next == '[' => {
                // Image: ![alt](src) is dropped.
                if let Some(close) = marks.matching(i + 1, end)
                    && close + 1 < end
                    && chars[close + 1] == '('
                    && let Some(paren) = marks.matching(close + 1, end)
                {
                    i = paren + 1;
                } else {
                    out.ch(c, i, i + 1);
                    i += 1;
                }
            }
            '[' => {
                let link = marks
                    .matching(i, end)
                    .and_then(|close| match chars.get(close + 1) {
                        Some('(') if close + 1 < end => {
                            marks.matching(close + 1, end).map(|p| (close, p))
                        }
                        Some('[') if close + 1 < end => {
                            InlineMarks::first_in(&marks.square_closes, close + 1, end)
                                .map(|p| (close, p))
                        }
                        _ => None,
                    });
                if let Some((close, past)) = link {
                    md_inline_in(chars, marks, i + 1, close, table, out);
                    i = past + 1;
                } else {
                    out.ch(c, i, i + 1);
                    i += 1;
                }
            }
            '*' | '`' => i += 1,
            '~' if next == '~' => i += 2,
            '_' => {
                let prev = if i > start { chars[i - 1] } else { ' ' };
                if prev.is_alphanumeric() && next.is_alphanumeric() {
                    out.ch(c, i, i + 1); // snake_case word, not emphasis
                }
                i += 1;
            }
            '<' if next.is_ascii_alphabetic() || next == '/' || next == '!' => {
                match InlineMarks::first_in(&marks.angle_closes, i + 1, end) {
                    Some(close) => {
                        let inner: String = chars[i + 1..close].iter().collect();
                        if inner.starts_with("http://") || inner.starts_with("https://") {
                            for (k, &ch) in chars.iter().enumerate().take(close).skip(i + 1) {
                                out.ch(ch, k, k + 1);
                            }
                        }
                        i = close + 1;
                    }
                    None => {
                        out.ch(c, i, i + 1);
                        i += 1;
                    }
                }
            }
            '&' => match decode_entity(chars, i) {
                Some((d, past)) if past <= end => {
                    out.ch(d, i, past);
                    i = past;
                }
                _ => {
                    out.ch(c, i, i + 1);
                    i += 1;
                }
            },
            '|' if table => {
                out.ch(' ', i, i + 1);
                i += 1;
            }
            _ => {
                out.ch(c, i, i + 1);
                i += 1;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sentence splitting.

/// Words that end with a period without ending a sentence (lowercase, without the period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "dr", "drs", "mr", "mrs", "ms", "prof", "st", "vs", "v", "al", "fig",
    "figs", "approx", "ca", "cf", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "univ", "vol",
    "pp", "ed", "eds", "ph.d", "m.d", "mt", "sen", "rep", "gov", "gen", "lt", "col", "sgt",
];

const CLOSERS: &[char] = &[
    '"', '\'', '\u{201d}', '\u{2019}', ')', ']', '\u{bb}', '*', '_',
];
const OPENERS: &[char] = &['"', '\'', '\u{201c}', '\u{2018}', '(', '[', '\u{ab}'];

fn split_block(block: &mut Vec<Ch>, result: &mut Vec<Sentence>) {
    // Normalise whitespace in place: one space per run, no leading/trailing space.
    let mut kept = 0;
    for r in 0..block.len() {
        let (c, s, e) = block[r];
        if c.is_whitespace() || c.is_control() {
            if kept > 0 && block[kept - 1].0 != ' ' {
                block[kept] = (' ', s, e);
                kept += 1;
            }
        } else {
            block[kept] = (c, s, e);
            kept += 1;
        }
    }
    block.truncate(kept);
    while block.last().is_some_and(|l| l.0 == ' ') {
        block.pop();
    }
    let norm: &[Ch] = block;
    let n = norm.len();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        let c = norm[i].0;
        if !matches!(c, '.' | '!' | '?' | '\u{2026}') {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < n
            && (matches!(norm[j].0, '.' | '!' | '?' | '\u{2026}') || CLOSERS.contains(&norm[j].0))
        {
            j += 1;
        }
        let boundary = if j >= n {
            true
        } else if norm[j].0 == ' ' && j + 1 < n {
            let next = norm[j + 1].0;
            let starts_new =
                next.is_uppercase() || next.is_ascii_digit() || OPENERS.contains(&next);
            starts_new && !(c == '.' && j == i + 1 && is_abbreviation(&norm[start..i]))
        } else {
            false
        };
        if boundary {
            push_sentence(&norm[start..j], result);
            start = (j + 1).min(n);
            i = start;
        } else {
            i = j;
        }
    }
    if start < n {
        push_sentence(&norm[start..n], result);
    }
}

/// Whether the word just before a period (the end of `before`) is an abbreviation, an
/// initialism such as `U.S`, or a single capital initial.
fn is_abbreviation(before: &[Ch]) -> bool {
    let word_start = before.iter().rposition(|t| t.0 == ' ').map_or(0, |p| p + 1);
    let word: String = before[word_start..]
        .iter()
        .map(|t| t.0)
        .skip_while(|c| OPENERS.contains(c))
        .collect();
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let mut letters = word.chars();
    if let (Some(only), None) = (letters.next(), letters.next()) {
        return only.is_uppercase();
    }
    // Initialisms: U.S, U.K, a.m, e.g (every part a single letter).
    word.contains('.')
        && word
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

fn push_sentence(toks: &[Ch], result: &mut Vec<Sentence>) {
    let mut a = 0;
    let mut b = toks.len();
    while a < b && toks[a].0 == ' ' {
        a += 1;
    }
    while b > a && toks[b - 1].0 == ' ' {
        b -= 1;
    }
    let toks = &toks[a..b];
    if !toks.iter().any(|t| t.0.is_alphanumeric()) {
        return;
    }
    result.push(Sentence {
        text: toks.iter().map(|t| t.0).collect(),
        start: toks.iter().map(|t| t.1 as usize).min().unwrap_or(0),
        end: toks.iter().map(|t| t.2 as usize).max().unwrap_or(0),
    });
}

// ---------------------------------------------------------------------------------------------
// Evidence-claim cues.

/// The group a cue belongs to (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    /// Where evidence comes from.
    Source,
    /// What the evidence showed.
    Finding,
    /// An efficacy or safety statement that is a claim on its own.
    Strong,
}

use CueKind::{Finding, Source, Strong};

/// `(label, kind, case-insensitive pattern)`.
const CUES: &[(&str, CueKind, &str)] = &[
    ("study", Source, r"\bstud(?:y|ies)\b"),
    ("trial", Source, r"\btrials?\b"),
    ("review", Source, r"\breviews?\b"),
    ("meta-analysis", Source, r"\bmeta[-\s]?analys[ie]s\b"),
    ("research", Source, r"\bresearch\b"),
    ("researchers", Source, r"\bresearchers?\b"),
    ("scientists", Source, r"\bscientists?\b"),
    ("survey", Source, r"\bsurveys?\b"),
    ("journal", Source, r"\bjournals?\b"),
    ("published", Source, r"\bpublished\b"),
    ("evidence", Source, r"\bevidence\b"),
    ("data", Source, r"\bdata\b"),
    ("results", Source, r"\bresults\b"),
    ("authors", Source, r"\bauthors\b"),
    ("reports", Source, r"\breports\b"),
    ("according to", Source, r"\baccording\s+to\b"),
    (
        "patients report",
        Source,
        r"\b(?:patients|people|participants|users)\s+(?:\w+\s+)?(?:report|reported|experience|experienced)\b",
    ),
    ("found", Finding, r"\b(?:found|finds)\b"),
    ("showed", Finding, r"\bshow(?:s|ed|n)?\b"),
    ("demonstrated", Finding, r"\bdemonstrat(?:e|es|ed|ing)\b"),
    ("reported", Finding, r"\breported\b"),
    ("concluded", Finding, r"\bconclu(?:de|des|ded|sion|sions)\b"),
    ("suggests", Finding, r"\bsuggest(?:s|ed|ing)?\b"),
    ("confirmed", Finding, r"\bconfirm(?:s|ed)?\b"),
    ("reduced", Finding, r"\breduc(?:e|es|ed|ing|tion|tions)\b"),
    (
        "improved",
        Finding,
        r"\bimprov(?:e|es|ed|ing|ement|ements)\b",
    ),
    ("relief", Finding, r"\brelie(?:f|ve|ves|ved)\b"),
    ("effective", Finding, r"\beffective(?:ness)?\b"),
    ("efficacy", Finding, r"\befficacy\b"),
    ("safe", Finding, r"\bsafe(?:ly)?\b"),
    ("safety", Finding, r"\bsafety\b"),
    ("significant", Finding, r"\bsignificant(?:ly)?\b"),
    ("%", Finding, r"\d\s*%|\bper\s?cent\b"),
    ("outcomes", Finding, r"\boutcomes?\b"),
    ("benefits", Finding, r"\bbenefi(?:t|ts|cial)\b"),
    ("risk", Finding, r"\brisks?\b"),
    ("compared", Finding, r"\bcompar(?:ed|able|ison)\b"),
    (
        "comparative",
        Finding,
        r"\b(?:lower|higher|fewer|less|better|worse|greater)\b",
    ),
    (
        "proven",
        Strong,
        r"\b(?:clinically\s+|scientifically\s+)?prov(?:en|es?)\b",
    ),
    (
        "is effective",
        Strong,
        r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+){0,2}?effective\b",
    ),
    (
        "is safe",
        Strong,
        r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+){0,2}?safe\b",
    ),
    ("success rate", Strong, r"\bsuccess\s+rates?\b"),
    (
        "% of patients",
        Strong,
        r"\d\s*%\s+of\s+(?:\w+\s+)?(?:patients|people|participants|cases|users|subjects|women|men|adults|children)\b",
    ),
    ("side effects", Strong, r"\bside[-\s]effects?\b"),
    ("complications", Strong, r"\bcomplications?\b"),
    (
        "adverse events",
        Strong,
        r"\badverse\s+(?:events?|effects?|reactions?)\b",
    ),
    ("risk of", Strong, r"\brisks?\s+of\b"),
    (
        "does not cause",
        Strong,
        r"\b(?:does|do|did|will|can)\s*(?:not|n't|n\x{2019}t)\s+cause\b|\bcauses?\s+no\b",
    ),
    ("cure", Strong, r"\bcure[sd]?\b"),
];

struct Cue {
    label: &'static str,
    kind: CueKind,
    re: Regex,
}

static COMPILED_CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    CUES.iter()
        .map(|&(label, kind, pattern)| Cue {
            label,
            kind,
            re: Regex::new(&format!("(?i){pattern}")).unwrap(),
        })
        .collect()
});

/// Sentences that start like a call to action.
static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:book|call|contact|schedule|ask|visit|click|subscribe|sign\s+up|register|request|order|buy|shop|download|join|learn\s+more|find\s+out|talk\s+to|speak\s+to|get\s+in\s+touch|make\s+an\s+appointment)\b",
    )
    .unwrap()
});

/// The evidence-claim cues found in a sentence, as lowercase labels (such as `"study"`,
/// `"published"`, `"found"`, `"significant"`, `"according to"`, `"proven"`, `"side effects"`,
/// `"% of patients"`), in a fixed order and without duplicates; empty when the sentence makes no
/// evidence claim under the rule in the module documentation (a source cue and a finding cue, or
/// a strong cue; never a question or a call to action).
pub fn claim_cues(sentence: &str) -> Vec<&'static str> {
    let trimmed = sentence.trim().trim_end_matches(CLOSERS);
    if trimmed.ends_with('?') || CALL_TO_ACTION.is_match(trimmed) {
        return Vec::new();
    }
    let found: Vec<&Cue> = COMPILED_CUES
        .iter()
        .filter(|cue| cue.re.is_match(sentence))
        .collect();
    let has = |kind: CueKind| found.iter().any(|cue| cue.kind == kind);
    if has(Strong) || (has(Source) && has(Finding)) {
        found.iter().map(|cue| cue.label).collect()
    } else {
        Vec::new()
    }
}

/// Whether a sentence makes an evidence claim: it names a source of evidence (study, trial,
/// review, journal, researchers, data, ...) together with a finding (found, showed, reduced,
/// effective, significant, %, ...), or it makes a strong efficacy/safety statement (proven,
/// "is effective", "is safe", success rate, "N% of patients", side effects, complications, risk
/// of, ...); questions and calls to action never do. See [`claim_cues`] for the cues that fired.
pub fn is_evidence_claim(sentence: &str) -> bool {
    !claim_cues(sentence).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &str, format: DocFormat) -> Vec<String> {
        sentences(doc, format).into_iter().map(|s| s.text).collect()
    }

    fn slice(doc: &str, s: &Sentence) -> String {
        doc.chars().skip(s.start).take(s.end - s.start).collect()
    }

    #[test]
    fn format_from_name_and_content() {
        assert_eq!(detect_format("a.md", ""), DocFormat::Markdown);
        assert_eq!(detect_format("dir/A.MARKDOWN", ""), DocFormat::Markdown);
        assert_eq!(detect_format("page.htm", ""), DocFormat::Html);
        assert_eq!(
            detect_format("page.html", "# not markdown"),
            DocFormat::Html
        );
        assert_eq!(detect_format("notes.txt", "<html>"), DocFormat::Text);
        assert_eq!(
            detect_format("-", "<!DOCTYPE html><html></html>"),
            DocFormat::Html
        );
        assert_eq!(
            detect_format("-", "  <html><body>x</body></html>"),
            DocFormat::Html
        );
        assert_eq!(
            detect_format("page.php", "<div><p>a</p><p>b</p></div>"),
            DocFormat::Html
        );
        assert_eq!(
            detect_format("-", "# Title\n\nSome text."),
            DocFormat::Markdown
        );
        assert_eq!(
            detect_format("README", "See [here](http://x.org) now."),
            DocFormat::Markdown
        );
        assert_eq!(
            detect_format("-", "Intro:\n- one\n- two\n"),
            DocFormat::Markdown
        );
        assert_eq!(
            detect_format("-", "Just words. More words."),
            DocFormat::Text
        );
        assert_eq!(detect_format(".hidden", "plain"), DocFormat::Text);
    }

    #[test]
    fn splits_on_sentence_ends_but_not_abbreviations() {
        let doc = "Dr. Smith et al. tested it vs. placebo, e.g. in adults. Doses of 2.5 mg worked! \
                   Is it used in the U.S. and Europe? \"Yes,\" she said. 80% improved. J. Doe agreed.";
        assert_eq!(
            texts(doc, DocFormat::Text),
            vec![
                "Dr. Smith et al. tested it vs. placebo, e.g. in adults.",
                "Doses of 2.5 mg worked!",
                "Is it used in the U.S. and Europe?",
                "\"Yes,\" she said.",
                "80% improved.",
                "J. Doe agreed.",
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let doc = "He said \u{201c}it works.\u{201d} Then he left.";
        assert_eq!(
            texts(doc, DocFormat::Text),
            vec!["He said \u{201c}it works.\u{201d}", "Then he left."]
        );
    }

    #[test]
    fn text_blocks_and_lists() {
        let doc = "Title line\n\nFirst para\ncontinues here. Second.\n\n- item one\n- item two\n";
        assert_eq!(
            texts(doc, DocFormat::Text),
            vec![
                "Title line",
                "First para continues here.",
                "Second.",
                "item one",
                "item two"
            ]
        );
    }

    #[test]
    fn markdown_markup_is_removed() {
        let doc = "# Heading *one* #\n\nSome **bold** and _em_ text with a [link](http://x.org/a_b) \
                   and ![img](pic.png) and `code` and snake_case.\n\n```\nlet x = 1. Not text.\n```\n\n\
                   * first item\n1. second item\n> quoted line\n\n| a | b |\n|---|---|\n| c | d |\n\nTom &amp; Jerry.";
        assert_eq!(
            texts(doc, DocFormat::Markdown),
            vec![
                "Heading one",
                "Some bold and em text with a link and and code and snake_case.",
                "first item",
                "second item",
                "quoted line",
                "a b",
                "c d",
                "Tom & Jerry.",
            ]
        );
    }

    #[test]
    fn html_text_and_entities() {
        let doc = "<!doctype html><html><head><title>T</title><style>p{}</style></head><body>\
                   <nav>Menu</nav><!-- a comment. --><h1>Big &amp; bold</h1><p>It&rsquo;s \
                   &ldquo;fine&rdquo;&nbsp;now. Caf&eacute; &#233;&#x41; 5&nbsp;&lt;&nbsp;6.</p>\
                   <ul><li>One</li><li>Two<br>Three</li></ul><script>var s = \"<p>no</p>\";</script>\
                   <p>Text <a href=\"x\" title=\"a>b\">link</a> end.</p></body></html>";
        assert_eq!(
            texts(doc, DocFormat::Html),
            vec![
                "Menu",
                "Big & bold",
                "It\u{2019}s \u{201c}fine\u{201d} now.",
                "Caf\u{e9} \u{e9}A 5 < 6.",
                "One",
                "Two",
                "Three",
                "Text link end.",
            ]
        );
    }

    #[test]
    fn offsets_are_character_offsets_into_the_original() {
        let doc = "<p>Caf&eacute; \u{e9}t\u{e9}. <b>Second</b> one.</p>";
        let s = sentences(doc, DocFormat::Html);
        assert_eq!(s.len(), 2);
        assert_eq!(slice(doc, &s[0]), "Caf&eacute; \u{e9}t\u{e9}.");
        // Spans run from the first to the last readable character: leading markup is outside.
        assert_eq!(slice(doc, &s[1]), "Second</b> one.");
        let md = "## Über *alles*\n\nÄ [link](u) here.";
        let s = sentences(md, DocFormat::Markdown);
        assert_eq!(slice(md, &s[0]), "Über *alles");
        assert_eq!(slice(md, &s[1]), "Ä [link](u) here.");
    }

    #[test]
    fn evidence_claims() {
        let yes = [
            "A study published in Pain Physician found that ozone therapy significantly reduced pain.",
            "Researchers reported good outcomes in patients with sciatica.",
            "According to a 2019 review, the treatment is effective in most patients.",
            "Ozone therapy is proven to relieve back pain.",
            "Up to 80% of patients are pain-free after treatment.",
            "There are no side effects.",
            "Serious complications are rare.",
            "The procedure has a success rate of over 90 percent.",
            "Acupuncture is safe for pregnant women.",
        ];
        for s in yes {
            assert!(
                is_evidence_claim(s),
                "should be a claim: {s} ({:?})",
                claim_cues(s)
            );
        }
        let no = [
            "Ozone is a gas made of three oxygen atoms.",
            "Sessions last 20 minutes.",
            "Does ozone therapy really work?",
            "Book a consultation with our team today.",
            "What does the research say?",
            "Your doctor will review your MRI before treatment.",
            "We published this guide in 2024.",
            "It may improve blood flow.",
        ];
        for s in no {
            assert!(
                !is_evidence_claim(s),
                "should not be a claim: {s} ({:?})",
                claim_cues(s)
            );
        }
        assert_eq!(
            claim_cues("A study published in a journal found significant relief."),
            vec![
                "study",
                "journal",
                "published",
                "found",
                "relief",
                "significant"
            ]
        );
        assert!(claim_cues("Sessions last 20 minutes.").is_empty());
    }

    const ARTICLE_MD: &str = include_str!("../../fixtures/articles/ozone-back-pain.md");
    const ARTICLE_HTML: &str = include_str!("../../fixtures/articles/ozone-back-pain.html");
    const LABELS: &str = include_str!("../../fixtures/articles/labels.txt");

    fn labels() -> Vec<&'static str> {
        LABELS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }

    /// The first and last words of a sentence, reduced to their leading alphanumeric run (so
    /// that a decoded entity or a closing quote does not matter).
    fn edge_words(text: &str) -> (String, String) {
        let core = |w: &str| -> String {
            w.trim_start_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect()
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        (core(words[0]), core(words[words.len() - 1]))
    }

    #[test]
    fn article_offsets_cover_first_and_last_words() {
        for (doc, format) in [
            (ARTICLE_MD, DocFormat::Markdown),
            (ARTICLE_HTML, DocFormat::Html),
        ] {
            let found = sentences(doc, format);
            assert!(
                found.len() > 40,
                "{format:?}: only {} sentences",
                found.len()
            );
            for s in &found {
                assert!(s.start < s.end && s.end <= doc.chars().count());
                let original = slice(doc, s);
                let (first, last) = edge_words(&s.text);
                assert!(
                    original.starts_with(|c: char| !c.is_whitespace()),
                    "{format:?}: {original:?}"
                );
                assert!(
                    original.contains(&first),
                    "{format:?}: {first:?} not in {original:?}"
                );
                assert!(
                    original.contains(&last),
                    "{format:?}: {last:?} not in {original:?}"
                );
            }
            // Nothing from <head>, <script> or comments.
            let all: String = found
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            assert!(!all.contains("querySelectorAll") && !all.contains("font-family"));
            assert!(
                !all.contains("Example Spine Clinic</title>") && !all.contains("never be read")
            );
            assert!(!all.contains("](") && !all.contains("**") && !all.contains("&nbsp;"));
        }
    }

    #[test]
    fn article_precision_and_recall() {
        let labels = labels();
        assert!(labels.len() >= 10);
        for (doc, format) in [
            (ARTICLE_MD, DocFormat::Markdown),
            (ARTICLE_HTML, DocFormat::Html),
        ] {
            let all = sentences(doc, format);
            for label in &labels {
                let n = all.iter().filter(|s| s.text.contains(label)).count();
                assert_eq!(n, 1, "{format:?}: label {label:?} is in {n} sentences");
            }
            let predicted: Vec<&Sentence> =
                all.iter().filter(|s| is_evidence_claim(&s.text)).collect();
            let correct = predicted
                .iter()
                .filter(|s| labels.iter().any(|l| s.text.contains(l)))
                .count();
            let recalled = labels
                .iter()
                .filter(|l| predicted.iter().any(|s| s.text.contains(*l)))
                .count();
            let precision = correct as f64 / predicted.len().max(1) as f64;
            let recall = recalled as f64 / labels.len() as f64;
            println!(
                "{format:?}: {} sentences, {} labelled, {} predicted, {} correct; precision {:.3}, recall {:.3}",
                all.len(),
                labels.len(),
                predicted.len(),
                correct,
                precision,
                recall
            );
            for s in &predicted {
                let ok = labels.iter().any(|l| s.text.contains(l));
                println!(
                    "  {} {:?} {:?}",
                    if ok { "TP" } else { "FP" },
                    claim_cues(&s.text),
                    s.text
                );
            }
            for l in labels
                .iter()
                .filter(|l| !predicted.iter().any(|s| s.text.contains(*l)))
            {
                println!("  FN {l:?}");
            }
            assert!(precision >= 0.8, "{format:?}: precision {precision:.3}");
            assert!(recall >= 0.8, "{format:?}: recall {recall:.3}");
        }
    }
}
