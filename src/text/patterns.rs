//! Regular expressions for fixed patterns over running text, compiled so that they stay fast on
//! text that is not ASCII, and gated so that a text without the literals every match needs is
//! not searched at all.

use regex::{CaptureMatches, Captures, Match, Regex};

use super::regex_gate::RegexGate;

/// `pattern` with each word boundary (`\b`, `\B`) made an ASCII one (`(?-u:\b)`).
///
/// A Unicode word boundary stops the regex engine's lazy DFA at the first non-ASCII byte of a
/// text (and most abstracts hold one: "µg", "±", "–"), which then falls back to far slower
/// engines; an ASCII boundary does not. The two differ only next to a non-ASCII letter or digit,
/// which English abstracts hardly put against a pattern's edge word.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Compiles `pattern` with ASCII word boundaries (see [`ascii_word_boundaries`]).
pub fn regex_with_ascii_boundaries(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_word_boundaries(pattern))
}

/// Compiles a fixed pattern of evcat's own rules (see [`regex_with_ascii_boundaries`]); a
/// pattern that does not compile is a bug, caught by the first test that reads it.
pub fn pattern(pattern: &str) -> Regex {
    regex_with_ascii_boundaries(pattern).expect("valid regex")
}

/// A fixed pattern compiled with ASCII word boundaries, with the literals every match needs
/// ([`RegexGate`]): each search first looks for one of them (one fast literal scan) and finds
/// nothing, without running the regex engine, in a text that holds none. The searches answer
/// exactly as [`Regex`]'s do. Worth it only for a pattern the engine's own literal prefilter
/// cannot use (literals in the middle, or in every branch of an alternation): measured per
/// pattern, the gate's scan costs more than the engine's search for most others.
pub struct GatedRegex {
    regex: Regex,
    gate: RegexGate,
}

impl GatedRegex {
    /// Compiles `pattern` (see [`regex_with_ascii_boundaries`]) and reads its literals.
    pub fn new(pattern: &str) -> Result<GatedRegex, regex::Error> {
        let regex = regex_with_ascii_boundaries(pattern)?;
        let gate = RegexGate::new([regex.as_str()]);
        Ok(GatedRegex { regex, gate })
    }

    /// Whether the pattern may match `haystack` (false only when it surely cannot).
    pub fn may_match(&self, haystack: &str) -> bool {
        self.gate.any_possible(haystack)
    }

    /// [`Regex::is_match`].
    pub fn is_match(&self, haystack: &str) -> bool {
        self.may_match(haystack) && self.regex.is_match(haystack)
    }

    /// [`Regex::find`].
    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.may_match(haystack)
            .then(|| self.regex.find(haystack))
            .flatten()
    }

    /// [`Regex::captures`].
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.may_match(haystack)
            .then(|| self.regex.captures(haystack))
            .flatten()
    }

    /// [`Regex::captures_iter`].
    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> std::iter::Flatten<std::option::IntoIter<CaptureMatches<'r, 'h>>> {
        self.may_match(haystack)
            .then(|| self.regex.captures_iter(haystack))
            .into_iter()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii_ones_and_nothing_else_changes() {
        assert_eq!(
            ascii_word_boundaries(r"\bpain\b\s+\\b\Bx\d"),
            r"(?-u:\b)pain(?-u:\b)\s+\\b(?-u:\B)x\d"
        );
        assert_eq!(ascii_word_boundaries(r"(?-u:\b)a"), r"(?-u:(?-u:\b))a");
        assert!(regex::Regex::new(&ascii_word_boundaries(r"(?-u:\b)a")).is_ok());
    }

    /// A gated pattern finds what the plain one finds, in texts with and without its literals,
    /// in any case, and with a character that case-folds to an ASCII letter.
    #[test]
    fn a_gated_pattern_answers_as_the_plain_one() {
        let patterns = [
            r"(?i)\b(?:received|underwent)\s+(?:an?|one)\s+(?:[\w-]+\s+){0,3}?(?:injection|session)\b",
            r"(?i)\bnumber\s+of\s+(?:sessions|injections)\s+(\w+)\b",
            r"\b\d+\s+\w+\b",
        ];
        let texts = [
            "All patients RECEIVED one intradiscal INJECTION.",
            "The number of sessions was six.",
            "Forty patients underwent a single session",
            "nothing to see",
            "12 weeks",
            "the NUMBER of \u{17F}essions was two",
            "",
        ];
        for pattern in patterns {
            let gated = GatedRegex::new(pattern).expect("valid");
            let plain = regex_with_ascii_boundaries(pattern).expect("valid");
            for text in texts {
                assert_eq!(
                    gated.is_match(text),
                    plain.is_match(text),
                    "{pattern} {text:?}"
                );
                assert_eq!(gated.find(text), plain.find(text), "{pattern} {text:?}");
                let spans = |c: Option<Captures<'_>>| c.map(|c| c.get(0).map(|m| m.range()));
                assert_eq!(
                    spans(gated.captures(text)),
                    spans(plain.captures(text)),
                    "{pattern} {text:?}"
                );
                assert_eq!(
                    gated.captures_iter(text).count(),
                    plain.captures_iter(text).count(),
                    "{pattern} {text:?}"
                );
            }
        }
        let injection = GatedRegex::new(patterns[0]).expect("valid");
        assert!(!injection.may_match("nothing to see"));
        assert!(injection.may_match("the NUMBER of \u{17F}essions was two"));
    }
}
