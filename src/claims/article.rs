//! Reading the claims an article makes, the way a fact-checker reads it: headings are context,
//! never claims; a lead-in ("X injections are mainly used for several painful conditions,
//! including:") makes one claim with each list item below it; an enumeration inside a sentence
//! ("used for problems such as sciatica, neck pain and stenosis") makes one claim per element;
//! and every claim says what kind of claim it is ([`ClaimKind`]). Pure: no I/O, no catalogue.
//!
//! # What makes a claim, and its kind
//!
//! A sentence (or list item, or lead-in with its item, or table cell with its row and column) is
//! a claim when it says one of these things, tried in this order (the first that fits is the
//! kind):
//!
//! - **indication**, when a guideline recommends or advises against something ("NICE
//!   recommends exercise first");
//! - **study**: where evidence comes from and what it showed (a source such as *study, trial,
//!   review, research, journal* with a finding such as *found, showed, reduced*, or a verdict on
//!   the evidence: *mixed, thinner, the best evidence*); a study that reports only harm is a
//!   safety claim;
//! - **indication**, when said outright: who should not have it, what it is reserved for, what
//!   "we treat" (a contraindication names harms, but claims what the treatment is for);
//! - **safety**: side effects, risks, complications, harm, or that the treatment is safe (a harm
//!   said as spared, "cut the risk of a flare-up", is a benefit);
//! - **protocol**: how much treatment: sessions, injections or visits counted or spaced ("four
//!   to eight visits, a fortnight apart", "two or three injections over a month"), a dose or
//!   concentration, how long a session takes;
//! - **course**: how patients fare over time ("most people return to work within a few days",
//!   "relief usually starts after the second session", "the effect lasts six months");
//! - **indication**: what the treatment is for ("is used to treat", "suitable for people
//!   with", a lead-in of conditions);
//! - **benefit**: that it does good ("helps", "can relieve", "reduces pain", "took the edge
//!   off", "I could finally sleep", how it works), said of a treatment, of what care changes or
//!   by a person of themselves.
//!
//! A list item under a heading of risks, benefits or conditions that says none of these takes
//! its kind from the heading. Never claims: headings and site furniture ([`BlockKind`]),
//! questions, calls to action and advice to the reader, emergency instructions and their lists,
//! sentences about the article itself, prices, letters' salutations, fragments of a few words
//! without final punctuation, and lead-ins themselves (their items are the claims).

use std::sync::LazyLock;

use regex::Regex;

use super::cues::claim_cues;
use super::values::ClaimKind;
use crate::text::{BlockKind, DocFormat, Sentence, sentences};

/// A stretch of the article: its text and character offsets into the document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    /// The text (markup removed).
    pub text: String,
    /// Character offset of its start.
    pub start: usize,
    /// Character offset just past its end.
    pub end: usize,
}

/// One claim an article makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleClaim {
    /// What it asserts.
    pub kind: ClaimKind,
    /// The claim in words of its own: the sentence, or the lead-in joined with one list item or
    /// the sentence narrowed to one element of its enumeration.
    pub claim: String,
    /// The sentence or list item as the article has it.
    pub sentence: Span,
    /// The lead-in the list item completes, for a claim carried by a list.
    pub lead_in: Option<Span>,
    /// The element of an enumeration (or the list item) the claim is about.
    pub item: Option<String>,
    /// The heading above it.
    pub section: Option<String>,
}

/// Reads the claims of a document.
pub fn read_claims(content: &str, format: DocFormat) -> Vec<ArticleClaim> {
    let all = sentences(content, format);
    let mut claims = Vec::new();
    let mut section: Option<String> = None;
    // The first cell of the current table row, which the other cells answer.
    let mut row: Option<&Sentence> = None;
    // The current table's column headings, and which cell of the row is being read (the row's
    // heading is cell 0).
    let mut columns: Vec<String> = Vec::new();
    let mut cell = 0;
    // List items already read with their lead-in.
    let mut consumed = std::collections::BTreeSet::new();
    let mut i = 0;
    while i < all.len() {
        let s = &all[i];
        match s.block {
            BlockKind::Heading(_) => {
                section = Some(s.text.trim_end_matches([':', ' ']).to_string());
                i += 1;
                continue;
            }
            BlockKind::Chrome => {
                i += 1;
                continue;
            }
            BlockKind::ColumnHeading => {
                // A new header row starts the table's columns again.
                if i == 0 || all[i - 1].block != BlockKind::ColumnHeading {
                    columns.clear();
                }
                columns.push(s.text.trim_end_matches([':', ' ']).to_string());
                i += 1;
                continue;
            }
            BlockKind::RowHeading => {
                row = Some(s);
                cell = 0;
                i += 1;
                continue;
            }
            BlockKind::TableCell => {
                // A cell says what it says of its row: "How long does it last?" + "Usually 9 to
                // 24 months".
                cell += 1;
                let text = clean_item(&s.text);
                if is_call_to_action(&text) {
                    i += 1;
                    continue;
                }
                // ... and of its column, when the table heads its columns ("Epidural steroid
                // — Relief usually lasts: Days to months").
                let head = row.map(|r| r.text.trim_end_matches([':', ' ']).to_string());
                let claim = match (head, columns.get(cell)) {
                    (Some(head), Some(column)) => format!("{head} \u{2014} {column}: {text}"),
                    (Some(head), None) => format!("{head} {text}"),
                    (None, Some(column)) => format!("{column}: {text}"),
                    (None, None) => text.clone(),
                };
                let cell_text = text;
                if let Some(kind) = kind_of(&claim, section.as_deref(), true) {
                    // A cell listing what its row does makes a claim of each ("Builds strength,
                    // flexibility and confidence in moving").
                    let listed = matches!(kind, ClaimKind::Indication | ClaimKind::Benefit)
                        .then(|| enumeration(&cell_text))
                        .flatten();
                    let prefix = &claim[..claim.len() - cell_text.len()];
                    let made: Vec<(String, String)> = match listed {
                        Some((head, elements)) => elements
                            .into_iter()
                            .map(|e| (format!("{prefix}{head}{e}"), e))
                            .collect(),
                        None => vec![(claim.clone(), cell_text.clone())],
                    };
                    for (claim, item) in made {
                        claims.push(ArticleClaim {
                            kind,
                            claim,
                            sentence: span_of(s),
                            lead_in: row.map(span_of),
                            item: Some(item),
                            section: section.clone(),
                        });
                    }
                }
                i += 1;
                continue;
            }
            // A table's headings end with the table.
            _ => columns.clear(),
        }
        if consumed.contains(&i) {
            i += 1;
            continue;
        }
        // A lead-in and the list below it: the lead-in with each item's first sentence is a
        // claim; an item's further sentences are read on their own.
        if let Some(head) = lead_in(&s.text) {
            let items = list_after(&all, i);
            // "Stop your exercises and call 999 if you have any of these:": what to do in an
            // emergency, no claims. ("Tell the clinic, because an injection may not be safe if
            // you:" does list claims.)
            if EMERGENCY.is_match(head) && !items.is_empty() {
                consumed.extend(items);
                i += 1;
                continue;
            }
            if !items.is_empty() {
                for &k in &items {
                    let item = &all[k];
                    consumed.insert(k);
                    // An item that is a sentence of its own ("Ozone is not for everyone, and
                    // clinics will not offer it in pregnancy.") says its claim itself.
                    if is_whole_sentence(&item.text) {
                        sentence_claims(item, section.as_deref(), &mut claims);
                        continue;
                    }
                    let item_text = clean_item(&item.text);
                    // An instruction ("Keep moving", "Ask the clinic ...") is advice, unless it
                    // says a claim itself ("Get back to the activities you love").
                    if (IMPERATIVE.is_match(&item_text) || is_call_to_action(&item_text))
                        && kind_of(&item_text, section.as_deref(), true).is_none()
                    {
                        continue;
                    }
                    let claim = join_lead_in(head, &item_text);
                    // The lead-in may be a request ("Please tell us if any of the following
                    // apply to you:"): then the item and its heading say the claim.
                    let kind = kind_of(&claim, section.as_deref(), true)
                        .or_else(|| kind_of(&item_text, section.as_deref(), true));
                    if let Some(kind) = kind {
                        claims.push(ArticleClaim {
                            kind,
                            claim,
                            sentence: span_of(item),
                            lead_in: Some(span_of(s)),
                            item: Some(item_text),
                            section: section.clone(),
                        });
                    }
                }
                i += 1;
                continue;
            }
        }
        sentence_claims(s, section.as_deref(), &mut claims);
        i += 1;
    }
    claims
}

/// The claims one sentence (or list item) makes on its own: none, one, or one per element of
/// its enumeration.
fn sentence_claims(s: &Sentence, section: Option<&str>, claims: &mut Vec<ArticleClaim>) {
    // A transcript's speaker ("DR OKONJO-WARD: ...") is no part of what is said.
    let speaker = SPEAKER.find(&s.text).map_or(0, |m| m.end());
    let said = Sentence {
        text: s.text[speaker..].to_string(),
        ..s.clone()
    };
    let s = &said;
    let section_owned = section.map(str::to_string);
    let list_item = s.block == BlockKind::ListItem;
    if !list_item && is_fragment(&s.text) {
        return;
    }
    let Some(kind) = kind_of(&s.text, section, list_item) else {
        return;
    };
    // A short list item is one claim already ("Back to the garden, the golf course and the
    // grandchildren").
    let short_item = list_item && s.text.split_whitespace().count() < 12;
    let elements = if matches!(kind, ClaimKind::Indication | ClaimKind::Benefit) && !short_item {
        enumeration(&s.text)
    } else {
        None
    };
    match elements {
        Some((head, elements)) => {
            for element in elements {
                let claim = if head.is_empty() {
                    // A clause standing as a claim of its own opens with a capital.
                    let mut chars = element.chars();
                    chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default()
                } else {
                    format!("{head}{element}")
                };
                claims.push(ArticleClaim {
                    kind,
                    claim,
                    sentence: span_of(s),
                    lead_in: None,
                    item: Some(element),
                    section: section_owned.clone(),
                });
            }
        }
        None => claims.push(ArticleClaim {
            kind,
            // A short item under a heading says its heading's claim ("Conditions we treat:
            // herniated discs").
            claim: match section {
                Some(heading) if list_item && s.text.split_whitespace().count() < 6 => {
                    join_lead_in(&format!("{heading}:"), &clean_item(&s.text))
                }
                _ => s.text.clone(),
            },
            sentence: span_of(s),
            lead_in: None,
            item: None,
            section: section_owned,
        }),
    }
}

fn span_of(s: &Sentence) -> Span {
    Span {
        text: s.text.clone(),
        start: s.start,
        end: s.end,
    }
}

/// A lead-in: a sentence ending in ":" (or in "including", "such as", "include"), without the
/// colon.
fn lead_in(text: &str) -> Option<&str> {
    static OPEN_ENDED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:including|such\s+as|include|includes|are|is|like)\s*$").unwrap()
    });
    let t = text.trim();
    if let Some(head) = t.strip_suffix(':') {
        return Some(head.trim_end());
    }
    OPEN_ENDED.is_match(t).then_some(t)
}

