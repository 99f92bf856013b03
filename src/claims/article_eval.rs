//! Measuring [`super::article::read_claims`] against hand labels: recall and precision of the
//! claims found, per kind and overall, and how often the kind and the tags agree. Pure: the
//! caller reads the files.
//!
//! # Labels
//!
//! A CSV with the header `article,quote,item,kind,condition,intervention,outcome,note`, one row
//! per claim: `quote` is a verbatim stretch of the article file, found exactly once in it, inside
//! the sentence or list item that makes the claim; `item`, for an element of an in-sentence
//! enumeration, is the element's words; `kind` is one of [`ClaimKind`]; the tags are taxonomy
//! ids separated by `;`.
//!
//! # Matching
//!
//! A claim found matches a label of the same article when its sentence (the list item, for a
//! claim carried by a list) covers the label's quote and, for a label with an item, the claim's
//! own item holds that item's words (or they hold the claim's). Each label matches at most one
//! claim and each claim at most one label. Recall per kind counts the labels of that kind
//! matched by a claim of any kind; precision per kind counts the claims of that kind that match
//! a label. Everything else found (headings, fragments, background) counts against precision.

use std::collections::BTreeMap;

use super::article::ArticleClaim;
use super::values::ClaimKind;
use crate::text::{BlockKind, detect_format, sentences};

/// One labelled claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleLabel {
    /// The article's file name, as the labels name it.
    pub article: String,
    /// A verbatim stretch of the article inside the claim.
    pub quote: String,
    /// The element of an enumeration, if the claim is one.
    pub item: Option<String>,
    /// What the claim asserts.
    pub kind: ClaimKind,
    /// Its tags as `(dimension, id)`.
    pub tags: Vec<(String, String)>,
}

/// Reads labels (see the module documentation); an error names the line.
pub fn parse_labels(csv_text: &str) -> Result<Vec<ArticleLabel>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("the labels have no `{name}` column"))
    };
    let (article, quote, item, kind) = (
        column("article")?,
        column("quote")?,
        column("item")?,
        column("kind")?,
    );
    let dimensions = [
        ("condition", column("condition")?),
        ("intervention", column("intervention")?),
        ("outcome", column("outcome")?),
    ];
    let mut labels = Vec::new();
    for (n, row) in reader.records().enumerate() {
        let line = n + 2;
        let row = row.map_err(|e| format!("line {line}: {e}"))?;
        let field = |i: usize| row.get(i).unwrap_or("").trim().to_string();
        let kind_name = field(kind);
        let kind = kind_name.parse::<ClaimKind>().map_err(|_| {
            format!(
                "line {line}: kind `{kind_name}` is not one of {}",
                ClaimKind::ALL.map(ClaimKind::as_str).join(", ")
            )
        })?;
        let item = Some(field(item)).filter(|i| !i.is_empty());
        let tags = dimensions
            .iter()
            .flat_map(|&(dimension, i)| {
                field(i)
                    .split(';')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| (dimension.to_string(), t.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect();
        labels.push(ArticleLabel {
            article: field(article),
            quote: field(quote),
            item,
            kind,
            tags,
        });
    }
    Ok(labels)
}

/// One article, read: its name as the labels give it, its text, and the claims found in it
/// with their tags.
pub struct ReadArticle<'a> {
    /// The name the labels use.
    pub name: &'a str,
    /// The file's text.
    pub content: &'a str,
    /// What was found, each claim with its tags as `(dimension, id)`.
    pub claims: &'a [(ArticleClaim, Vec<(String, String)>)],
}

/// Counts for one kind (or for all).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct KindScore {
    /// Labels of this kind.
    pub labelled: usize,
    /// Of them, matched by a claim found.
    pub found: usize,
    /// Claims found of this kind.
    pub returned: usize,
    /// Of them, matching a label.
    pub right: usize,
}

impl KindScore {
    /// Share of the labels found.
    pub fn recall(&self) -> Option<f64> {
        (self.labelled > 0).then(|| self.found as f64 / self.labelled as f64)
    }
    /// Share of the claims returned that are labelled claims.
    pub fn precision(&self) -> Option<f64> {
        (self.returned > 0).then(|| self.right as f64 / self.returned as f64)
    }
}

