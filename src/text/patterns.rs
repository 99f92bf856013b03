//! Regular expressions for fixed patterns over running text, compiled so that they stay fast on
//! text that is not ASCII.

use regex::Regex;

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
}