/// The indices of the list items that follow sentence `i` (the first sentence of each item
/// block), up to the first block that is not a list item.
fn list_after(all: &[Sentence], i: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut last_block = all[i].block_index;
    for (k, s) in all.iter().enumerate().skip(i + 1) {
        if s.block != BlockKind::ListItem {
            break;
        }
        if s.block_index != last_block {
            items.push(k);
            last_block = s.block_index;
        }
    }
    items
}

/// Whether a list item is a sentence of its own: capitalised, at least six words, ending with
/// a full stop.
fn is_whole_sentence(text: &str) -> bool {
    let t = text.trim();
    t.split_whitespace().count() >= 6
        && t.starts_with(|c: char| c.is_uppercase())
        && t.trim_end_matches(crate::text::sentences::CLOSERS)
            .ends_with(['.', '!'])
}

/// A list item as a claim's complement: without its final full stop or semicolon.
fn clean_item(text: &str) -> String {
    text.trim()
        .trim_end_matches(['.', ';', ','])
        .trim()
        .to_string()
}

/// The lead-in completed by one item: "X is used for several conditions, including" +
/// "sciatica" → "X is used for several conditions, including sciatica"; "Typical side effects
/// include" + "headache" → "Typical side effects include headache".
fn join_lead_in(head: &str, item: &str) -> String {
    let head = head.trim_end_matches([',', ';', ' ']);
    // "Herniated or bulging discs" continues the sentence in lower case; "MRI-confirmed ..."
    // and names keep their capitals.
    let mut chars = item.chars();
    let item = match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(item.chars().skip(1)).collect()
        }
        _ => item.to_string(),
    };
    format!("{head} {item}")
}

/// A fragment is no claim: a lead-in with nothing after it, two words, a few words without
/// final punctuation.
fn is_fragment(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    // A few words without final punctuation are a heading in all but name ("Risks and
    // benefits").
    let unpunctuated = t
        .trim_end_matches(crate::text::sentences::CLOSERS)
        .ends_with(|c: char| c.is_alphanumeric());
    t.ends_with(':') || words < 3 || unpunctuated && words <= 6
}

/// `text` without its bracketed asides ("(this is an emergency)").
fn without_asides(text: &str) -> std::borrow::Cow<'_, str> {
    static ASIDE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^()]*\)").unwrap());
    ASIDE.replace_all(text, "")
}

/// The kind of claim a text makes, if any (see the module documentation). `section` is the
/// heading above it; `item` says the text is a list item or an item joined to its lead-in,
/// which may be short.
pub fn kind_of(text: &str, section: Option<&str>, item: bool) -> Option<ClaimKind> {
    let t = text.trim();
    // An instruction followed by what the writer found ("Ask the clinic how many sessions you
    // will need; most people I have spoken to needed between three and six"): the clause after
    // the semicolon says the claim.
    if let Some((advice, rest)) = t.split_once("; ")
        && (is_call_to_action(advice) || IMPERATIVE.is_match(advice))
    {
        return kind_of(rest, section, item);
    }
    let bare = t.trim_end_matches(crate::text::sentences::CLOSERS);
    // (A letter's salutation opens a letter, not a claim: "Dear Nell, ...".)
    if bare.ends_with('?')
        || is_call_to_action(bare)
        || (!item && is_fragment(t))
        || bare.starts_with("Dear ")
        || PRICE.is_match(bare) && !STUDY_SOURCE.is_match(bare)
        || bare.starts_with("\"Dear ")
    {
        return None;
    }
    // An imperative that ends in "!" and promises an effect is a slogan, not advice ("Walk out
    // smiling the very same day!").
    let slogan = bare.ends_with('!') && (COURSE.is_match(t) || BENEFIT.is_match(t));
    // (An aside in brackets does not change what a sentence is: "you have trouble controlling
    // your bladder (this is an emergency, so go straight to A&E)".)
    if ASKS_WHETHER.is_match(t)
        || ADVICE.is_match(t)
        || (!item && !slogan && IMPERATIVE.is_match(t))
        || EMERGENCY.is_match(&without_asides(t))
        || ABOUT_THE_TEXT.is_match(t)
    {
        return None;
    }
    // The words just before a match (a sentence of any length costs the same per match).
    let just_before = |at: usize| {
        let from = t[..at].char_indices().rev().nth(60).map_or(0, |(i, _)| i);
        &t[from..at]
    };
    // What a study is (who it followed, what it measured) or will be is no finding.
    if DESIGN_ONLY.is_match(t) && !BENEFIT.is_match(t) && !STUDY_VERB.is_match(t)
        || PLANNED.is_match(t)
    {
        return None;
    }
    // A trial's group with what happened to it ("8% of the ozone group went on to have an
    // operation") reports the trial's finding.
    let study = STUDY_SOURCE.is_match(t)
        && (!claim_cues(t).is_empty() || STUDY_VERB.is_match(t) || CHANGED.is_match(t))
        || TRIAL_ARM
            .find_iter(t)
            .any(|m| !NONE_BEFORE.is_match(just_before(m.start())))
            && (t.contains(|c: char| c.is_ascii_digit())
                || BENEFIT.is_match(t)
                || COURSE.is_match(t)
                || COMPARED.is_match(t)
                || QUANTITY.is_match(t));
    // A harm said as spared ("cut the risk of another flare-up", "without the side effects of
    // steroids") is a benefit, not a safety claim.
    let safety = SAFETY
        .find_iter(t)
        .any(|m| !SPARED_BEFORE.is_match(just_before(m.start())))
        || SAFETY.is_match(t) && !BENEFIT.is_match(t);
    // What a guideline recommends is an indication ("NICE recommends exercise first").
    if GUIDELINE.is_match(t) {
        return Some(ClaimKind::Indication);
    }
    // A study that reports only harm is a safety claim.
    if study && (!safety || BENEFIT.is_match(t)) {
        return Some(ClaimKind::Study);
    }
    if INDICATION_STRONG.is_match(t) {
        return Some(ClaimKind::Indication);
    }
    if safety {
        return Some(ClaimKind::Safety);
    }
    // "we offer two modern injection treatments" counts what a clinic has, not a course.
    if PROTOCOL
        .find_iter(t)
        .any(|m| !OFFERED_BEFORE.is_match(just_before(m.start())))
    {
        return Some(ClaimKind::Protocol);
    }
    // A time that only qualifies an improvement ("can reduce pain within a couple of weeks")
    // leaves it a benefit.
    let only_qualified = IMPROVES.is_match(t)
        && COURSE
            .find_iter(t)
            .all(|m| TIME_QUALIFIER.is_match(m.as_str()));
    // Effects listed after a modal ("can reduce pain, cut the need for painkillers and get
    // them back to work sooner") are benefits, whatever time one of them names.
    let listed_effects = IMPROVES.is_match(t) && modal_list(t).is_some();
    if COURSE.is_match(t) && !only_qualified && !listed_effects {
        return Some(ClaimKind::Course);
    }
    // What a treatment has been used for in history ("in Italy since the 1980s") is no claim of
    // what it is for.
    if INDICATION.is_match(t) && !HISTORY.is_match(t) {
        return Some(ClaimKind::Indication);
    }
    if BENEFIT.is_match(t) && (item || ABOUT_CARE.is_match(t)) {
        return Some(ClaimKind::Benefit);
    }
    // A list item under a heading of risks or benefits says one of them ("Bruising", "Less
    // pain"): the heading gives the kind.
    if item && let Some(heading) = section {
        if SAFETY_HEADING.is_match(heading) {
            return Some(ClaimKind::Safety);
        }
        if BENEFIT_HEADING.is_match(heading) {
            return Some(ClaimKind::Benefit);
        }
        if INDICATION_HEADING.is_match(heading) {
            return Some(ClaimKind::Indication);
        }
    }
    None
}

/// An enumeration in a sentence: what comes before its first element and the elements
/// ("commonly used for problems such as " + ["sciatica", "neck pain", "spinal stenosis"]).
/// At least two elements, each of at most six words.
fn enumeration(text: &str) -> Option<(String, Vec<String>)> {
    static CUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:such\s+as|including|like|for\s+(?:example|instance),?|e\.g\.,?|especially(?:\s+if\s+you\s+have)?|particularly|namely)\s+").unwrap()
    });
    // The enumeration ends where the sentence goes on: a bracket, a dash, a clause of its own
    // (", which sounds ...", ", but the review ...").
    static GOES_ON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[(\u{2013}\u{2014}]|,\s*(?:which|who|but|so|although|though|because|while|where|as|and\s+(?:it|they|this|these|the|you|we)|that)\b|\s+(?:is|are|was|were|can|may|will)\s").unwrap()
    });
    // A list set out after a colon, with semicolons or commas: "mostly minor: a bit of
    // soreness; a heavy feeling; occasionally a headache", "reserved for a minority: people
    // with severe leg weakness, problems controlling the bladder or sciatica that has not
    // improved".
    static WHOM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:people|patients|those|adults|anyone)\s+(?:with|who\s+have)\s+)")
            .unwrap()
    });
    if let Some((head, rest)) = text.split_once(": ") {
        let rest = rest.trim_end_matches(['.', '!']);
        let elements: Vec<String> = if rest.contains(';') {
            rest.split(';')
                .map(|e| e.trim().trim_start_matches("and ").trim().to_string())
                .filter(|e| !e.is_empty())
                .collect()
        } else {
            // "people with A, B or C": the common opening words belong to the head.
            let opening = WHOM.find(rest).map_or(0, |m| m.end());
            split_elements(&rest[opening..])
        };
        let short = elements.iter().all(|e| e.split_whitespace().count() <= 16);
        // Two parts after a colon are a list only of people ("people with A or B"); a turn
        // ("..., but they are not evidence") is none.
        let listed = elements.len() >= 3 || rest.contains(';') && elements.len() >= 2;
        let turn = elements.iter().any(|e| {
            let first = e.split_whitespace().next().unwrap_or("").to_lowercase();
            matches!(first.as_str(), "but" | "although" | "though" | "yet" | "so")
        });
        if (listed || WHOM.is_match(rest) && elements.len() >= 2) && short && !turn {
            return Some((format!("{head}: "), elements));
        }
    }
    if let Some(found) = verb_list(text).or_else(|| modal_list(text)) {
        return Some(found);
    }
    if let Some(found) = contraindications(text).or_else(|| repeated_clauses(text)) {
        return Some(found);
    }
    let Some(m) = CUE.find_iter(text).last() else {
        return listed_together(text).or_else(|| listed_after_preposition(text));
    };
    let head = &text[..m.end()];
    let rest = text[m.end()..].trim_end_matches(['.', '!', ';']);
    let rest = rest.split(';').next().unwrap_or(rest);
    // (A bracket closed before the list ends is a parenthesis: "narrowing of the spinal canal
    // (spinal stenosis), stiff necks and old sports injuries".)
    let rest = GOES_ON
        .find_iter(rest)
        .find(|g| !(g.as_str() == "(" && rest[g.end()..].contains(')')))
        .map_or(rest, |g| &rest[..g.start()]);
    let elements = split_elements(rest);
    // (Words in brackets do not count: "narrowing of the spinal canal (spinal stenosis)".)
    let short = elements.iter().all(|e| {
        let outside = match (e.find('('), e.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{}", &e[..open], &e[close + 1..])
            }
            _ => e.clone(),
        };
        outside.split_whitespace().count() <= 6
    });
    (elements.len() >= 2 && short).then(|| (head.to_string(), elements))
}