/// A label no claim matched, or a claim no label matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmatched {
    /// The article.
    pub article: String,
    /// The kind labelled (for a miss) or found (for an extra).
    pub kind: ClaimKind,
    /// The quote (for a miss) or the claim (for an extra).
    pub text: String,
}

/// Tag agreement of matched claims in one dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TagScore {
    /// Tags labelled on matched claims.
    pub labelled: usize,
    /// Tags found on matched claims.
    pub returned: usize,
    /// Tags both labelled and found.
    pub agreed: usize,
}

/// The measure of one set of articles.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ArticleEvaluation {
    /// Articles read.
    pub articles: usize,
    /// All kinds together.
    pub overall: KindScore,
    /// Per kind, in [`ClaimKind::ALL`] order.
    pub per_kind: Vec<(ClaimKind, KindScore)>,
    /// Matched claims whose kind agrees with the label.
    pub kind_agreed: usize,
    /// Matched claims.
    pub matched: usize,
    /// Claims carried by a list (labels whose quote lies in a list item) and how many were
    /// found.
    pub list_items: (usize, usize),
    /// Tag agreement per dimension.
    pub tags: BTreeMap<String, TagScore>,
    /// Labels no claim matched.
    pub missed: Vec<Unmatched>,
    /// Claims no label matched.
    pub extra: Vec<Unmatched>,
    /// Labels whose quote is not in their article exactly once.
    pub bad_quotes: Vec<String>,
    /// Claims returned that are a heading, site furniture or a fragment ending in ":" (each
    /// also counts against precision).
    pub headings_or_fragments: usize,
}

