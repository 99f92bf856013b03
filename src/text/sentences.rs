//! Splitting readable text into sentences that keep their place in the original document.
//!
//! [`sentences`] reads a document through [`extract_blocks`] and splits each block into
//! [`Sentence`]s; every sentence keeps the *character* offsets of the stretch of the original
//! document it came from. Headings, list items, table rows and other blocks are always sentences
//! of their own. Splitting is linear in the block.

use super::markup::{BlockKind, DocFormat, SpannedChar, extract_blocks};

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
    /// What the block it belongs to is (paragraph, heading, list item, ...).
    pub block: BlockKind,
    /// Which block of the document it belongs to (0 for the first): sentences of one block share
    /// it.
    pub block_index: usize,
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
    let mut index = 0;
    extract_blocks(doc, format, |block, kind| {
        let before = found.len();
        split_block(block, format != DocFormat::Text, &mut found);
        for s in &mut found[before..] {
            s.block = kind;
            s.block_index = index;
        }
        index += 1;
    });
    found
}

/// The byte spans of the sentences of one line of plain text, when the line is simple: no line
/// break, tab or other whitespace than spaces, no control character, and not starting like a
/// list item or a rule (`-`, `*`, `+`, `•`, `_`, `=`, a digit). Then they are exactly the spans
/// of [`sentences`]`(line, DocFormat::Text)` with its character offsets read as byte offsets,
/// found on the line's bytes without building its characters; otherwise `None`.
pub fn plain_line_sentence_spans(line: &str) -> Option<Vec<(usize, usize)>> {
    let body = line.trim_start_matches(' ');
    let first = body.chars().next()?;
    if matches!(first, '-' | '*' | '+' | '\u{2022}' | '_' | '=') || first.is_ascii_digit() {
        return None;
    }
    let simple = if line.is_ascii() {
        // Every ASCII whitespace but the space is a control character.
        !line.bytes().any(|b| b < 0x20 || b == 0x7f)
    } else {
        !line
            .chars()
            .any(|c| c != ' ' && (c.is_whitespace() || c.is_control()))
    };
    // The general splitter keeps offsets as u32.
    if !simple || u32::try_from(line.len() + 1).is_err() {
        return None;
    }
    let bytes = line.as_bytes();
    let char_at = |at: usize| line[at..].chars().next().unwrap_or(' ');
    let after_spaces = |at: usize| at + bytes[at..].iter().take_while(|&&b| b == b' ').count();
    // Runs of spaces read as one; leading and trailing ones are not part of any sentence.
    let end = line.trim_end_matches(' ').len();
    let mut spans = Vec::new();
    let mut start = line.len() - body.len();
    let mut i = start;
    while i < end {
        let Some(stop) = next_stop(&bytes[..end], i) else {
            break;
        };
        let c = char_at(stop);
        let mut j = stop + c.len_utf8();
        while j < end {
            let next = char_at(j);
            if !(is_stop(next) || CLOSERS.contains(&next)) {
                break;
            }
            j += next.len_utf8();
        }
        let boundary = if j >= end {
            true
        } else if bytes[j] == b' ' {
            let next = char_at(after_spaces(j));
            let starts_new =
                next.is_uppercase() || next.is_ascii_digit() || OPENERS.contains(&next);
            starts_new && !(c == '.' && j == stop + 1 && ends_with_abbreviation(&line[start..stop]))
        } else {
            false
        };
        if boundary {
            push_span(line, start, j, &mut spans);
            start = if j >= end { end } else { after_spaces(j) };
            i = start;
        } else {
            i = j;
        }
    }
    if start < end {
        push_span(line, start, end, &mut spans);
    }
    Some(spans)
}

/// Whether `c` may end a sentence.
fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}')
}

/// The byte offset of the first `.`, `!`, `?` or `…` in `bytes` at or after `from`.
fn next_stop(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let stop = memchr::memchr3(b'.', b'!', b'?', rest);
    // `…` is three bytes beginning with 0xE2, which most lines do not hold.
    let before = stop.map_or(rest, |k| &rest[..k]);
    let ellipsis = memchr::memmem::find(before, "\u{2026}".as_bytes());
    ellipsis.or(stop).map(|k| from + k)
}