/// Verbs listed after a modal: "exercise can strengthen the deep core muscles, improve
/// flexibility, lift your mood and cut the risk of another flare-up" (three or more).
fn modal_list(text: &str) -> Option<(String, Vec<String>)> {
    static MODAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(.*?\b(?:can|may|will|could|helps?(?:\s+to)?|aims?\s+to)\s+)([a-z]+\b.*)$",
        )
        .unwrap()
    });
    if let Some(c) = MODAL.captures(text.trim_end_matches(['.', '!'])) {
        // Verb phrases: the last piece splits at its first "and" ("help you sleep at night and
        // make it easier to walk and exercise").
        let mut elements: Vec<String> = c[2].split(", ").map(|p| p.trim().to_string()).collect();
        if let Some(last) = elements.pop() {
            let last = last.strip_prefix("and ").unwrap_or(&last).to_string();
            match last.split_once(" and ") {
                Some((a, b)) if !elements.is_empty() => {
                    elements.push(a.to_string());
                    elements.push(b.to_string());
                }
                _ => elements.push(last),
            }
        }
        let verbs = elements.iter().all(|e| {
            let words = e.split_whitespace().count();
            // (A clause with its own verb is no element: "physiotherapy have not been enough".)
            let own_verb = [
                " have ", " has ", " is ", " are ", " was ", " were ", " been ",
            ]
            .iter()
            .any(|v| format!(" {e} ").contains(v));
            (1..=10).contains(&words)
                && e.starts_with(|ch: char| ch.is_lowercase())
                && !own_verb
                && !opens_a_phrase(e)
        });
        // "can help with slipped discs, worn discs and neck pain" lists what it helps with, not
        // verbs.
        let objects = elements
            .first()
            .is_some_and(|e| e.starts_with("help with ") || e.starts_with("helps with "));
        if elements.len() >= 3 && verbs && !objects {
            return Some((c[1].to_string(), elements));
        }
    }
    None
}

/// Research said to have rated, supported or shown something (beyond the cues of
/// [`super::cues`]).
static STUDY_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:rated|rates|rate|support(?:s|ed)?|indicat(?:es|ed)|recommend(?:s|ed)?|conclud\w*|suggest\w*|found|finds|show\w*|report\w*|says?|said|(?:thin|weak|strong|limited|mixed|conflicting|poor|good|solid|patchy)(?:er)?\s+(?:results?|evidence)?|thinner|weaker|stronger|(?:best|strongest|weakest|most|least|better)\s+(?:\w+\s+)?evidence)\b").unwrap()
});

/// Words that spare a harm ("cut the risk of", "without the side effects of").
static SPARED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:cut|cuts|cutting|reduc\w*|lower\w*|lessen\w*|without|avoid\w*|prevent\w*|fewer|less|stop\w*|help(?:s|ed|ing)?\s+(?:with|for)|reliev\w*|eas(?:e|es|ed|ing)|treat\w*|sooth\w*)\s+(?:[\w-]+,?\s+){0,6}$").unwrap()
});

/// What a treatment is for, said outright: it wins over the harms a contraindication names
/// ("clinics will not offer it to people with a bleeding disorder").
static INDICATION_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:we|they|it|physios?|physiotherapists?|doctors?|clinics?|surgeons?)\s+(?:also\s+|can\s+|often\s+)?treat\b|(?:is|are)\s+not\s+(?:usually\s+|normally\s+|routinely\s+|generally\s+|currently\s+)?(?:offered|recommended|given)\b|(?:would\s+not|wouldn't|wouldn’t)\s+(?:offer|give|recommend|treat)\b|(?:is|are)\s+(?:generally\s+|usually\s+|best\s+)?avoided\b|not\s+(?:meant|intended|designed)\s+for\b|not\s+(?:right|suitable|for)\s+everyone|(?:is|are)(?:n't|n’t|\s+not)\s+(?:for\s+you|suitable|right\s+for)|will\s+not\s+(?:offer|treat|give)|won't\s+(?:offer|treat|give)|not\s+(?:something|one)\s+(?:they|we|doctors?|clinics?|surgeons?)(?:'d|’d|\s+would|\s+will)\s+(?:do|offer|give|recommend)|(?:should\s+not|shouldn't|shouldn’t|must\s+not)\s+(?:have|be\s+given|receive|get)|contraindicat\w+|not\s+(?:be\s+)?suitable|reserved\s+for|indicated\s+for|(?:is|are)\s+(?:mainly\s+|mostly\s+|commonly\s+|often\s+|usually\s+|also\s+)?used\s+(?:to\s+treat|for|when|if|as)|used\s+(?:when|if|where)\b|\buse[sd]?\s+(?:[\w-]+\s+){0,3}?as\s+a\s+(?:test|treatment|way))").unwrap()
});

/// A guideline's recommendation, or advice against a treatment.
static GUIDELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:guidelines?|nice|guidance)\b[^.;]{0,60}?\b(?:recommend\w*|advis\w*|suggest\w*|endorse\w*|tell\s+you\s+to|say\s+to|says?\s+(?:that\s+)?[^.;]{0,60}?\bshould)|\b(?:advis|recommend)(?:es|e|ed|s)?\s+against\b").unwrap()
});

/// Since when something has been done: "since the 1980s", "for decades".
static HISTORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsince\s+(?:the\s+)?(?:\d{4}s?|\d{2}s)\b|\bfor\s+(?:decades|centuries)\b|\bfor\s+(?:more\s+than\s+|over\s+|nearly\s+|almost\s+)?(?:\d+|ten|twenty|thirty|forty|fifty|sixty|a\s+hundred)\s+years\b")
        .unwrap()
});

/// A trial's arm: "the ozone group", "both groups", "those given the sham jab".
static TRIAL_ARM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:ozone|placebo|sham|control|steroid|treatment|surgery|surgical|comparison|dummy|exercise|physio\w*|injection|usual[-\s]care|both|each|two|three|other)\s+(?:arms?|groups?)\b|\bthose\s+(?:given|who\s+(?:had|got|received))\s+the\s+(?:sham|dummy|placebo|real)\b").unwrap()
});

/// Arms compared: "look much the same", "against 14 in the steroid group".
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:same|similar|differ\w*|gap|than|against|versus|vs)\b").unwrap()
});

/// A share said in words: "one in eight", "half", "per cent".
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+\w+|half|a\s+third|a\s+quarter|per\s*cent)\b").unwrap()
});

/// A thing said to be missing, just before it: "with no comparison group".
static NONE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:no|without(?:\s+an?)?|lacked\s+an?|lacking\s+an?)\s+$").unwrap()
});

/// What a study is, not what it found: who it followed or recruited.
static DESIGN_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:followed|recruited|enrolled|involved|included|randomly\s+assigned|randomi[sz]ed)\s+(?:\d[\d,]*|[\w-]+\s+hundred|(?:almost|nearly|more\s+than|over|about)\s+\d[\d,]*)\s+(?:[\w-]+\s+){0,2}?(?:adults|patients|people|men|women|volunteers|participants)\b").unwrap()
});

/// Research still to come: "a larger trial was now being planned".
static PLANNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:trials?|stud(?:y|ies)|research)\b[^.;]{0,80}?\b(?:is|was|are|were)\s+(?:now\s+)?(?:being\s+planned|planned|under\s+way|underway|due\s+to\s+start)\b").unwrap()
});

/// What a treatment changed, as a finding says it ("reduced leg pain", "improved function").
static CHANGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:reduc(?:ed|es|ing)|reliev(?:ed|es|ing)|eas(?:ed|es)|improv(?:ed|es|ing)|lower(?:ed|s)|calm(?:ed|s)|shr[au]nk|shrinks)\b").unwrap()
});

/// An improvement said of the treatment ("can reduce", "eases", "less pain").
static IMPROVES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:reduc\w*|reliev\w*|eas(?:e|es|ed|ing)|improv\w*|less|fewer|lower\w*|calm\w*|shrink\w*)\b").unwrap()
});

/// A time that only qualifies: "within a couple of weeks", "over the first three months".
static TIME_QUALIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:within|over)\s").unwrap());

/// A price: "£600 to £1,200 per injection".
static PRICE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[£$€]\s?\d").unwrap());

/// What a clinic has or offers, said just before a count.
static OFFERED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:offers?|offering|provides?|providing)\s+$|\b(?:we|clinics?|centres?|practices?|team)\s+(?:now\s+|also\s+)?(?:have|has)\s+$").unwrap()
});

/// A question put in words of telling ("Patients often ask me whether ozone is safe").
static ASKS_WHETHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:ask|asks|asked|wonder\w*)\s+(?:\w+\s+)?(?:whether|if)\b").unwrap()
});

/// Where to go in an emergency ("go straight to A&E", "call 999"): advice, no claim.
static EMERGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bgo\s+(?:straight\s+)?to\s+(?:a\s*&\s*e|a&amp;e|hospital|the\s+emergency)|\b(?:call|dial|ring)\s+(?:999|911|112|111|an\s+ambulance)|\b(?:get|seek)\s+(?:same-day|urgent|immediate|emergency)\s+(?:medical\s+)?(?:help|advice|care|attention)").unwrap()
});

/// A speaker's name in capitals opening a transcript's line: "DR OKONJO-WARD: ", "HOST: ".
static SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][A-Z.'’-]*\s+){0,3}[A-Z][A-Z.'’-]+(?:\s+\([^)]{1,40}\))?\s*:\s+").unwrap()
});

/// An instruction to the reader opening a list item.
static IMPERATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Keep|Ask|Check|Try|Stay|Walk|Do|Don't|Don’t|Make|Take|Use|See|Get|Let|Bring|Wear|Tell|Write|Drink|Eat|Sleep|Rest|Plan|Expect|Remember|Avoid|Stop|Start|Find|Choose|Look|Post|Join|Share)\s").unwrap()
});

/// Advice to the reader ("We recommend that you carry on with your exercises").
static ADVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bwe\s+(?:recommend|advise|suggest)\s+(?:that\s+)?you\b|\b(?:my|our)\s+(?:honest\s+|best\s+)?advice\s+(?:is|would\s+be)\b|\b(?:do|does)\s+not\s+replace\s+(?:medical|professional)|\bsee\s+your\s+(?:gp|doctor)\s+(?:urgently|straight\s+away|immediately)|^if\b[^,]{0,60},\s*(?:stop|see|call|contact|rest|ask|tell|speak|go|mention)\b").unwrap()
});

/// A sentence about the article itself ("In this guide we explain what the treatment involves").
static ABOUT_THE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:in\s+this\s+(?:guide|article|post|page|leaflet|feature|piece|story)|(?:this|our)\s+(?:guide|article|post|page|leaflet)\s+(?:explains|describes|covers|looks)|we\s+(?:explain|describe|look\s+at|cover)\b|was\s+written\s+by\b|(?:this|our)\s+(?:leaflet|guide|page|booklet)\s+is\s+(?:for|about)\b|\bbelow\W*$)").unwrap()
});