/// Scores the claims found in `articles` against `labels`.
pub fn evaluate(articles: &[ReadArticle<'_>], labels: &[ArticleLabel]) -> ArticleEvaluation {
    let mut eval = ArticleEvaluation {
        articles: articles.len(),
        ..ArticleEvaluation::default()
    };
    let mut per_kind: BTreeMap<ClaimKind, KindScore> = BTreeMap::new();
    for article in articles {
        let mine: Vec<&ArticleLabel> = labels
            .iter()
            .filter(|l| l.article == article.name)
            .collect();
        let mut taken = vec![false; article.claims.len()];
        // The article's structure read on its own: list items (a claim in one is carried by a
        // list), headings and site furniture (never claims).
        let blocks = sentences(
            article.content,
            detect_format(article.name, article.content),
        );
        let spans_of = |wanted: fn(BlockKind) -> bool| -> Vec<(usize, usize)> {
            blocks
                .iter()
                .filter(|s| wanted(s.block))
                .map(|s| (s.start, s.end))
                .collect()
        };
        let list_items = spans_of(|b| matches!(b, BlockKind::ListItem));
        let not_claims = spans_of(|b| matches!(b, BlockKind::Heading(_) | BlockKind::Chrome));
        for label in mine {
            per_kind.entry(label.kind).or_default().labelled += 1;
            eval.overall.labelled += 1;
            let Some((qs, qe)) = char_span_once(article.content, &label.quote) else {
                eval.bad_quotes
                    .push(format!("{}: {}", article.name, label.quote));
                continue;
            };
            let covers = |c: &ArticleClaim| c.sentence.start <= qs && qe <= c.sentence.end;
            let item_fits = |c: &ArticleClaim| match (&label.item, &c.item) {
                (None, _) => true,
                (Some(want), Some(got)) => {
                    let (w, g) = (normalise(want), normalise(got));
                    g.contains(&w) || w.contains(&g)
                }
                (Some(_), None) => false,
            };
            let in_list = list_items.iter().any(|&(s, e)| s <= qs && qe <= e);
            let hit = (0..article.claims.len()).find(|&k| {
                !taken[k] && covers(&article.claims[k].0) && item_fits(&article.claims[k].0)
            });
            if in_list {
                eval.list_items.0 += 1;
            }
            match hit {
                Some(k) => {
                    taken[k] = true;
                    let (claim, tags) = &article.claims[k];
                    per_kind.entry(label.kind).or_default().found += 1;
                    eval.overall.found += 1;
                    eval.matched += 1;
                    if in_list {
                        eval.list_items.1 += 1;
                    }
                    if claim.kind == label.kind {
                        eval.kind_agreed += 1;
                    }
                    per_kind.entry(claim.kind).or_default().right += 1;
                    eval.overall.right += 1;
                    for dimension in ["condition", "intervention", "outcome"] {
                        let want: Vec<&String> = label
                            .tags
                            .iter()
                            .filter(|(d, _)| d == dimension)
                            .map(|(_, t)| t)
                            .collect();
                        let got: Vec<&String> = tags
                            .iter()
                            .filter(|(d, _)| d == dimension)
                            .map(|(_, t)| t)
                            .collect();
                        let score = eval.tags.entry(dimension.to_string()).or_default();
                        score.labelled += want.len();
                        score.returned += got.len();
                        score.agreed += want.iter().filter(|t| got.contains(t)).count();
                    }
                }
                None => eval.missed.push(Unmatched {
                    article: article.name.to_string(),
                    kind: label.kind,
                    text: match &label.item {
                        Some(item) => format!("{} [{item}]", label.quote),
                        None => label.quote.clone(),
                    },
                }),
            }
        }
        for (k, (claim, _)) in article.claims.iter().enumerate() {
            let (start, end) = (claim.sentence.start, claim.sentence.end);
            if claim.sentence.text.trim_end().ends_with(':')
                || not_claims.iter().any(|&(s, e)| s < end && start < e)
            {
                eval.headings_or_fragments += 1;
            }
            per_kind.entry(claim.kind).or_default().returned += 1;
            eval.overall.returned += 1;
            if !taken[k] {
                eval.extra.push(Unmatched {
                    article: article.name.to_string(),
                    kind: claim.kind,
                    text: claim.claim.clone(),
                });
            }
        }
    }
    eval.per_kind = ClaimKind::ALL
        .into_iter()
        .map(|k| (k, per_kind.remove(&k).unwrap_or_default()))
        .collect();
    eval
}

/// The character span of the only occurrence of `needle` in `haystack`.
fn char_span_once(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let mut found = haystack.match_indices(needle);
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let start = haystack[..at].chars().count();
    Some((start, start + needle.chars().count()))
}

/// Lowercase words, for comparing items.
fn normalise(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::article::read_claims;
    use crate::text::DocFormat;

    #[test]
    fn claims_are_matched_to_labels_by_quote_and_item() {
        let doc = "## Risks\n\nSerious complications are rare.\n\nOzone is used for problems such as sciatica and neck pain.\n\nRisks and benefits\n";
        let labels = parse_labels(
            "article,quote,item,kind,condition,intervention,outcome,note\n\
             a.md,complications are rare,,safety,,ozone,adverse-events,\n\
             a.md,problems such as,sciatica,indication,sciatica,ozone,,\n\
             a.md,problems such as,neck pain,indication,neck-pain,ozone,,\n\
             a.md,nowhere in the text,,benefit,,,,\n",
        )
        .unwrap();
        let claims: Vec<(ArticleClaim, Vec<(String, String)>)> =
            read_claims(doc, DocFormat::Markdown)
                .into_iter()
                .map(|c| (c, vec![("intervention".to_string(), "ozone".to_string())]))
                .collect();
        let eval = evaluate(
            &[ReadArticle {
                name: "a.md",
                content: doc,
                claims: &claims,
            }],
            &labels,
        );
        assert_eq!(eval.overall.labelled, 4);
        assert_eq!(eval.overall.found, 3);
        assert_eq!(eval.overall.returned, 3);
        assert_eq!(eval.overall.right, 3);
        assert_eq!(eval.bad_quotes.len(), 1);
        assert_eq!(eval.kind_agreed, 3);
        assert_eq!(eval.tags["intervention"].agreed, 3);
        assert_eq!(eval.tags["condition"].agreed, 0);
        let bad =
            parse_labels("article,quote,item,kind,condition,intervention,outcome\na,b,,cure,,,\n")
                .unwrap_err();
        assert!(bad.contains("line 2") && bad.contains("cure"), "{bad}");
    }
}
