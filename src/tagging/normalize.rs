//! Text normalisation for matching: lowercase, letters and digits kept, hyphens and other
//! punctuation turned into single spaces (so "disc-herniation" matches "disc herniation"), and
//! sentence ends kept as a ` . ` token so negation never reaches across sentences. Every
//! normalised byte maps back to its byte in the original text, so evidence is reported at its
//! original position.

/// A normalised text with its map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// `map[i]`: byte offset in the original of normalised byte `i`; one extra entry for the end.
    map: Vec<u32>,
}

impl Normalized {
    /// The first normalised byte whose original offset is at or after `original_byte`.
    pub fn normalized_index(&self, original_byte: usize) -> usize {
        let text_len = self.text.len();
        self.map[..text_len].partition_point(|&o| (o as usize) < original_byte)
    }

    /// The original byte range `start..end` (end exclusive) of normalised bytes `start..end`.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.map[start] as usize;
        let last = self.map[end.saturating_sub(1).max(start)] as usize;
        let e = last
            + original
                .get(last..)
                .and_then(|rest| rest.chars().next())
                .map_or(0, char::len_utf8);
        (s, e.max(s))
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | ';' | '!' | '?' | ':')
}

/// Normalises a text, keeping the map to original offsets. Works on the text's bytes: an ASCII
/// letter or digit (nearly every byte of an abstract) costs one lowercase copy.
pub fn normalize(original: &str) -> Normalized {
    let bytes = original.as_bytes();
    let mut text: Vec<u8> = Vec::with_capacity(original.len() + 8);
    let mut map: Vec<u32> = Vec::with_capacity(original.len() + 8);
    // Whether the character before is an ASCII digit (a `.` between two digits is a decimal).
    let mut after_digit = false;
    let mut offset = 0;
    while offset < bytes.len() {
        let b = bytes[offset];
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            // A run of lowercase ASCII letters and digits is copied as it stands.
            let mut run = offset + 1;
            while run < bytes.len()
                && (bytes[run].is_ascii_lowercase() || bytes[run].is_ascii_digit())
            {
                run += 1;
            }
            text.extend_from_slice(&bytes[offset..run]);
            map.extend(offset as u32..run as u32);
            after_digit = bytes[run - 1].is_ascii_digit();
            offset = run;
            continue;
        }
        if b.is_ascii_uppercase() {
            text.push(b.to_ascii_lowercase());
            map.push(offset as u32);
            after_digit = false;
            offset += 1;
            continue;
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            original[offset..].chars().next().unwrap_or(' ')
        };
        let width = c.len_utf8();
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                let mut buf = [0u8; 4];
                let encoded = lower.encode_utf8(&mut buf);
                map.extend(std::iter::repeat_n(offset as u32, encoded.len()));
                text.extend_from_slice(encoded.as_bytes());
            }
        } else if c == '.' && after_digit && bytes.get(offset + 1).is_some_and(u8::is_ascii_digit) {
            text.push(b'.');
            map.push(offset as u32);
        } else if is_sentence_end(c) {
            if !text.ends_with(b" ") && !text.is_empty() {
                text.push(b' ');
                map.push(offset as u32);
            }
            if !text.ends_with(b". ") {
                text.extend_from_slice(b". ");
                map.push(offset as u32);
                map.push(offset as u32);
            }
        } else if !text.is_empty() && !text.ends_with(b" ") {
            text.push(b' ');
            map.push(offset as u32);
        }
        after_digit = false;
        offset += width;
    }
    map.push(original.len() as u32);
    Normalized {
        text: String::from_utf8(text).expect("whole characters were copied"),
        map,
    }
}

/// The normalised form of a phrase (no sentence marks), for building matchers.
pub fn normalize_phrase(phrase: &str) -> String {
    let n = normalize(phrase);
    n.text
        .replace(" . ", " ")
        .replace(". ", " ")
        .trim()
        .trim_end_matches('.')
        .trim()
        .to_string()
}

/// Plural forms of a normalised phrase: its last word with `s`, `es`, or `y` → `ies`.
pub fn plural_variants(phrase: &str) -> Vec<String> {
    let mut out = vec![phrase.to_string()];
    let last = phrase.rsplit(' ').next().unwrap_or(phrase);
    if last.chars().count() < 4 || last.chars().all(|c| c.is_ascii_digit()) {
        return out;
    }
    if let Some(stem) = phrase.strip_suffix('y') {
        out.push(format!("{stem}ies"));
    }
    if !phrase.ends_with('s') {
        out.push(format!("{phrase}s"));
    }
    if phrase.ends_with('s')
        || phrase.ends_with('x')
        || phrase.ends_with("ch")
        || phrase.ends_with("sh")
    {
        out.push(format!("{phrase}es"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of [`normalize`] written per character, as they were before it read bytes.
    fn normalize_by_chars(original: &str) -> (String, Vec<u32>) {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut chars = original.char_indices().peekable();
        let mut prev: Option<char> = None;
        while let Some((offset, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    map.extend(std::iter::repeat_n(offset as u32, lower.len_utf8()));
                    text.push(lower);
                }
            } else if c == '.'
                && prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit())
            {
                text.push('.');
                map.push(offset as u32);
            } else if is_sentence_end(c) {
                if !text.ends_with(' ') && !text.is_empty() {
                    text.push(' ');
                    map.push(offset as u32);
                }
                if !text.ends_with(". ") {
                    text.push_str(". ");
                    map.extend([offset as u32; 2]);
                }
            } else if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
                map.push(offset as u32);
            }
            prev = Some(c);
        }
        map.push(original.len() as u32);
        (text, map)
    }

    #[test]
    fn byte_normalisation_follows_the_character_rules() {
        use rand::SeedableRng;
        const PIECES: &[&str] = &[
            "a", "B", "z", "0", "7", ".", ".", ";", ":", "!", "?", " ", "  ", "-", "(", ")", ",",
            "\u{e9}", "\u{c9}", "\u{130}", "\u{df}", "\u{3b1}", "\u{b5}", "\u{2013}", "\u{2264}",
            "\u{ff21}", "\u{661}", "\u{fb01}", "\n",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        for _ in 0..3000 {
            let text = crate::text::testing::random_text(&mut rng, PIECES, 0..30);
            let fast = normalize(&text);
            assert_eq!((fast.text, fast.map), normalize_by_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn punctuation_and_case_fold_away() {
        let n = normalize("Lumbar Disc-Herniation (LDH): p<0.05. Next");
        assert_eq!(n.text, "lumbar disc herniation ldh . p 0.05 . next");
        let start = n.text.find("disc herniation").unwrap();
        let original = "Lumbar Disc-Herniation (LDH): p<0.05. Next";
        let (s, e) = n.original_span(original, start, start + "disc herniation".len());
        assert_eq!(&original[s..e], "Disc-Herniation");
    }

    #[test]
    fn phrases_and_plurals() {
        assert_eq!(normalize_phrase("Herniated-Disk "), "herniated disk");
        assert_eq!(normalize_phrase("--"), "");
        assert!(plural_variants("disc herniation").contains(&"disc herniations".to_string()));
        assert!(plural_variants("injury").contains(&"injuries".to_string()));
        assert_eq!(plural_variants("vas"), ["vas"]);
    }
}