/// Words of care or of what care changes: a claim of benefit speaks of a treatment or of what
/// it does for pain, movement or daily life.
static ABOUT_CARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:it|they|this|these|treatments?|therap\w+|injections?|procedures?|ozone|steroids?|surgery|operations?|physio\w*|exercises?|acupuncture|chiropractic|radiofrequency|blocks?|sessions?|pain|aches?|mobility|function|movement|walk\w*|sleep\w*|sciatica|discs?|back|neck|legs?|nerves?|inflammation|swelling|patients|people|painkillers|clinics?|practitioners?|doctors?|success\w*|epidurals?|manipulation|massage|yoga|pilates|medication|tablets?|disc|rest|recovery|shoulders?|knees?|hips?|joints?|muscles?|I|my|me|mine|results|felt|feels?|jabs?|rounds?|shots?|(?:first|second|third|last|next)\s+one)\b").unwrap()
});

/// Treatments already tried, said just before a list: no claim of what this one is for ("who
/// have not improved enough with physiotherapy, exercise and painkillers").
static TRIED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:not\s+(?:improved|helped|settled|responded|got\s+better)\s+(?:enough\s+)?(?:with|to)|despite|after\s+trying|tried)\s+$").unwrap()
});

/// The elements of an enumeration: split at its commas, and the last piece at its last "and"
/// or "or" unless it opens with one ("severe or worsening leg weakness, problems controlling
/// the bladder or bowel, or sciatica that has not improved" has three elements; "A, B and C"
/// three).
fn split_elements(list: &str) -> Vec<String> {
    static OPENING_JOIN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(?:and|or)\s+").unwrap());
    static LAST_JOIN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\s+(?:and|or)\s+").unwrap());
    let mut pieces: Vec<String> = list
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(last) = pieces.pop() {
        if let Some(stripped) = OPENING_JOIN.find(&last) {
            pieces.push(last[stripped.end()..].to_string());
        } else if let Some(join) = LAST_JOIN
            .find_iter(&last)
            .last()
            .filter(|j| !modifies_what_follows(&last[..j.start()]))
        {
            pieces.push(last[..join.start()].to_string());
            pieces.push(last[join.end()..].to_string());
        } else {
            pieces.push(last);
        }
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// Verbs listed with one subject ("the gas shrinks bulging disc material, calms inflammation
/// around the nerve root and improves the blood supply"): each verb and its object is a claim.
fn verb_list(text: &str) -> Option<(String, Vec<String>)> {
    if let Some(found) = verbs_of_one_subject(text) {
        return Some(found);
    }
    // After an opening phrase ("Injected beside an irritated nerve, it shrinks the bulge, calms
    // the inflammation and takes the edge off the pain").
    let (opening, rest) = text.split_once(", ")?;
    let first = opening
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let introduces = first.ends_with("ed") || first.ends_with("ing") || opens_a_phrase(opening);
    if !introduces {
        return None;
    }
    let (head, elements) = verbs_of_one_subject(rest)?;
    Some((format!("{opening}, {head}"), elements))
}

/// [`verb_list`] for a sentence that opens with its subject.
fn verbs_of_one_subject(text: &str) -> Option<(String, Vec<String>)> {
    let body = text.trim_end_matches(['.', '!']);
    let pieces: Vec<&str> = body.split(", ").collect();
    if pieces.len() < 2 {
        return None;
    }
    let (last, middle) = pieces[1..].split_last()?;
    // The last piece: "and improves the blood supply" or "calms X and improves Y".
    let verb_like = |w: &str| {
        let w = w.to_lowercase();
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("ous")
    };
    let first_word = |p: &str| p.split_whitespace().next().unwrap_or("").to_string();
    let last_parts: Vec<&str> = match last.strip_prefix("and ") {
        Some(rest) => vec![rest],
        None => match last.split_once(" and ") {
            Some((a, b)) if verb_like(&first_word(b)) => vec![a, b],
            _ => return None,
        },
    };
    let tail: Vec<&str> = middle.iter().copied().chain(last_parts).collect();
    // "epidurals promise quick relief" has its own verb: a subject, not a verb, comes first.
    let second_is_verb = |p: &str| {
        let second = p.split_whitespace().nth(1).unwrap_or("").to_lowercase();
        verb_like(&second)
            || [
                "promise", "say", "said", "are", "is", "were", "was", "can", "may", "will", "have",
                "has", "had", "do", "does", "did", "claim", "offer", "help",
            ]
            .contains(&second.as_str())
    };
    if !tail
        .iter()
        .all(|p| verb_like(&first_word(p)) && !second_is_verb(p))
    {
        return None;
    }
    // The verb of the first piece: its last word that reads as one and has words after it.
    let words: Vec<&str> = pieces[0].split(' ').collect();
    let at = (1..words.len().saturating_sub(1))
        .rev()
        .find(|&k| verb_like(words[k]))?;
    let head_len: usize = words[..at].iter().map(|w| w.len() + 1).sum();
    let mut elements = vec![pieces[0][head_len..].to_string()];
    elements.extend(tail.iter().map(|p| p.to_string()));
    (elements.len() >= 3).then(|| (pieces[0][..head_len].to_string(), elements))
}

/// Whether an element opens with a preposition or a conjunction: a phrase that goes on from
/// the sentence ("for low back pain, before any injection or operation"), not a listed thing.
fn opens_a_phrase(element: &str) -> bool {
    const OPENERS: &[&str] = &[
        "often",
        "usually",
        "mainly",
        "mostly",
        "sometimes",
        "typically",
        "probably",
        "before",
        "after",
        "during",
        "with",
        "without",
        "in",
        "on",
        "at",
        "for",
        "to",
        "from",
        "by",
        "because",
        "which",
        "that",
        "when",
        "if",
        "while",
        "as",
        "so",
        "but",
        "then",
        "including",
        "such",
        "like",
        "especially",
        "particularly",
    ];
    let first = element
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    OPENERS.contains(&first.as_str())
}

/// Whether the words before an "and"/"or" are one adjective sharing the noun after it
/// ("herniated or bulging discs", "severe or worsening weakness"): no split there.
fn modifies_what_follows(before: &str) -> bool {
    let word = before.trim().to_lowercase();
    if word.contains(' ') || word.is_empty() {
        return false;
    }
    const ADJECTIVES: &[&str] = &[
        "severe", "chronic", "acute", "mild", "worn", "torn", "slipped", "bad", "long", "short",
        "upper", "lower", "new", "old", "stiff", "weak", "sore",
    ];
    ADJECTIVES.contains(&word.as_str())
        || ["ed", "ing", "al", "ic", "ive", "ous", "ful", "ent", "ant"]
            .iter()
            .any(|suffix| word.ends_with(suffix))
}

/// Three or more short elements listed together at a sentence's end ("find it easier to walk,
/// sleep and exercise"): the first element as long as the second.
fn listed_together(text: &str) -> Option<(String, Vec<String>)> {
    static LIST_END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:[\w-]+,\s+)(?:(?:[\w-]+\s+){0,2}[\w-]+,\s+)*(?:[\w-]+\s+){0,2}[\w-]+,?\s+(?:and|or)\s+(?:[\w-]+\s+){0,2}[\w-]+\s*[.!]?$").unwrap()
    });
    let body = text.trim_end_matches(['.', '!']);
    let m = LIST_END.find(text)?;
    let tail = &body[m.start().min(body.len())..];
    let elements = split_elements(tail);
    if elements.len() < 3
        || elements.iter().any(|e| opens_a_phrase(e))
        || TRIED_BEFORE.is_match(&body[..m.start().min(body.len())])
    {
        return None;
    }
    Some((body[..m.start()].to_string(), elements))
}

/// The conditions a contraindication lists ("It is not recommended during pregnancy, or for
/// people with certain blood disorders or an overactive thyroid"): each is a claim.
fn contraindications(text: &str) -> Option<(String, Vec<String>)> {
    static NOT_FOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:(?:is|are)\s+not\s+(?:recommended|suitable|advised|offered|given)|should\s+not\s+(?:be\s+(?:used|given|offered)|have\s+(?:it|this|these|them|the\s+\w+|(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:injections?|treatments?|therapy|procedure|jabs?)))|(?:will\s+not|won't|won’t|would\s+not|wouldn't|wouldn’t)\s+(?:offer|give|treat|recommend)\s+(?:it|you|this|them|ozone|(?:the|an?)\s+\w+)?|(?:is|are)\s+(?:generally\s+|usually\s+|best\s+)?avoided|not\s+(?:meant|intended|designed)\s+for|(?:may|might)\s+not\s+be\s+(?:suitable|right|safe|advised|recommended)(?:\s+for\s+you)?|contraindicated|must\s+not\s+be\s+(?:used|given)|not\s+(?:something|one)\s+(?:they|we|doctors?|clinics?|surgeons?)(?:'d|’d|\s+would|\s+will)\s+(?:do|offer|give|recommend)|(?:may|might)\s+not\s+be\s+(?:suitable|right|safe|advised|recommended)(?:\s+for\s+you)?)\s+").unwrap()
    });
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:during|in|for|to|with|if\s+you(?:\s+have\s+got|\s+have|\s+are|'re|’re|'ve\s+got|’ve\s+got|\s+take|'re\s+on|’re\s+on)|people\s+with|patients\s+with|anyone\s+with|those\s+with|(?:anyone|people|patients|those|someone)\s+who(?:\s+is|\s+are|\s+has|\s+have)?)\s+)+").unwrap()
    });
    static OR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\s+(?:or|and)\s+").unwrap());
    static OWN_VERB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:is|are|has|have|had|take|takes|use|uses|get|gets|suffer|suffers)\s")
            .unwrap()
    });
    static OPENING_VERB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\s+(?:are|is|have|has|take)|'re|’re|'ve\s+got|’ve\s+got)\s+$").unwrap()
    });
    static RELATIVE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\s(?:that|which|who)\s").unwrap());
    let m = NOT_FOR.find(text)?;
    let rest = text[m.end()..].trim_end_matches(['.', '!']);
    // A comma parts listed things only in a list ("A, B or C", "A, or B"), not before an
    // apposition ("G6PD deficiency, a rare inherited blood condition").
    let pieces: Vec<&str> = rest.split(',').collect();
    let listed = pieces.len() >= 3
        || pieces[1..].iter().all(|p| {
            let p = p.trim_start();
            p.starts_with("or ")
                || p.starts_with("and ")
                || p.contains(" or ")
                || p.contains(" and ")
        });
    let pieces = if listed { pieces } else { vec![rest] };
    // An apposition naming what the last condition is ("G6PD deficiency, a rare inherited
    // enzyme disorder") belongs to it.
    static APPOSITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:a|an)\s+(?:[\w-]+\s+){0,4}(?:disorder|condition|disease|syndrome|problem|deficiency)\s*$").unwrap()
    });
    let pieces: Vec<&str> = pieces
        .into_iter()
        .filter(|p| !APPOSITION.is_match(p))
        .collect();
    let elements: Vec<String> = pieces
        .into_iter()
        .flat_map(|piece| {
            OR.split(piece.trim())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|e| {
            e.trim()
                .trim_start_matches("or ")
                .trim_start_matches("and ")
                .trim()
                .to_string()
        })
        .filter(|e| !e.is_empty())
        .collect();
    // An element without its own opening shares the one before it: "for people with certain
    // blood disorders or an overactive thyroid" lists "for people with an overactive thyroid".
    let mut opening = String::new();
    let elements: Vec<String> = elements
        .into_iter()
        .map(|e| match OPENING.find(&e) {
            Some(m) => {
                opening = e[..m.end()].to_string();
                e
            }
            // "if you are pregnant, have an overactive thyroid": a verb of its own shares only
            // the subject ("if you have an overactive thyroid").
            None if OWN_VERB.is_match(&e) => {
                format!("{}{e}", OPENING_VERB.replace(&opening, " "))
            }
            None => format!("{opening}{e}"),
        })
        .collect();
    // (How short an element is, is read without its opening: "for people with certain blood
    // disorders".)
    let short = elements.iter().all(|e| {
        // (Nor its relative clause: "on blood thinners that can't be stopped".)
        let e = OPENING.replace(e, "");
        let e = OWN_VERB.replace(&e, "");
        let e = RELATIVE.find(&e).map_or(&*e, |r| &e[..r.start()]);
        e.split_whitespace().count() <= 6
    });
    (elements.len() >= 2 && short).then(|| (text[..m.end()].to_string(), elements))
}

