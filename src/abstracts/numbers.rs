//! Numbers as abstracts write them: digits with thousands separators ("1,204", "21 947"),
//! decimals, and numbers in words ("forty-two", "One hundred and twenty", "a single", "twice").
//!
//! [`numbers_in`] finds every number of a sentence with its byte span, so that the fact rules
//! can read "n = 30", "two groups of 40" or "3 to 10 sessions" the same way whichever way the
//! number was written.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::patterns::regex_with_ascii_boundaries;

/// A number found in text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    /// Its value.
    pub value: f64,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// Written in words ("sixty") rather than digits.
    pub in_words: bool,
}

static DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    // Thousands groups with "," or a thin/no-break space, or a plain run of digits, with an
    // optional decimal part. A leading sign or a following digit-letter mix is not a count.
    regex_with_ascii_boundaries(
        r"\d{1,3}(?:(?:,|\u{2009}|\u{202F}|\u{00A0})\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?",
    )
    .expect("valid regex")
});

static SCALE: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(r"(?i)^\s+(thousand|million|billion)\b").expect("valid regex")
});

const UNITS: [(&str, u32); 20] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: [(&str, u32); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

fn unit_word(w: &str) -> Option<u32> {
    // Most words of a sentence are no number: rejected by length and first letter before any
    // comparison.
    if !(3..=9).contains(&w.len())
        || !matches!(
            w.as_bytes()[0],
            b'z' | b'o' | b't' | b'f' | b's' | b'e' | b'n'
        )
    {
        return None;
    }
    UNITS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

fn tens_word(w: &str) -> Option<u32> {
    if !(5..=7).contains(&w.len()) || !matches!(w.as_bytes()[0], b't' | b'f' | b's' | b'e' | b'n') {
        return None;
    }
    TENS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

/// A word in lowercase, borrowed when it already is (most words of an abstract).
pub fn lowercase(word: &str) -> Cow<'_, str> {
    let already_lower = word.chars().all(|c| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        }
    });
    if already_lower {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Words of a sentence with their byte spans ("forty-two" is two words joined by a hyphen).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphabetic() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Every number of `text`, in order, with byte spans into `text`.
pub fn numbers_in(text: &str) -> Vec<Number> {
    let mut out: Vec<Number> = Vec::new();
    for m in DIGITS.find_iter(text) {
        // Not part of a word or code ("COVID-19", "T2", "IL6", "3D").
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(|c| c.is_alphabetic())
            || (before == Some('-')
                && text[..m.start() - 1]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphabetic()))
            || after.is_some_and(|c| c.is_alphabetic() && !is_unit_start(&text[m.end()..]))
        {
            continue;
        }
        let figure = m.as_str();
        let parsed = if figure.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            figure.parse::<f64>()
        } else {
            // Thousands separators ("1,250", "1 250").
            figure
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
                .parse::<f64>()
        };
        if let Ok(value) = parsed {
            // "1.2 million", "98 thousand" (looked for only before a word that may be one).
            let rest = &text[m.end()..];
            let may_scale = rest.starts_with(char::is_whitespace)
                && rest
                    .trim_start()
                    .starts_with(['t', 'T', 'm', 'M', 'b', 'B']);
            let scale = if may_scale {
                SCALE.captures(rest)
            } else {
                None
            };
            let (value, end) = match scale {
                Some(c) => {
                    let factor = match c[1].to_lowercase().as_str() {
                        "thousand" => 1e3,
                        "million" => 1e6,
                        _ => 1e9,
                    };
                    (
                        (value * factor).round(),
                        m.end() + c.get(0).map_or(0, |x| x.end()),
                    )
                }
                None => (value, m.end()),
            };
            out.push(Number {
                value,
                start: m.start(),
                end,
                in_words: false,
            });
        }
    }
    out.extend(word_numbers(text));
    out.sort_by_key(|n| n.start);
    out
}

/// Digits glued to a unit ("10mL", "30µg", "6mo", "12-month") still count as numbers.
fn is_unit_start(rest: &str) -> bool {
    let lower: String = rest.chars().take(6).collect::<String>().to_lowercase();
    [
        "ml", "mcg", "µg", "μg", "ug", "mg", "cc", "mo", "wk", "yr", "y ", "d ", "h ", "x ",
    ]
    .iter()
    .any(|u| lower.starts_with(u))
}