/// Appends the byte span `start..end` of `line` as a sentence unless it has no letter or digit
/// (the one-line twin of [`push_sentence`]; the span has no space at either end).
fn push_span(line: &str, start: usize, end: usize, spans: &mut Vec<(usize, usize)>) {
    if line[start..end].chars().any(char::is_alphanumeric) {
        spans.push((start, end));
    }
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

/// Normalises the whitespace of a block in place and appends its sentences to `result`. In
/// `casual` writing (Markdown and HTML: forums, comments) a sentence may also start in lower
/// case after a full stop that ends a word ("then ozone x4, weekly. now walking 5 miles").
fn split_block(block: &mut Vec<SpannedChar>, casual: bool, result: &mut Vec<Sentence>) {
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
        if !is_stop(c) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < n && (is_stop(norm[j].0) || CLOSERS.contains(&norm[j].0)) {
            j += 1;
        }
        let boundary = if j >= n {
            true
        } else if norm[j].0 == ' ' && j + 1 < n {
            let next = norm[j + 1].0;
            // (Not after "etc.", which goes on in lower case.)
            let after_word = i > start
                && norm[i - 1].0.is_alphabetic()
                && !(i >= start + 3
                    && norm[i - 3..i]
                        .iter()
                        .map(|t| t.0.to_ascii_lowercase())
                        .eq("etc".chars()));
            let starts_new = next.is_uppercase()
                || next.is_ascii_digit()
                || OPENERS.contains(&next)
                || casual && next.is_lowercase() && after_word;
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
    let word: String = before[word_start..].iter().map(|t| t.0).collect();
    is_abbreviation_word(&word)
}

/// [`is_abbreviation`] for a sentence's text so far, read from its bytes (no runs of spaces
/// matter: only the last word is read).
fn ends_with_abbreviation(before: &str) -> bool {
    let word_start = before.rfind(' ').map_or(0, |p| p + 1);
    is_abbreviation_word(&before[word_start..])
}

/// Whether a word written just before a period (opening quotes or brackets allowed) is an
/// abbreviation, an initialism or a single capital initial.
fn is_abbreviation_word(word: &str) -> bool {
    let word = word.trim_start_matches(OPENERS);
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
        block: BlockKind::Paragraph,
        block_index: 0,
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The text of each sentence of `doc`.
    pub(crate) fn texts(doc: &str, format: DocFormat) -> Vec<String> {
        sentences(doc, format).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn casual_writing_may_start_a_sentence_in_lower_case() {
        let doc = "then ozone x4, weekly. now walking 5 miles, etc. and more.";
        assert_eq!(
            texts(doc, DocFormat::Markdown),
            [
                "then ozone x4, weekly.",
                "now walking 5 miles, etc. and more."
            ]
        );
        // Plain text (abstracts) keeps to capitals.
        assert_eq!(texts(doc, DocFormat::Text), [doc]);
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

    /// The spans the general splitter gives a line, its character offsets read as bytes.
    fn general_spans(line: &str) -> Vec<(usize, usize)> {
        let byte_of: Vec<usize> = line
            .char_indices()
            .map(|(i, _)| i)
            .chain([line.len(), line.len() + 1])
            .collect();
        sentences(line, DocFormat::Text)
            .iter()
            .map(|g| (byte_of[g.start], byte_of[g.end]))
            .collect()
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
            "It ends here\u{2026} \u{c9}tudes follow.  ",
        ];
        for line in lines {
            let fast = plain_line_sentence_spans(line).expect("a simple line");
            assert_eq!(fast, general_spans(line), "{line}");
        }
        for not_simple in [
            "- item", "1. item", "a\tb", "a\nb", "", "   ", "***", "x\u{a0}y",
        ] {
            assert!(
                plain_line_sentence_spans(not_simple).is_none(),
                "{not_simple:?}"
            );
        }
    }

    /// Random lines built from the pieces that decide a boundary (stops, closers, openers,
    /// abbreviations, initials, capitals, digits, non-ASCII letters, runs of spaces) split the
    /// same way on both paths.
    #[test]
    fn random_plain_lines_split_as_the_general_splitter_does() {
        use rand::SeedableRng;
        const PIECES: &[&str] = &[
            "Dr",
            "dr",
            "e.g",
            "U.S",
            "al",
            "vs",
            "Fig",
            "x",
            "A",
            "b",
            "J",
            "\u{c9}",
            "\u{e9}t\u{e9}",
            "2",
            "2.5",
            ".",
            ".",
            ".",
            "!",
            "?",
            "\u{2026}",
            "\"",
            "'",
            "\u{201d}",
            "\u{2019}",
            ")",
            "]",
            "\u{bb}",
            "*",
            "_",
            "\u{201c}",
            "\u{2018}",
            "(",
            "[",
            "\u{ab}",
            " ",
            " ",
            " ",
            "  ",
            "\u{3b1}",
            "\u{394}",
            "%",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(12);
        let mut compared = 0;
        for _ in 0..4000 {
            let line = crate::text::testing::random_text(&mut rng, PIECES, 1..24);
            if let Some(fast) = plain_line_sentence_spans(&line) {
                assert_eq!(fast, general_spans(&line), "{line:?}");
                compared += 1;
            }
        }
        assert!(compared > 2000, "only {compared} lines were simple");
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