/// Clauses that open alike, three or more ("it may shrink the core of a herniated disc, it may
/// calm inflammation, and it may improve blood flow"): each is a claim.
fn repeated_clauses(text: &str) -> Option<(String, Vec<String>)> {
    static CLAUSE_BREAK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i),\s*(?:and\s+|or\s+)?|;\s*").unwrap());
    let body = text.trim_end_matches(['.', '!']);
    let parts: Vec<&str> = CLAUSE_BREAK.split(body).map(str::trim).collect();
    let opening = |p: &str| -> String {
        p.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let first = opening(parts.first()?);
    let alike = parts.len() >= 3
        && first.split_whitespace().count() == 2
        && parts.iter().all(|p| opening(p) == first);
    // A testimony of things one person did again ("I could sleep through the night again, I
    // stopped taking the codeine and by the second month I was back in the van", he said):
    // clauses with their own "I", three or more.
    static SPEECH_TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)[,.]?["”’']?\s*,?\s*(?:he|she|they|[A-Z]\w+)\s+(?:said|says|added|explained|recalled)\.?$"#)
            .unwrap()
    });
    if !alike {
        let spoken = SPEECH_TAG.replace(body, "");
        let spoken = spoken.trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '\'' | ' ' | ','));
        static TESTIMONY_BREAK: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r",\s*(?:and\s+)?|\s+and\s+").unwrap());
        let parts: Vec<String> = TESTIMONY_BREAK
            .split(spoken)
            .map(|p| p.trim().to_string())
            .collect();
        let own_i = |p: &String| format!(" {p} ").contains(" I ");
        if parts.len() >= 3
            && parts
                .iter()
                .all(|p| own_i(p) && p.split_whitespace().count() >= 4)
        {
            return Some((String::new(), parts));
        }
        return None;
    }
    alike.then(|| {
        (
            String::new(),
            parts.iter().map(|p| (*p).to_string()).collect(),
        )
    })
}

/// Three or more short elements listed after "for", "with", "from" or "treat" anywhere in a
/// sentence ("can help with sciatica, disc bulges and facet pain in many patients").
fn listed_after_preposition(text: &str) -> Option<(String, Vec<String>)> {
    // Long elements after "treat": "We also treat neck pain, whiplash, arm pain from a trapped
    // nerve in the neck, and pain after spinal surgery".
    static TREAT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:treat|treats|treating|help\s+with|helps\s+with|(?:patients|people|clients|users|many)\s+(?:[\w'’-]+\s+){0,4}?(?:report|reported|notice|noticed|describe|described|enjoy|enjoyed)|help(?:s|ed)?\s+(?:you|them|people|patients|him|her|me|us)(?:\s+to)?|(?:right\s+(?:call|choice|option|thing)|needed|considered)\s+(?:when|if)\s+there\s+is|(?:can|may|will|could|to)\s+(?:reduce|relieve|ease|improve|calm)|reduces|relieves|eases|improves|sort(?:s|ed)?\s+out|(?:use[sd]?|offer(?:s|ed)?|recommend(?:s|ed)?|tried)\s+(?:[\w-]+\s+){0,3}?for|reserved\s+for\s+(?:people|patients|those|anyone)\s+with)\s+").unwrap()
    });
    if let Some(m) = TREAT.find(text) {
        let rest = text[m.end()..].trim_end_matches(['.', '!']);
        let elements = split_elements(rest);
        let short = elements
            .iter()
            .filter(|e| e.split_whitespace().count() <= 4)
            .count();
        if elements.len() >= 3
            && short >= 2
            && elements.iter().all(|e| e.split_whitespace().count() <= 10)
            && !elements.iter().any(|e| opens_a_phrase(e))
        {
            return Some((text[..m.end()].to_string(), elements));
        }
    }
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:for|with|from|treats?|treating|like)\s+((?:[\w-]+\s+){0,2}[\w-]+(?:,\s+(?:[\w-]+\s+){0,2}[\w-]+)+,?\s+(?:and|or)\s+(?:[\w-]+\s+){0,2}[\w-]+)").unwrap()
    });
    let c = LIST.captures(text)?;
    let list = c.get(1)?;
    if TRIED_BEFORE.is_match(&text[..list.start()]) {
        return None;
    }
    if list.as_str().to_lowercase().starts_with("example")
        || list.as_str().to_lowercase().starts_with("instance")
    {
        return None;
    }
    let elements = split_elements(list.as_str());
    // Listed things are alike: not a parenthesis ("for its part, loosens tight muscles and
    // helps ...") followed by verbs.
    let verb_first = |e: &String| {
        let w = e.split_whitespace().next().unwrap_or("").to_lowercase();
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")
    };
    let verbs = elements.iter().filter(|e| verb_first(e)).count();
    let alike = verbs == 0 || verbs == elements.len();
    (elements.len() >= 3 && alike && !elements.iter().any(|e| opens_a_phrase(e)))
        .then(|| (text[..list.start()].to_string(), elements))
}

/// Calls to action beyond [`super::cues`]' own: "Read more", "Stop your exercises", "Go to A&E".
static MORE_CALLS_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:read\s+more|share|follow\s+us|stop|phone|dial|go\s+(?:straight\s+)?to)\b|\bplease\s+(?:add|share|post|tell|let|get|contact|call|book|ask|see|consult|read|leave|comment|join|send)\b",
    )
    .unwrap()
});

/// A call to action or advice ("Book a consultation", "Talk to your doctor", "Go to A&E").
fn is_call_to_action(text: &str) -> bool {
    super::cues::is_call_to_action(text) || MORE_CALLS_TO_ACTION.is_match(text)
}

/// A source of evidence named as such.
static STUDY_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:stud(?:y|ies)|trials?|reviews?|meta[-\s]?analys[ie]s|research(?:ers)?|scientists?|journals?|published|evidence|investigators?|data|cochrane|nice|guidelines?|results|findings|authors)\b",
    )
    .unwrap()
});

/// Harm or safety.
static SAFETY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:side[-\s]effects?|adverse|complications?|risks?|risky|safe|safely|safety|safest|safer|harm(?:s|ful|less)?|dangerous|danger|infections?|bleeding|bruis\w+|allergic|nerve\s+(?:damage|injury)|paralysis|strokes?|deaths?|died|fatal|serious\s+(?:events?|problems?|reactions?)|well[-\s]tolerated|tolerated|soreness|flare[-\s]?ups?|headaches?|dizziness|sting\w*|stung|hurt\w*|discomfort|uncomfortable|flush\w*|poor\s+sleep|common\s+after|drug\s+residue|pinch\w*|worsening|sugars?\b|felt\s+(?:a\s+bit\s+|quite\s+|very\s+|a\s+little\s+)?(?:stiff|sick|dizzy|faint|tired|queasy)|aches?|aching|sore|light-?headed|drowsy|constipat\w*|fullness|push\w*\s+up\s+(?:\w+\s+)?(?:blood\s+)?sugar|blood\s+sugar|nausea|numbness|puncture|(?:events?|problems?|reactions?)\s+(?:are|were|is)\s+(?:very\s+|extremely\s+)?(?:rare|uncommon|unusual)|does\s+not\s+cause|made\s+(?:\w+\s+){0,2}?worse|doesn't\s+cause|no\s+downtime|weight\s+gain|embolism)\b",
    )
    .unwrap()
});

/// How much treatment.
static PROTOCOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|a\s+few|several|\d+(?:\s*(?:-|to|or)\s*\d+)?|(?:one|two|three|four|five|six|eight|ten)\s+(?:to|or)\s+(?:two|three|four|five|six|eight|ten|twelve))\s+(?:[\w-]+\s+){0,2}(?:sessions?|injections?|treatments?|visits?|appointments?|shots?|rounds?|courses?|infusions?|massages?|jabs?|epidurals?|blocks?)\b|\b(?:sessions?|injections?|treatments?|visits?|appointments?|shots?)\b[^.;]{0,60}?\b(?:(?:weeks?|days?|months?|fortnight|two|three|four)\s+apart|weekly|twice|once|every|per\s+week|a\s+week|a\s+month|a\s+fortnight|fortnightly|each\s+week|over\s+(?:a|\d+|one|two|three|four|six)\s+(?:weeks?|months?))\b|\b(?:takes?|took|lasts?|lasted|last)\s+(?:about\s+|around\s+|roughly\s+|only\s+|just\s+|under\s+|less\s+than\s+)?(?:\d+|a\s+few|few|twenty|thirty|forty|fifteen|ten|five)\s+(?:or\s+(?:\d+|ten|fifteen|twenty|thirty)\s+)?(?:(?:to|-)\s*\d+\s+)?minutes\b|\b\d+(?:\.\d+)?\s*(?:mg|ml|mL|µg|mcg|micrograms?|milligrams?|millilitres?|milliliters?|cc)\b|\bconcentrations?\b|\b(?:high|low|higher|lower|same|single|maximum|usual|standard)\s+doses?\b|\bdoses?\s+(?:of\s+)?\d|\bdosage\b|\bfor\s+\d+\s+(?:seconds|minutes)\b|\b\d+\s+degrees\b|\bevery\s+(?:\w+\s+){0,3}?(?:days?|weeks?|months?|years?)\b|\brepeat(?:ed|s)?\s+(?:injections?|sessions?|treatments?|blocks?|procedures?|when|if|after|every)\b|\ba\s+repeat\b|\bper\s+(?:side|level|week|month|(?:\w+\s+)?joint)|\b(?:x\s?\d+|\d+\s?x)\b|\bcourse\s+(?:takes|lasts|took|lasted)\b|\btop-?ups?\b|\bboosters?\b|\b(?:a|one|two|three|four|six)\s+(?:weeks?|months?|fortnight)\s+apart\b|\busual\s+number|\bnumber\s+of\s+(?:injections|sessions|treatments|visits)|\bhow\s+many\s+(?:injections|sessions|treatments|visits)|\b(?:more\s+than|up\s+to|at\s+most|no\s+more\s+than|a\s+maximum\s+of)\s+(?:one|two|three|four|five|six|\d+)\s+(?:[\w-]+\s+)?(?:in|per|a|each)\s+(?:a\s+)?(?:year|month|week)\b|\bbetween\s+(?:injections|sessions|treatments|doses|blocks)\b|\b(?:one|two|three|four|five|six|\d+)\s+in\s+(?:any|a|each|every)\s+(?:\w+\s+)?(?:months?|year)\b|\bone\s+(?:each|a|per|every)\s+(?:week|month|fortnight)\b|\b(?:exercises?|stretch\w*|sessions?|injections?|physio\w*)\b[^.;]{0,60}?\b(?:every|each)\s+(?:morning|evening|night|day)\b|\b\d+\s+minutes\s+of\s+(?:exercises?|stretch\w*|walking|physio\w*|yoga)\b|\bneed\w*\s+between\s+(?:\w+|\d+)\s+and\s+(?:\w+|\d+)\b|\b(?:a\s+)?single\s+(?:[\w-]+\s+)?(?:injections?|sessions?|treatments?|jabs?|shots?)\b|\b(?:once|twice|three\s+times|\d+\s+times)\s+(?:a|per|each)\s+(?:day|week|month)\b|\b\d+-minute\s+(?:sessions?|treatments?|massages?|appointments?|injections?|procedures?)\b|\b(?:\w+\s+to\s+\w+|\d+(?:\s*-\s*\d+)?|one|two|three|four|five|six|eight|ten)\s+times\s+(?:over|in|a|per|each)\b)",
    )
    .unwrap()
});