/// Numbers written in words: "sixty", "forty-two", "one hundred and twenty", "two thousand",
/// "a single" (1), "twice"/"thrice" (as counts), "a dozen".
fn word_numbers(text: &str) -> Vec<Number> {
    let ws = words(text);
    let lower: Vec<Cow<'_, str>> = ws.iter().map(|&(s, e)| lowercase(&text[s..e])).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w: &str = &lower[i];
        if w == "single" && i > 0 && lower[i - 1] == "a" {
            out.push(Number {
                value: 1.0,
                start: ws[i - 1].0,
                end: ws[i].1,
                in_words: true,
            });
            i += 1;
            continue;
        }
        if w == "dozen" {
            let (start, value) = if i > 0 && lower[i - 1] == "a" {
                (ws[i - 1].0, 12.0)
            } else {
                (ws[i].0, 12.0)
            };
            out.push(Number {
                value,
                start,
                end: ws[i].1,
                in_words: true,
            });
            i += 1;
            continue;
        }
        if unit_word(w).is_none() && tens_word(w).is_none() {
            i += 1;
            continue;
        }
        // A run of number words: [tens[-unit] | unit] (hundred [and] ...)? (thousand ...)?
        let start = ws[i].0;
        let mut end = ws[i].1;
        let mut total: u64 = 0;
        let mut current: u64 = 0;
        let mut j = i;
        // What the last word was: 0 none, 1 units, 2 tens, 3 hundred, 4 thousand/million.
        let mut last = 0u8;
        while j < ws.len() {
            let w: &str = &lower[j];
            let gap = if j > i {
                &text[ws[j - 1].1..ws[j].0]
            } else {
                ""
            };
            if j > i && !(gap == " " || gap == "-") {
                break;
            }
            if let Some(t) = tens_word(w) {
                if !matches!(last, 0 | 3 | 4) {
                    break;
                }
                current += t as u64;
                last = 2;
            } else if let Some(u) = unit_word(w) {
                let after_tens = last == 2 && (1..10).contains(&u);
                if !(matches!(last, 0 | 3 | 4) || after_tens) {
                    break;
                }
                current += u as u64;
                last = 1;
            } else if w == "hundred" && matches!(last, 1 | 2) && current < 100 {
                current *= 100;
                last = 3;
            } else if (w == "thousand" || w == "million") && matches!(last, 1..=3) {
                total += current * if w == "thousand" { 1_000 } else { 1_000_000 };
                current = 0;
                last = 4;
            } else if w == "and"
                && matches!(last, 3 | 4)
                && j + 1 < ws.len()
                && (unit_word(&lower[j + 1]).is_some() || tens_word(&lower[j + 1]).is_some())
            {
                // "one hundred and twenty"
                j += 1;
                continue;
            } else {
                break;
            }
            end = ws[j].1;
            j += 1;
        }
        out.push(Number {
            value: (total + current) as f64,
            start,
            end,
            in_words: true,
        });
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_pass_the_quick_rejection() {
        for (word, value) in UNITS {
            assert_eq!(unit_word(word), Some(value), "{word}");
        }
        for (word, value) in TENS {
            assert_eq!(tens_word(word), Some(value), "{word}");
        }
        assert_eq!(unit_word("patients"), None);
        assert_eq!(tens_word("ten"), None);
    }

    fn values(text: &str) -> Vec<f64> {
        numbers_in(text).into_iter().map(|n| n.value).collect()
    }

    #[test]
    fn digits_with_separators_and_decimals() {
        assert_eq!(
            values("1,204 cases and 21,947 controls"),
            vec![1204.0, 21947.0]
        );
        assert_eq!(values("mean 14.5 months"), vec![14.5]);
        assert_eq!(values("n = 30"), vec![30.0]);
        assert_eq!(values("10mL of gas"), vec![10.0]);
        assert_eq!(values("1.2 million participants"), vec![1_200_000.0]);
    }

    #[test]
    fn codes_are_not_numbers() {
        assert!(values("COVID-19 and IL6 and T2").is_empty());
    }

    #[test]
    fn words() {
        assert_eq!(values("Forty-two patients"), vec![42.0]);
        assert_eq!(values("One hundred and twenty women"), vec![120.0]);
        assert_eq!(values("twelve months"), vec![12.0]);
        assert_eq!(values("two thousand three hundred adults"), vec![2300.0]);
        assert_eq!(values("a single injection"), vec![1.0]);
        assert_eq!(values("three to five sessions"), vec![3.0, 5.0]);
        assert_eq!(values("two groups of forty"), vec![2.0, 40.0]);
    }

    #[test]
    fn spans_point_at_the_number() {
        let t = "In all, sixty-one adults";
        let n = numbers_in(t);
        assert_eq!(&t[n[0].start..n[0].end], "sixty-one");
    }
}
