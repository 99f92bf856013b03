//! Text from records and users made safe for where it is shown.
//!
//! - Terminals and line-based files: [`is_control`] characters (C0 controls, DEL, C1 controls
//!   such as the 8-bit CSI U+009B, and the bidirectional embedding, override and isolate
//!   characters that reorder what is shown) are removed; [`terminal_text`] keeps tab and newline.
//! - Spreadsheets: [`csv_cell`] prefixes a cell that a spreadsheet would run as a formula (it
//!   starts with `=`, `+`, `-`, `@`, tab or carriage return) with `'`, as OWASP recommends
//!   ("CSV Injection"). A cell that is entirely a decimal number ("-4.430") is data and is left
//!   as it is.
//! - Markdown: [`markdown_text`] escapes HTML and the characters that make links, code or table
//!   cells; [`markdown_code`] wraps text in a code span that it cannot close.
//!
//! JSON output is not filtered: it is data, and serde escapes control characters.

use std::borrow::Cow;

/// Whether a terminal would act on `c` rather than show it.
pub fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` without [`is_control`] characters, except those in `keep`.
pub fn strip_controls<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_control(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter(|&c| !is_control(c) || keep.contains(&c))
            .collect(),
    )
}

/// Text for a terminal: control characters removed, tab and newline kept.
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    strip_controls(s, &['\n', '\t'])
}

/// Whether `s` is a plain decimal number: an optional sign, digits, an optional fraction.
fn is_number(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !unsigned.ends_with('.')
}

/// A CSV cell: control characters other than tab and line breaks removed and, unless `raw`,
/// a leading formula character neutralised with `'`.
pub fn csv_cell(s: &str, raw: bool) -> Cow<'_, str> {
    let s = strip_controls(s, &['\n', '\r', '\t']);
    if raw || !s.starts_with(['=', '+', '-', '@', '\t', '\r']) || is_number(&s) {
        return s;
    }
    Cow::Owned(format!("'{s}"))
}

/// Text for Markdown (a paragraph or a table cell) that shows as written: control characters and
/// line breaks removed, HTML escaped (`<script>` shows as text), and `\`, `|`, `[`, `]` and
/// backticks escaped so nothing becomes a link, an image, code or an extra table cell.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_control(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `s` as a Markdown code span: fenced with more backticks than it contains in a row, so it
/// cannot close the span early (CommonMark; a cell of a table would still split at `|`).
pub fn markdown_code(s: &str) -> String {
    let s = strip_controls(s, &[]).replace(['\n', '\r', '\t'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Text for HTML element content and double-quoted attributes: control characters removed and
/// `& < > "` escaped.
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(c),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Truncates to `width` characters, with an ellipsis.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A count with its noun: `plural(1, "record")` is "1 record", `plural(2, "record")` "2 records".
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_terminal_controls_only() {
        assert_eq!(
            terminal_text("a\u{1b}[2J\u{7}b\u{7f}c\u{9b}31m\u{202e}d\te\nf"),
            "a[2Jbc31md\te\nf"
        );
        assert!(matches!(terminal_text("Müller α ✓"), Cow::Borrowed(_)));
        // Marks that only set direction are text, not overrides.
        assert_eq!(terminal_text("a\u{200f}b"), "a\u{200f}b");
    }

    #[test]
    fn neutralises_formula_cells() {
        for (cell, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("\u{1b}=1", "'=1"),
            ("-4.430", "-4.430"),
            ("+12", "+12"),
            ("-.5", "-.5"),
            ("-", "'-"),
            ("-1.", "'-1."),
            ("-1e5", "'-1e5"),
            ("-inf", "'-inf"),
            ("ozone = air", "ozone = air"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell, false), safe, "{cell:?}");
        }
        assert_eq!(csv_cell("=1+1", true), "=1+1");
        assert_eq!(csv_cell("a\nb", false), "a\nb");
    }

    #[test]
    fn markdown_text_shows_as_written() {
        assert_eq!(
            markdown_text("<img src=x onerror=alert(1)> a|b [x](javascript:y) `c` \\ &"),
            "&lt;img src=x onerror=alert(1)&gt; a\\|b \\[x\\](javascript:y) \\`c\\` \\\\ &amp;"
        );
        assert_eq!(markdown_text("two\nlines\u{1b}"), "two lines");
    }

    #[test]
    fn markdown_code_cannot_be_closed() {
        assert_eq!(markdown_code("ozone"), "`ozone`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x``"), "``` `x`` ```");
    }
}