/// How patients fare over time.
static COURSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:return(?:s|ed|ing)?\s+to\s+(?:work|normal|(?:their|your|daily|usual|everyday)\s+\w+)|back\s+(?:to|at)\s+(?:work|normal)|go(?:es)?\s+home|within\s+(?:[\w-]+\s+){0,3}?(?:hours?|days?|weeks?|months?)|after\s+(?:the\s+|a\s+|an\s+)?(?:first|second|third|fourth|one|two|three|four|five|six|\d+|a\s+few|few|several)\s+(?:[\w-]+\s+){0,2}?(?:sessions?|injections?|treatments?)|until\s+after\b|crept\s+back|keeps?\s+(?:on\s+)?working|long\s+after\s+(?:the\s+)?(?:sessions?|treatment|injections?|course)|(?:days?|weeks?|months?)\s+off\s+(?:work|school)|(?:days?|weeks?|months?|years?)\s+of\s+(?:peace|relief|comfort|freedom)|(?:then\s+)?faded\b|(?:held|lasted|has\s+lasted|kept\s+going)\s+(?:up\s+)?(?:for\s+)?(?:\w+\s+){0,2}?(?:weeks|months|years)\b|(?:lasts|lasted|lasting)\s+(?:\w+\s+){0,3}?(?:weeks?|months?|years?)\b|return(?:s|ed|ing)?\s+to\s+(?:full|light|normal)\s+\w+|stay(?:s|ed)?\s+away|back\s+to\s+square\s+one|(?:walk\w*|go(?:es)?|went)\s+(?:out|home)\s+(?:\w+\s+){0,2}?(?:the\s+)?(?:very\s+)?same\s+day|no\s+(?:weeks|days|time)\s+(?:in\s+bed|off)|back\s+behind\s+the\s+wheel|^\W*by\s+the\s+(?:first|second|third|fourth|fifth|sixth|\w+th)\s+(?:week|month|session|injection)|return(?:s|ed|ing)?\s+to\s+\w+ing\b|notice\s+(?:\w+\s+){0,3}(?:change|difference|improvement)|between\s+the\s+\w+\s+and\s+\w+\s+weeks?|before\s+(?:\w+\s+){0,3}notice|(?:fine|safe|ok|okay)\s+(?:at|after)\s+(?:about\s+)?\w+\s+(?:weeks?|months?)|(?:for\s+)?the\s+first\s+(?:\w+\s+)?(?:weeks?|days?|months?)|over\s+(?:\w+\s+){0,3}(?:weeks?|months?)|came\s+(?:\w+\s+)?back|back\s+at\s+the\b|home\s+the\s+same\s+(?:day|afternoon|evening)|again\s+after|slip\w*\s+again|recur\w*|settles?\b|settled\b|(?:ever\s+)?need\s+(?:an\s+)?(?:operation|surgery)|creeping\s+back|came\s+back|back\s+at\s+(?:my|his|her|their|your)\s+\w+|home\s+the\s+(?:same|next)\s+day|\b(?:\w+|\d+)\s+(?:weeks?|months?|years?)\s+(?:on|later)\b|starts?\s+to\s+work|kicks?\s+in|takes?\s+effect|lasts?\s+(?:for\s+)?(?:up\s+to\s+|about\s+|around\s+|at\s+least\s+)?(?:\d+|a\s+few|several|many|one|two|three|six|twelve)\s+(?:weeks?|months?|years?)|last(?:s|ed)?\s+(?:for\s+)?(?:months|years)|long[-\s]lasting|wears?\s+off|wore\s+off|relapse|come\s+back|comes\s+back|recover(?:ed|s|ing)?\b|recovery\s+(?:is|was|takes|took|time|period|can|may|usually|will|should|from)|feel\s+(?:better|the\s+(?:effect|benefit|difference))|notice\s+(?:an?\s+)?(?:improvement|difference|relief)|end\s+up|in\s+the\s+long\s+(?:run|term)|over\s+time|(?:a\s+few|several|\d+)\s+(?:hours?|days?|weeks?|months?|years?)\s+to\s+(?:a\s+few|several|\d+)|\d+\s+to\s+\d+\s+(?:hours?|days?|weeks?|months?|years?)|how\s+long\s+(?:does|do|will)\s+(?:it|they|the\s+\w+)\s+last|(?:relief|improvement|results?|effects?|benefits?)\b[^.;]{0,40}?\b(?:days?|weeks?|months?|years?)\b|take\w*\s+(?:up\s+to\s+|about\s+|a\s+few\s+)?(?:\w+\s+){0,2}?(?:days?|weeks?|months?)\s+(?:to|before)\b)",
    )
    .unwrap()
});

/// What the treatment is for.
static INDICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:used\s+(?:both\s+)?(?:to\s+(?:treat|manage|relieve|ease)|for|as|in\s+(?:people|patients|those|adults|children))|(?:is|are)\s+(?:often\s+|commonly\s+|mainly\s+|mostly\s+|typically\s+|usually\s+|also\s+|sometimes\s+)?(?:(?:offered|given|recommended|suggested|prescribed)(?:\s+privately)?\s+(?:to|for|as|when|if)\b|suitable|indicated|appropriate|an?\s+option)|recommend(?:s|ed)?\b|if\s+you(?:\s+have|'ve\s+got|\s+have\s+got)\s+(?:[\w()-]+\s+){0,4}?(?:pain|sciatica|discs?|weakness|numbness|symptoms|arthritis|stenosis|problems?)\b|who\s+(?:is\s+it|it\s+is)\s+for\b|\buse[sd]?\s+(?:it|them|this|these|(?:[\w-]+\s+){0,2}?(?:ozone|injections?|therapy|treatment))\s+(?:(?:most|more|very)\s+)?(?:often\s+|mainly\s+|mostly\s+|usually\s+|commonly\s+)?for\b|(?:tried|trialled|being\s+used|being\s+tested)\s+for\b|(?:can|may|will)\s+(?:also\s+)?offer\b|(?:is|are)\s+(?:first\s+|also\s+|usually\s+)?offered\b|(?:advertis|promot|market|offer|sell)\w*\s+(?:[\w-]+\s+){0,3}?for\b|(?:should|could|may|can|might)\s+be\s+(?:offered|considered|given|tried|used)\b|(?:may|might|can|could|will|would)\s+(?:suggest|offer|recommend)\b|should\s+come\s+first|first[-\s]line|need\w*\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:operation|surgery)\b[^.;]{0,40}?\b(?:if|when)\b|(?:is|are)\s+(?:now\s+|also\s+)?available\s+(?:for|to\s+(?:people|patients|anyone|those))\b|comes?\s+in\s+(?:when|if|for)\b|right\s+(?:call|choice|option|treatment)\s+(?:when|if)\b|(?:reasonable|sensible|good)\s+(?:thing|option|step)\s+to\s+try|sees?\s+(?:patients|people)\s+with\b|(?:among\s+)?the\s+first\s+(?:treatments?|things?\s+to\s+try|options?)\b|(?:is|are)\s+(?:usually\s+|often\s+|only\s+|generally\s+|normally\s+)?(?:considered|offered|suggested)\s+(?:when|if|for|once)\b|first\s+step|right\s+(?:call|choice|option|treatment)\s+for|(?:main|common|usual|typical)\s+uses?\b|(?:had|have|get|got)\s+it\s+for\b|for\s+things\s+like\b|worth\s+(?:a\s+)?(?:try|trying|conversation|discussing|considering|a\s+go|look)\b|\bwe\s+use\s+(?:[\w-]+\s+){1,3}?(?:(?:mainly|mostly|often|usually)\s+)?for\b|(?:first|best|preferred)\s+choice\s+for\b|(?:meant|intended)\s+for\b|to\s+(?:pinpoint|find\s+out|identify|confirm|diagnose)\s+(?:which|where|whether|the\s+source|the\s+cause|what)\b|(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:treatment|therapy|option|solution|alternative|choice)\s+for\b|can\s+(?:also\s+)?(?:be\s+used|treat)\b|suffer(?:ing|s)?\s+(?:from|with)\b|sufferers\b|(?:ideal|designed|aimed)\s+(?:for|at)\b|(?:best|well)\s+suited|suited\s+(?:to|for)\b|works?\s+best\s+for\b|refer\w*\s+you|(?:do|does|did)\s+(?:best|well)\b|best\s+(?:suited|candidates)|those\s+with\b|indicat(?:ed|ion)s?\s+for|suitable\s+for|candidates?\b|treat(?:s|ed|ing)?\s+(?:[\w-]+\s+){0,3}?(?:pain|disc|discs|sciatica|stenosis|conditions?|problems?|injur(?:y|ies)|arthritis|hernia\w*)|(?:for|in)\s+(?:people|patients|those|adults|anyone)\s+(?:with|who)|conditions?\s+(?:we\s+treat|treated)|we\s+treat|can\s+help\s+(?:with|people|patients|those)|contraindicat\w+|should\s+not\s+(?:have|be\s+given|receive))",
    )
    .unwrap()
});

