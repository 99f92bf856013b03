//! Splitting readable text into sentences that keep their place in the original document.
//!
//! [`sentences`] reads a document through [`extract_blocks`] and splits each block into
//! [`Sentence`]s; every sentence keeps the *character* offsets of the stretch of the original
//! document it came from. Headings, list items, table rows and other blocks are always sentences
//! of their own. Splitting is linear in the block.

use super::markup::{DocFormat, SpannedChar, extract_blocks};

/// One sentence of a document.
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

/// Extracts readable text from `doc` (see [`extract_blocks`] for what each format keeps) and
/// splits it into sentences.
///
/// Blocks (paragraphs, headings, list items) are split at `.`, `!` or `?` (plus closing quotes
/// or brackets) followed by a space and a capital letter, an opening quote or bracket, or a
/// digit, or by the end of the block. Abbreviations (`e.g.`, `i.e.`, `Dr.`, `et al.`, `vs.`,
/// `Fig.`, ...), initialisms (`U.S.`), single initials (`J. Smith`) and decimals (`2.5`) do not
/// end a sentence. Offsets are character offsets into `doc`.
pub fn sentences(doc: &str, format: DocFormat) -> Vec<Sentence> {
    let mut found = Vec::new();
    extract_blocks(doc, format, |block| split_block(block, &mut found));
    found
}

/// The sentences of one line of plain text, with **byte** offsets into `line`, when the line
/// is simple: no line break, tab or other whitespace than spaces, no control character, and
/// not starting like a list item or a rule (`-`, `*`, `+`, `•`, `_`, `=`, a digit). Then they
/// are exactly [`sentences`]`(line, DocFormat::Text)` with its character offsets read as byte
/// offsets, found without building the document's characters; otherwise `None`.
pub fn plain_line_sentences(line: &str) -> Option<Vec<Sentence>> {
    let first = line.trim_start_matches(' ').chars().next()?;
    if matches!(first, '-' | '*' | '+' | '\u{2022}' | '_' | '=') || first.is_ascii_digit() {
        return None;
    }
    if line
        .chars()
        .any(|c| c != ' ' && (c.is_whitespace() || c.is_control()))
    {
        return None;
    }
    let offset = |o: usize| u32::try_from(o).ok();
    let lead = line.len() - line.trim_start_matches(' ').len();
    let mut block: Vec<SpannedChar> = Vec::with_capacity(line.len() + 1);
    for (i, c) in line[lead..].char_indices() {
        let at = lead + i;
        block.push((c, offset(at)?, offset(at + c.len_utf8())?));
    }
    // The space that stands for the end of the line.
    block.push((' ', offset(line.len())?, offset(line.len() + 1)?));
    let mut found = Vec::new();
    split_block(&mut block, &mut found);
    Some(found)
}

/// Words that end with a period without ending a sentence (lowercase, without the period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "dr", "drs", "mr", "mrs", "ms", "prof", "st", "vs", "v", "al", "fig",
    "figs", "approx", "ca", "cf", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "univ", "vol",
    "pp", "ed", "eds", "ph.d", "m.d", "mt", "sen", "rep", "gov", "gen", "lt", "col", "sgt",
];

/// Characters that may follow a sentence's final punctuation and still belong to it (closing
/// quotes and brackets, emphasis marks).
pub const CLOSERS: &[char] = &[
    '"', '\'', '\u{201d}', '\u{2019}', ')', ']', '\u{bb}', '*', '_',
];
/// Characters that may open a sentence before its first letter.
const OPENERS: &[char] = &['"', '\'', '\u{201c}', '\u{2018}', '(', '[', '\u{ab}'];

/// Normalises the whitespace of a block in place and appends its sentences to `result`.
fn split_block(block: &mut Vec<SpannedChar>, result: &mut Vec<Sentence>) {
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
    let norm: &[SpannedChar] = block;
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
fn is_abbreviation(before: &[SpannedChar]) -> bool {
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

/// Appends the sentence made of `toks` (trimmed) unless it has no letter or digit.
fn push_sentence(toks: &[SpannedChar], result: &mut Vec<Sentence>) {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The text of each sentence of `doc`.
    pub(crate) fn texts(doc: &str, format: DocFormat) -> Vec<String> {
        sentences(doc, format).into_iter().map(|s| s.text).collect()
    }

    /// The characters of `doc` that a sentence's offsets cover.
    pub(crate) fn slice(doc: &str, s: &Sentence) -> String {
        doc.chars().skip(s.start).take(s.end - s.start).collect()
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

    /// The one-line fast path finds what the general splitter finds, byte offsets for
    /// character offsets.
    #[test]
    fn plain_lines_split_as_the_general_splitter_does() {
        let lines = [
            "Dr. Smith et al. tested it vs. placebo, e.g. in adults. Doses of 2.5 \u{b5}g worked! Is it used in the U.S. and Europe?",
            "  Two  spaces   here. (A bracket) opens this. \u{201c}Quoted.\u{201d} Then 80% improved... J. Doe agreed",
            "M\u{e9}thodes: 12 patients were seen. R\u{e9}sultats \u{2013} all improved.",
            "Ends without a stop",
            "?",
            "a. b. c",
        ];
        for line in lines {
            let fast = plain_line_sentences(line).expect("a simple line");
            let general = sentences(line, DocFormat::Text);
            assert_eq!(fast.len(), general.len(), "{line}");
            let byte_of: Vec<usize> = line
                .char_indices()
                .map(|(i, _)| i)
                .chain([line.len(), line.len() + 1])
                .collect();
            for (f, g) in fast.iter().zip(&general) {
                assert_eq!(f.text, g.text, "{line}");
                assert_eq!(
                    (f.start, f.end),
                    (byte_of[g.start], byte_of[g.end]),
                    "{line}"
                );
            }
        }
        for not_simple in [
            "- item", "1. item", "a\tb", "a\nb", "", "   ", "***", "x\u{a0}y",
        ] {
            assert!(plain_line_sentences(not_simple).is_none(), "{not_simple:?}");
        }
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

    const ARTICLE_MD: &str = include_str!("../../fixtures/articles/ozone-back-pain.md");
    const ARTICLE_HTML: &str = include_str!("../../fixtures/articles/ozone-back-pain.html");

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
}
