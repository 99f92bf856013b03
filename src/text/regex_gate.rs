//! A cheap necessary condition for regular expressions (a taxonomy's patterns, the fixed
//! patterns of the fact rules), so that one pass over a text decides which of them can match at
//! all and only those are run.
//!
//! For each pattern, the literals every match must begin with (or end with, or hold as one
//! part of the pattern's top-level sequence, such as "aged" in `an?\s+man\s+aged\s+\d+`) are
//! read from the pattern itself ([`regex_syntax`]'s literal extractor): `\brandomi[sz]ed\W+...`
//! must begin with "randomised" or "randomized", `...\bcontrols\b` must end with "controls".
//! A pattern that is an alternation at the top needs the literals of one of its branches: their
//! union, when every branch has some.
//! One Aho-Corasick automaton holds the literals of all patterns; a field that contains none of
//! a pattern's literals (ASCII case-insensitively) cannot match it. A pattern whose matches share
//! no literal of at least [`MIN_LITERAL_BYTES`] (one that begins with a digit or a word of any
//! spelling) always runs. The gate only skips searches that could find nothing, so what the
//! patterns find is the same with and without it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Hir, HirKind};

/// Shortest literal worth gating on: shorter ones occur in nearly every abstract.
pub const MIN_LITERAL_BYTES: usize = 3;

/// Which of a list of patterns may match a text.
pub struct RegexGate {
    /// Literals of every gated pattern (lowercase ASCII).
    automaton: Option<AhoCorasick>,
    /// Per automaton literal: the index of its pattern.
    literal_pattern: Vec<usize>,
    /// Per pattern: whether it has literals (otherwise it always runs).
    gated: Vec<bool>,
}

impl RegexGate {
    /// Reads the literals of each pattern (the source text of a case-insensitive regex).
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> RegexGate {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut literal_pattern = Vec::new();
        let mut gated = Vec::new();
        for (i, pattern) in patterns.into_iter().enumerate() {
            match required_literals(pattern) {
                Some(lits) => {
                    for lit in lits {
                        literals.push(lit);
                        literal_pattern.push(i);
                    }
                    gated.push(true);
                }
                None => gated.push(false),
            }
        }
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("literals of compiled patterns build an automaton")
        });
        RegexGate {
            automaton,
            literal_pattern,
            gated,
        }
    }

    /// Whether any of the patterns may match `text` (false only when none can): for a gate of
    /// one pattern, whether that one may.
    pub fn any_possible(&self, text: &str) -> bool {
        if self.gated.iter().any(|g| !g) || folds_to_ascii(text) {
            return true;
        }
        self.automaton.as_ref().is_some_and(|ac| ac.is_match(text))
    }

    /// Per pattern: whether it may match `text` (false only when it surely cannot).
    pub fn possible(&self, text: &str) -> Vec<bool> {
        let mut possible: Vec<bool> = self.gated.iter().map(|g| !g).collect();
        // Unicode case folding maps two non-ASCII characters to ASCII letters (KELVIN SIGN to
        // k, LONG S to s), which an ASCII case-insensitive search would not see: such a text
        // runs every pattern.
        if folds_to_ascii(text) {
            possible.fill(true);
            return possible;
        }
        if let Some(ac) = &self.automaton {
            let mut left = possible.iter().filter(|p| !**p).count();
            for m in ac.find_overlapping_iter(text) {
                let p = self.literal_pattern[m.pattern().as_usize()];
                if !possible[p] {
                    possible[p] = true;
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        possible
    }
}

/// Whether `text` holds one of the two non-ASCII characters that Unicode case folding maps to
/// ASCII letters (KELVIN SIGN to k, LONG S to s), which an ASCII case-insensitive search would
/// not see.
fn folds_to_ascii(text: &str) -> bool {
    !text.is_ascii() && text.contains(['\u{212A}', '\u{17F}'])
}

/// The literals one of which every match of `pattern` begins with, ends with, or holds as one
/// part of its top-level sequence, lowercased,
/// or `None` when there is no such set worth searching for.
fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    // Parsed case-sensitively (without a leading `(?i)`): the literals are lowercased and
    // searched case-insensitively, which is what the case-insensitive pattern matches (for
    // ASCII; see `possible`), and a superset of what a case-sensitive one does.
    let pattern = pattern.strip_prefix("(?i)").unwrap_or(pattern);
    let hir = regex_syntax::parse(pattern).ok()?;
    literals_of(&hir)
}

/// [`required_literals`] of a parsed pattern. A top-level alternation needs, in every match,
/// the literals of one of its branches: their union, when every branch has some.
fn literals_of(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let HirKind::Alternation(branches) = hir.kind() {
        let mut union: Vec<Vec<u8>> = Vec::new();
        for branch in branches {
            union.extend(literals_of(branch)?);
        }
        union.sort();
        union.dedup();
        return Some(union);
    }
    // A part of a top-level sequence that matches exactly one of a few literals ("aged" in
    // "a man aged 57") is in every match too.
    let parts: &[Hir] = match hir.kind() {
        HirKind::Concat(parts) => parts,
        _ => &[],
    };
    let inner = parts.iter().filter_map(|part| {
        let seq = Extractor::new().kind(ExtractKind::Prefix).extract(part);
        if seq.is_exact() { usable(seq) } else { None }
    });
    let best = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| usable(Extractor::new().kind(kind).extract(hir)))
        .chain(inner)
        // The longer the shortest literal, the rarer a false "possible".
        .max_by_key(|lits| {
            let shortest = lits.iter().map(Vec::len).min().unwrap_or(0);
            (shortest, std::cmp::Reverse(lits.len()))
        })?;
    Some(best)
}