/// That the treatment does good.
static BENEFIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:help(?:s|ed|ful)?|reliev\w*|relief|reduc\w*|improv\w*|eas(?:es|ed|ing)|(?:to|can|may|will|could|might|and|or)\s+ease\b|ease\s+(?:the|your|my|his|her|their|pain|symptoms|stiffness|muscle\w*|tension)|easier|effective(?:ly|ness)?|works|worked|work(?:s|ed)?\s+(?:well|better|best|for)|better|(?:great|good|brilliant|excellent|ideal)\s+for|loosen\w*|relax\w*|cut\s+down|stop(?:s|ped)?\s+(?:\w+\s+){0,3}?(?:pain|carrying|signals)|block(?:s|ed|ing)?\s+(?:the\s+)?pain|drop(?:s|ped)?|fell|falls?|lower(?:s|ed|ing)|(?:much|far|slightly|significantly)\s+lower|lower\s+(?:pain|scores?|rates?|risks?|the\s+risk|levels?)|decreas\w*|declin\w*|halv\w*|disappear\w*|vanish\w*|went\s+away|gone|transform\w*|life[-\s]changing|changed\s+my\s+life|back\s+on\s+(?:my|their|your|his|her)\s+feet|moving\s+again|made\s+(?:a|all\s+the)\s+(?:\w+\s+)?difference|significant(?:ly)?|dramatic(?:ally)?|miracle|amazing|promising|encouraging|worthwhile|(?:positive|good|excellent|great)\s+(?:results?|outcomes?)|oxidi[sz]\w*|break(?:s|ing)?\s+down|dehydrat\w*|blood\s+flow|oxygen\s+supply|trigger\w*\s+(?:the\s+)?(?:body|healing|repair)|damp\w*\s+down|switch\w*\s+off|desensiti[sz]\w*|(?:takes?|taking)\s+(?:the\s+)?pressure\s+off|non-?surgical|minimally\s+invasive|drug-?free|middle\s+(?:path|ground|way)|back\s+(?:on|to)\s+(?:my|his|her|their|your)\s+\w+|back\s+to\s+(?:running|cycling|walking|swimming|gardening)|keep\w*\s+(?:me|you|them|him|her|people|us|patients)\s+moving|did\s+(?:almost\s+|next\s+to\s+|little\s+or\s+|absolutely\s+|precisely\s+|very\s+little\s+or\s+)?nothing|(?:does|do|did)\s+(?:very\s+)?(?:little|not\s+much)\b|t(?:ake|akes|aking|ook)\s+the\s+(?:heat|sting|pressure)\s+(?:out|off)|lets?\s+(?:people|patients|you|them|me|him|her)\s+(?:get|do|move|return|carry|go|walk|sleep)|(?:don't|do\s+not|didn't|did\s+not|doesn't|does\s+not|never)\s+respond|never\s+(?:needed|had\s+to\s+have)\s+(?:the\s+|an\s+|any\s+)?(?:operation|surgery|it)\b|(?:could|can|was\s+able\s+to)\s+(?:now\s+|finally\s+)?(?:sit|stand|walk|drive|sleep|bend|lift|run|play)\s+(?:through|for|again|without|all)\b|builds?\s+(?:up\s+)?(?:strength|muscle|confidence|stamina)|(?:gave|give|gives|given)\s+(?:me|him|her|them|you|people|patients)\s+(?:my|his|her|their|your)\s+(?:life|lives|freedom|independence|mobility)\s+back|did\s+(?:a\s+lot\s+|much\s+|far\s+|rather\s+)?less\b|(?:got|get|gets|getting)\s+rid\s+of|(?:will\s+not|won't|won’t|don't|do\s+not|didn't|did\s+not)\s+need\s+(?:anything\s+else|surgery|an?\s+operation|more\s+injections)|(?:was|were|am|is|are|be|been|get|got|getting)\s+back\s+(?:on|at|in|to)\s+(?:the|my|his|her|their|your)\s+\w+|(?:had|have|has|felt)\s+no\s+(?:[\w-]+\s+){0,2}?(?:pain|aches?|symptoms|twinges?)\b|(?:said|thought|believed|claimed|known)\s+to\s+(?:have\s+(?:an?\s+)?(?:[\w-]+,?\s+){0,3}?effects?|help|heal|ease|relieve|reduce|calm|improve|speed|boost|stimulate)|pain-?killing|(?:does|do|did)\s+the\s+job\s+(?:just\s+)?(?:as\s+well|better)|as\s+well\s+as\s+(?:surgery|an?\s+|the\s+|steroids?|keyhole)|clear(?:s|ed)?\s+(?:up\s+)?(?:my|his|her|their|your|the)?\s*(?:[\w-]+\s+)?(?:pain|sciatica|symptoms)|(?:no|any)\s+(?:real\s+)?difference|did(?:n't|\s+not)\s+(?:help|work)|play\w*\s+a\s+(?:part|role)|strengthen\w*|went\s+(?:down\s+)?from\s+\d|worth\s+(?:it|every|the)|swear\s+by|useful|t(?:ake|akes|aking|ook)\s+the\s+edge\s+off|knock\w*\s+out|keeps?\s+(?:the\s+)?pain\s+(?:from\s+coming\s+back|away|at\s+bay)|can\s+(?:finally|now|at\s+last)\s+\w+|best\s+thing\s+I\s+(?:ever\s+)?(?:did|have\s+done|tried)|hit\s+(?:and|n|'n'|&)\s+miss|felt\s+(?:zilch|nothing|no\s+difference)|walking\s+\d+\s+(?:miles|km)|back\s+on\s+the\s+tools|best\s+it\s+has\s+been|(?:difference|improvement|change)\s+was\s+(?:clear|obvious|noticeable|dramatic|huge|remarkable)|(?:twice|three\s+times|\w+\s+times)\s+as\s+likely|more\s+likely\s+to\s+(?:report|recover|improve|return|be\s+pain)|could\s+(?:finally|now|at\s+last)\s+\w+|sleep\w*\s+through|sort\w*\s+(?:\w+\s+)?out|stronger|more\s+flexible|less\s+(?:stiff|touchy|sore|painful)|(?:pain|ache|aching|stiffness|soreness)\s+(?:\w+\s+)?(?:lifts?|lifted|eases?|eased|goes|went|fades?|faded)|quiet\w*|(?:do|have|had)\s+it\s+again|(?:walk\w*|sleep\w*|play\w*|run\w*|driv\w*|work\w*|garden\w*|swim\w*|cycl\w*)\b[^.;]{0,40}\bagain\b|shrivel\w*|dr(?:y|ies)\s+out|wakes?\s+up\s+(?:\w+\s+)?circulation|melts?\s+away|without\s+(?:wincing|limping|hurting|pain)|feel\w*\s+(?:\w+\s+){0,3}(?:younger|better|great|new)|get\s+moving|stop\w*\s+(?:aching|hurting|throbbing)|free\s+(?:a|the|up)\b|back\s+to\s+the\b|for\s+the\s+first\s+time\s+(?:in|since)|do\s+(?:much|anything|a\s+thing)\s+for|not\s+do(?:ing)?\s+(?:much|anything|a\s+thing)|cancel\w*\s+(?:their|the|an?|my|her|his)\s+(?:operation|surgery)|slow\w*\s+(?:\w+\s+)?recovery|lasting\s+recovery|fix\w*|buys?\s+(?:you\s+)?time|less\s+likely|no\s+longer\s+(?:need\w*|takes?|took|uses?)|saved\s+(?:\w+\s+)?from|nothing\s+(?:touched|helped|worked)|(?:one\s+of\s+)?the\s+best\s+things?\s+you\s+can\s+do|(?:not|never)\s+(?:needed|taken|had\s+to\s+take)\s+(?:a\s+(?:single\s+)?|any\s+)?(?:painkillers?|tablets?|pills?|medication)|ease\s+(?:[\w-]+\s+){0,4}?(?:pain|aches?|stiffness|symptoms|sciatica|discomfort)|(?:no|any)\s+(?:real\s+)?change\s+(?:at\s+all|either\s+way)|(?:did(?:n't|\s+not)|does(?:n't|\s+not)|never)\s+(?:really\s+)?touch(?:ed)?\b|(?:was|were|am|are|is|been)\s+(?:finally\s+|now\s+)?able\s+to|without\s+(?:my|the|any|his|her)\s+(?:[\w-]+\s+)?(?:burning|aching|hurting|throbbing|pain)|off\s+(?:the\s+|my\s+|her\s+|his\s+)?painkillers|heal(?:s|ed|ing)?|restor\w*|boost\w*|promot\w*|stimulat\w*|shrink\w*|pain[-\s]free|get\s+back|avoid(?:s|ed|ing)?\s+(?:\w+\s+)?surgery|alternative\s+to\s+surgery|benefi\w+|success(?:ful)?|less\s+pain|fewer|faster|quicker|cure[sd]?|cures|eliminat\w*|regenerat\w*|repair\w*|anti-?inflammatory|calm\w*|speed\w*\s+up|free(?:s|d)?\s+(?:you|patients|people)|mobility|move\s+(?:more\s+)?freely|walk\s+(?:further|again|more))\b",
    )
    .unwrap()
});

static SAFETY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:risks?|side[-\s]effects?|safety|complications?|dangers?|harms?)\b")
        .unwrap()
});
static BENEFIT_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:benefits?|advantages?|why\s+choose|why\s+(?:our\s+)?(?:clients|patients|people|customers)\s+love|what\s+(?:our\s+)?(?:clients|patients|customers)\s+say|results|how\s+(?:[\w-]+\s+){0,3}helps?|can\s+help|why\s+(?:it|this|[\w-]+\s+therapy)\s+works|goodbye\s+to|pain[-\s]free|relief)\b").unwrap()
});
static INDICATION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:conditions?|who\s+(?:is\s+it|can|should)|what\s+(?:does\s+it|can\s+it)\s+treat|indications?|used\s+for|we\s+treat|right\s+for\s+(?:me|you)|suitable|candidates?|is\s+it\s+for|who\s+it(?:'|’)?s\s+for|(?:perfect|ideal|good|great)\s+for)\b").unwrap()
});

#[cfg(test)]
mod tests {
    use super::*;

    fn claims_of(doc: &str, format: DocFormat) -> Vec<(ClaimKind, String)> {
        read_claims(doc, format)
            .into_iter()
            .map(|c| (c.kind, c.claim))
            .collect()
    }

