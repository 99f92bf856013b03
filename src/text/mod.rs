//! Generic text handling, independent of what the text is used for: reading marked-up
//! documents (plain text, Markdown, HTML) as readable text with an offset map back into the
//! document, and splitting that text into sentences.
//!
//! - [`markup`]: format detection and markup extraction, each character keeping the span of the
//!   document it came from.
//! - [`sentences`](mod@sentences): sentence splitting (abbreviations, initialisms and decimals
//!   do not end a sentence), each sentence keeping its character offsets into the document.
//! - [`patterns`]: regular expressions for fixed patterns, with ASCII word boundaries so that
//!   they stay fast on text that is not ASCII, and gated by the literals every match needs.
//! - [`regex_gate`]: which of a list of patterns can match a text, from the literals every
//!   match must hold, in one pass.
//!
//! Pure functions, no I/O; this module imports nothing else of the crate.

pub mod markup;
pub mod patterns;
pub mod regex_gate;
pub mod sentences;

pub use markup::{BlockKind, DocFormat, detect_format};
pub use sentences::{Sentence, sentences};

/// Helpers for this crate's tests.
#[cfg(test)]
pub(crate) mod testing {
    use rand::RngExt;

    /// A text of random length in `lengths`, made of pieces drawn at random from `pieces`: for
    /// checking a fast path against the rules it replaced.
    pub(crate) fn random_text(
        rng: &mut rand::rngs::StdRng,
        pieces: &[&str],
        lengths: std::ops::Range<usize>,
    ) -> String {
        let len = rng.random_range(lengths);
        (0..len)
            .map(|_| pieces[rng.random_range(0..pieces.len())])
            .collect()
    }
}