/// The lowercased literals of a finite sequence, when every one is ASCII and long enough.
fn usable(seq: Seq) -> Option<Vec<Vec<u8>>> {
    let literals = seq.literals()?;
    if literals.is_empty() {
        return None;
    }
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in literals {
        let bytes = lit.as_bytes();
        if bytes.len() < MIN_LITERAL_BYTES || !bytes.is_ascii() {
            return None;
        }
        out.push(bytes.to_ascii_lowercase());
    }
    out.sort();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_come_from_the_better_end_of_a_pattern() {
        let lits = required_literals(r"\brandomi[sz]ed\W+(?:[\w-]+\W+){0,4}?(?:trial|study)\b")
            .expect("literals");
        assert_eq!(lits, vec![b"randomised".to_vec(), b"randomized".to_vec()]);
        let lits =
            required_literals(r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,3}?controls\b").expect("literals");
        assert_eq!(lits, vec![b"controls".to_vec()]);
        // A part in the middle that every match holds.
        let lits =
            required_literals(r"\b(?:a|an)\s+(?:man|woman)\s+aged\s+\d{1,3}\b").expect("literals");
        assert_eq!(lits, vec![b"aged".to_vec()]);
        // Each branch of a top-level alternation brings its own.
        let lits = required_literals(
            r"(?i)\b(?:we|this)\s+(?:report|describe)\s+(?:a|an)\s+\w+|^(?:a|an)\s+(?:\w+\s+){0,4}?case\s+of\b",
        )
        .expect("literals");
        assert_eq!(
            lits,
            vec![b"case".to_vec(), b"describe".to_vec(), b"report".to_vec()]
        );
        // A branch with none leaves the whole alternation ungated.
        assert_eq!(required_literals(r"\brandomi[sz]ed\b|\d+"), None);
        // Nothing shared at either end: the pattern always runs.
        assert_eq!(required_literals(r"\b\w+\s+\d+\b"), None);
        assert_eq!(required_literals(r"(?:ab|cd)\d+(?:ef|x)"), None);
    }

    #[test]
    fn the_gate_skips_only_patterns_that_cannot_match() {
        let patterns = [
            r"\brandomi[sz]ed\W+(?:[\w-]+\W+){0,4}?(?:trial|study)\b",
            r"\b\d+\s+controls\b",
            r"\b\d+\s+\w+\b",
        ];
        let gate = RegexGate::new(patterns);
        let compiled: Vec<regex::Regex> = patterns
            .iter()
            .map(|p| {
                regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .unwrap()
            })
            .collect();
        for text in [
            "A RANDOMISED controlled trial of 40 patients",
            "12 healthy CONTROLS were enrolled",
            "nothing here",
            "a randomi\u{17F}ed trial",
            "40 \u{212A}ontrols",
            "",
        ] {
            let possible = gate.possible(text);
            for (re, may) in compiled.iter().zip(&possible) {
                assert!(
                    *may || !re.is_match(text),
                    "{text:?}: {re} was skipped but matches"
                );
            }
        }
        assert!(gate.possible("a randomi\u{17F}ed trial")[0]);
        assert_eq!(gate.possible("nothing here"), vec![false, false, true]);
        assert_eq!(gate.possible("a Randomized trial"), vec![true, false, true]);
    }
}