    #[test]
    fn a_lead_in_makes_one_claim_per_list_item_and_headings_are_no_claims() {
        let doc = "# Ozone injections\n\n## Uses\n\nOzone injections are mainly used for several painful conditions, including:\n\n- herniated discs\n- sciatica.\n\n## Risks\n\nTypical side effects include:\n\n- headache\n- soreness at the injection site\n";
        let found = read_claims(doc, DocFormat::Markdown);
        let texts: Vec<&str> = found.iter().map(|c| c.claim.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Ozone injections are mainly used for several painful conditions, including herniated discs",
                "Ozone injections are mainly used for several painful conditions, including sciatica",
                "Typical side effects include headache",
                "Typical side effects include soreness at the injection site",
            ]
        );
        assert_eq!(found[0].kind, ClaimKind::Indication);
        assert_eq!(found[2].kind, ClaimKind::Safety);
        assert_eq!(found[0].section.as_deref(), Some("Uses"));
        assert_eq!(found[2].section.as_deref(), Some("Risks"));
        let lead = found[0].lead_in.as_ref().unwrap();
        assert!(
            doc.chars()
                .skip(lead.start)
                .take(lead.end - lead.start)
                .collect::<String>()
                .contains("mainly used")
        );
        let item: String = doc
            .chars()
            .skip(found[1].sentence.start)
            .take(found[1].sentence.end - found[1].sentence.start)
            .collect();
        assert_eq!(item, "sciatica.");
    }

    #[test]
    fn an_enumeration_makes_one_claim_per_element() {
        let found = claims_of(
            "Ozone is commonly used for problems such as sciatica, neck pain, spinal stenosis and facet joint pain.",
            DocFormat::Text,
        );
        assert_eq!(found.len(), 4);
        assert!(found.iter().all(|(k, _)| *k == ClaimKind::Indication));
        assert_eq!(
            found[1].1,
            "Ozone is commonly used for problems such as neck pain"
        );
        assert_eq!(
            found[3].1,
            "Ozone is commonly used for problems such as facet joint pain"
        );
    }

    #[test]
    fn lists_said_in_other_ways() {
        // Verbs with one subject, and after a modal.
        let found = claims_of(
            "Supporters say the gas shrinks bulging disc material, calms inflammation around the nerve root and improves the blood supply to the damaged tissue.",
            DocFormat::Text,
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            found[1].1,
            "Supporters say the gas calms inflammation around the nerve root"
        );
        let found = claims_of(
            "For the right person, an injection can ease leg pain, help you sleep at night and make it easier to walk and exercise.",
            DocFormat::Text,
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[2]
                .1
                .ends_with("can make it easier to walk and exercise")
        );
        // A contraindication's conditions; adjectives joined by "or" stay with their noun.
        let found = claims_of(
            "It is not recommended during pregnancy, or for people with certain blood disorders or an overactive thyroid.",
            DocFormat::Text,
        );
        let items: Vec<&str> = found
            .iter()
            .map(|(_, c)| c.rsplit("recommended ").next().unwrap())
            .collect();
        assert_eq!(
            items,
            [
                "during pregnancy",
                "for people with certain blood disorders",
                "for people with an overactive thyroid"
            ]
        );
        assert_eq!(
            split_elements("herniated or bulging discs, sciatica and neck pain"),
            ["herniated or bulging discs", "sciatica", "neck pain"]
        );
        // Not a list: a phrase that goes on from the sentence.
        let found = claims_of(
            "NICE recommends exercise as the first step for low back pain, before any injection or operation.",
            DocFormat::Text,
        );
        assert_eq!(found, vec![(ClaimKind::Indication, "NICE recommends exercise as the first step for low back pain, before any injection or operation.".to_string())]);
    }

    #[test]
    fn cells_items_and_instructions() {
        // A table cell and a definition say their row's claim.
        let html = "<table><tr><td>How long does it last?</td><td>Usually 9 to 24 months</td></tr></table><dl><dt>Main use</dt><dd>Sciatica from an irritated nerve root.</dd></dl>";
        let found = read_claims(html, DocFormat::Html);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].kind, ClaimKind::Course);
        assert_eq!(
            found[0].claim,
            "How long does it last? Usually 9 to 24 months"
        );
        assert_eq!(
            found[0].lead_in.as_ref().unwrap().text,
            "How long does it last?"
        );
        assert_eq!(found[1].kind, ClaimKind::Indication);
        // An item that is a sentence of its own stands alone; emergency instructions are none.
        let md = "Here is my advice:\n\n- Keep moving.\n- Ozone is not for everyone, and clinics will not offer it to people with favism, an overactive thyroid or a bleeding disorder.\n\nCall 999 straight away if you have:\n\n- weakness in both legs\n- numbness between your legs\n";
        let found = read_claims(md, DocFormat::Markdown);
        let items: Vec<Option<&str>> = found.iter().map(|c| c.item.as_deref()).collect();
        assert_eq!(
            items,
            [
                Some("to people with favism"),
                Some("to people with an overactive thyroid"),
                Some("to people with a bleeding disorder")
            ]
        );
        assert!(
            found
                .iter()
                .all(|c| c.lead_in.is_none() && c.kind == ClaimKind::Indication)
        );
    }

    #[test]
    fn a_markdown_table_cell_says_its_row_and_its_column() {
        let md = "| Injection | Usual number | Relief usually lasts |\n|---|---|---|\n| Epidural steroid | 1 to 3, several weeks apart | A few weeks to 3 months |\n\nThe end of the table.\n\n| Price | £600 |\n";
        let found = read_claims(md, DocFormat::Markdown);
        let claims: Vec<(ClaimKind, &str)> =
            found.iter().map(|c| (c.kind, c.claim.as_str())).collect();
        assert_eq!(
            claims,
            [
                (
                    ClaimKind::Protocol,
                    "Epidural steroid \u{2014} Usual number: 1 to 3, several weeks apart"
                ),
                (
                    ClaimKind::Course,
                    "Epidural steroid \u{2014} Relief usually lasts: A few weeks to 3 months"
                ),
            ]
        );
        assert_eq!(
            found[0].item.as_deref(),
            Some("1 to 3, several weeks apart")
        );
        assert_eq!(found[0].lead_in.as_ref().unwrap().text, "Epidural steroid");
    }

    #[test]
    fn elements_after_an_opening_phrase_a_verb_of_relief_or_a_contraindication() {
        let split = |text: &str| enumeration(text).map(|(_, elements)| elements);
        assert_eq!(
            split(
                "Injected beside an irritated nerve, it shrinks the disc bulge, calms the inflammation and takes the edge off the pain."
            ),
            Some(vec![
                "shrinks the disc bulge".to_string(),
                "calms the inflammation".to_string(),
                "takes the edge off the pain".to_string(),
            ])
        );
        assert_eq!(
            split(
                "Dave says it sorted out his back pain, his stiffness in the mornings and his dodgy sleep."
            ),
            Some(vec![
                "his back pain".to_string(),
                "his stiffness in the mornings".to_string(),
                "his dodgy sleep".to_string(),
            ])
        );
        assert_eq!(
            split(
                "It's not something they'd do if you're pregnant, if you've got a bleeding disorder or if you're on blood thinners that can't be stopped."
            ),
            Some(vec![
                "if you're pregnant".to_string(),
                "if you've got a bleeding disorder".to_string(),
                "if you're on blood thinners that can't be stopped".to_string(),
            ])
        );
    }

    #[test]
    fn contraindications_with_verbs_of_their_own_share_only_the_subject() {
        let (head, elements) = enumeration(
            "You should not have an oxygen-ozone injection if you are pregnant, have a bleeding disorder or take blood-thinning medicines that cannot be paused.",
        )
        .unwrap();
        assert_eq!(head, "You should not have an oxygen-ozone injection ");
        assert_eq!(
            elements,
            vec![
                "if you are pregnant",
                "if you have a bleeding disorder",
                "if you take blood-thinning medicines that cannot be paused",
            ]
        );
    }

    #[test]
    fn a_table_cell_listing_what_its_row_does_makes_a_claim_of_each() {
        let html = "<table><tr><th>Treatment</th><th>What it does</th></tr><tr><td>Physiotherapy</td><td>Builds strength, flexibility and confidence in moving.</td></tr></table>";
        let claims = claims_of(html, DocFormat::Html);
        assert_eq!(claims.len(), 3, "{claims:?}");
        assert!(claims.iter().all(|(kind, _)| *kind == ClaimKind::Benefit));
        assert_eq!(
            claims[1].1,
            "Physiotherapy \u{2014} What it does: Builds flexibility"
        );
    }

    #[test]
    fn a_parenthesis_inside_a_list_and_what_patients_were_helped_to_do() {
        let split = |text: &str| enumeration(text).map(|(_, elements)| elements);
        assert_eq!(
            split(
                "The team sees problems such as narrowing of the spinal canal (spinal stenosis), stiff necks and old sports injuries."
            ),
            Some(vec![
                "narrowing of the spinal canal (spinal stenosis)".to_string(),
                "stiff necks".to_string(),
                "old sports injuries".to_string(),
            ])
        );
        assert_eq!(
            split(
                "Patients tell us that ozone has helped them sleep better, walk further and rely less on painkillers."
            ),
            Some(vec![
                "sleep better".to_string(),
                "walk further".to_string(),
                "rely less on painkillers".to_string(),
            ])
        );
    }

    #[test]
    fn an_emergency_said_in_brackets_leaves_the_item_a_claim() {
        let md = "Surgery is usually considered when:\n\n- you have trouble controlling your bladder (this is an emergency, so go straight to A&E)\n\nCall 999 straight away if you have:\n\n- weakness in both legs\n";
        let claims = claims_of(md, DocFormat::Markdown);
        assert_eq!(claims.len(), 1, "{claims:?}");
        assert_eq!(claims[0].0, ClaimKind::Indication);
    }

    #[test]
    fn kinds_of_claims() {
        let cases = [
            (
                "A 2012 review in Pain Physician found that ozone reduced pain.",
                ClaimKind::Study,
            ),
            (
                "Treatment usually takes four to eight visits, a fortnight apart.",
                ClaimKind::Protocol,
            ),
            (
                "Some people need two or three injections over a month.",
                ClaimKind::Protocol,
            ),
            (
                "Most people return to work within a few days.",
                ClaimKind::Course,
            ),
            (
                "Ozone therapy is considered a safe procedure.",
                ClaimKind::Safety,
            ),
            ("Serious complications are rare.", ClaimKind::Safety),
            (
                "A handful of case reports describe serious events.",
                ClaimKind::Safety,
            ),
            (
                "Ozone injections can relieve pain and help you move more freely.",
                ClaimKind::Benefit,
            ),
            (
                "The injection is indicated for people with sciatica.",
                ClaimKind::Indication,
            ),
            // A time that only qualifies an improvement leaves it a benefit.
            (
                "Patients tell us it can reduce pain within a couple of weeks.",
                ClaimKind::Benefit,
            ),
            // Aches helped are what the treatment is for, not its harm.
            (
                "Physiotherapy also helps with muscle strain and the aches of long hours at a desk.",
                ClaimKind::Benefit,
            ),
            // A trial's arm with what happened to it; a price said in passing.
            (
                "By a year, 8% of the ozone group went on to have an operation.",
                ClaimKind::Study,
            ),
            (
                "A gas injection sold for up to £450 a time reduced leg pain in a British trial.",
                ClaimKind::Study,
            ),
            // "Have" counts what a patient may have, not what a clinic offers.
            (
                "You can only have a few steroid jabs a year.",
                ClaimKind::Protocol,
            ),
            ("It's held for eighteen months now.", ClaimKind::Course),
            (
                "Ozone is generally avoided in pregnancy and in an overactive thyroid.",
                ClaimKind::Indication,
            ),
            (
                "I wouldn't offer it to anyone who has a bleeding problem.",
                ClaimKind::Indication,
            ),
            (
                "Ozone is also said to have a mild pain-killing effect of its own.",
                ClaimKind::Benefit,
            ),
            (
                "Those gave me about six weeks of peace each time.",
                ClaimKind::Course,
            ),
            (
                "Ozone injections at the clinic are now available for bulging discs.",
                ClaimKind::Indication,
            ),
            (
                "Roughly a third of patients don't respond at all.",
                ClaimKind::Benefit,
            ),
            // Effects listed after a modal are benefits, whatever time one of them names.
            (
                "Supporters say it can reduce pain, cut the need for painkillers and get people back to work sooner.",
                ClaimKind::Benefit,
            ),
            // A slogan promises; advice before a semicolon leaves the claim after it.
            ("Walk out smiling the very same day!", ClaimKind::Course),
            (
                "Ask the clinic how many sessions you will need; most people needed between three and six.",
                ClaimKind::Protocol,
            ),
            (
                "Epidurals may not be suitable if you take blood-thinning medicines.",
                ClaimKind::Indication,
            ),
        ];
        for (text, kind) in cases {
            assert_eq!(kind_of(text, None, false), Some(kind), "{text}");
        }
        for text in [
            "Risks and benefits",
            "Does ozone therapy really work?",
            "Book a consultation with our team today.",
            "Ozone is a gas made of three oxygen atoms.",
            "Typical side effects include:",
            "Professor Lee said a larger trial with longer follow-up was now being planned.",
            "The trial followed 264 adults with sciatica.",
            "Please add your story to the pinned thread and help the next person decide.",
            "This leaflet is for patients who have been referred to our service.",
            "My lower back and I have not been on speaking terms since last spring.",
            "If the stretch hurts, stop and mention it at your next appointment.",
        ] {
            assert_eq!(
                read_claims(text, DocFormat::Text).len(),
                0,
                "{text} is no claim"
            );
        }
    }
}
