//! What a study found: per outcome, which way its results point for the studied intervention
//! (benefit, no difference, harm, or mixed), against what comparator, and whether the text calls
//! it significant, read the way a reviewer reads an abstract.
//!
//! Only the record's own results and conclusions are read: the sentences of its results and
//! conclusions sections, or, in an abstract without sections, its own-study sentences that state
//! a result, and the closing sentence that concludes. Background ("previous trials showed...")
//! and future work ("further trials are needed") are never findings.
//!
//! Each sentence is cut into clauses at the words that turn an argument ("but", "whereas",
//! "while", "although", "however", ";"), and each clause is read for:
//! - **no difference**: the negated or null results abstracts write ("no significant difference",
//!   "did not differ", "failed to", "was not superior", "similar", "no evidence of benefit");
//! - **safety**: no adverse events, complications or side effects ("no serious complications
//!   occurred", "well tolerated") is a benefit for adverse events, and adverse events that
//!   occurred ("two patients developed transient headache", "more complications") are harm;
//! - **direction of change**: "improved", "relieved", "effective", "superior" are benefit;
//!   "reduced", "lower", "fewer" are a benefit for what is bad (pain, disability, adverse events,
//!   recurrence, analgesic use, surgery) and a harm for what is good (function, mobility, quality
//!   of life, return to work), and "increased", "higher", "more" the other way round;
//!   "worsened", "inferior", "less effective" are harm.
//!
//! Hedging ("may", "appears to", "suggests") does not change a direction. A clause without an
//! outcome of its own ("..., but not at 6 months") speaks of the outcome of the clause before.
//!
//! Per outcome, the authors' conclusion decides: when a conclusion sentence speaks of the
//! outcome, its direction is the finding, and a result that points elsewhere leaves a note that
//! the record is mixed. Otherwise the results decide: between-group results before
//! within-group ones, and results that disagree (at one time point and not at another) are
//! mixed. A record that concludes nothing has no findings.
//!
//! The outcomes are those of the taxonomy: the caller gives their mentions in the abstract
//! (the tagger finds them); a finding with no mentioned outcome has outcome `None`.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::facts::FactSource;
use super::roles::{AbstractSentence, Role, Voice};
use crate::text::patterns::pattern;

/// Which way a finding points for the studied intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Better than the comparator (or than before), or safe.
    Benefit,
    /// No difference shown.
    NoDifference,
    /// Worse, or adverse events.
    Harm,
    /// Better in one respect, time point or subgroup and not in another.
    Mixed,
}

impl Direction {
    /// The JSON and CSV name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Benefit => "benefit",
            Direction::NoDifference => "no-difference",
            Direction::Harm => "harm",
            Direction::Mixed => "mixed",
        }
    }

    /// Parses a name written by [`Direction::as_str`].
    pub fn parse(name: &str) -> Option<Direction> {
        match name {
            "benefit" => Some(Direction::Benefit),
            "no-difference" => Some(Direction::NoDifference),
            "harm" => Some(Direction::Harm),
            "mixed" => Some(Direction::Mixed),
            _ => None,
        }
    }

    /// The direction for the other side of a comparison: benefit and harm swap.
    pub fn other_way(self) -> Direction {
        match self {
            Direction::Benefit => Direction::Harm,
            Direction::Harm => Direction::Benefit,
            other => other,
        }
    }

    /// Several directions read as one: the same one, or mixed.
    pub fn combine(directions: impl IntoIterator<Item = Direction>) -> Option<Direction> {
        let mut out: Option<Direction> = None;
        for d in directions {
            out = Some(match out {
                None => d,
                Some(o) if o == d => o,
                Some(_) => Direction::Mixed,
            });
        }
        out
    }
}

/// Whether the text calls a finding statistically significant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Significance {
    /// "significantly", "p < 0.05".
    Significant,
    /// "not significant", "did not reach significance", "p = 0.31".
    NotSignificant,
}

impl Significance {
    /// The JSON and CSV name.
    pub fn as_str(self) -> &'static str {
        match self {
            Significance::Significant => "significant",
            Significance::NotSignificant => "not-significant",
        }
    }
}

/// A mention of one of the taxonomy's outcomes in the abstract, as the tagger found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeMention {
    /// The outcome tag id.
    pub outcome: String,
    /// Byte offset in the abstract text.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
}

/// What the study found for one outcome, with the sentence that says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The outcome tag id, or `None` when the finding names no outcome of the taxonomy.
    pub outcome: Option<String>,
    /// Which way it points for the studied intervention.
    pub direction: Direction,
    /// The comparator named: `placebo`, `sham`, `steroid`, `anaesthetic`, `physiotherapy`,
    /// `surgery`, `usual-care`, `baseline` (a change from before treatment) or `other`.
    pub comparator: Option<String>,
    /// Whether the text calls it significant.
    pub significance: Option<Significance>,
    /// The sentence that decides it.
    pub text: String,
    /// The field.
    pub source: FactSource,
    /// Character offset of `text` in the field.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Why the record is mixed on this outcome when its results and its conclusion disagree.
    pub note: Option<String>,
    /// Read from the authors' conclusion (not only from the results).
    #[serde(skip)]
    pub concluded: bool,
}

/// The findings of a record, and the direction of what its authors conclude overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// Per outcome (one per outcome, `None` last).
    pub findings: Vec<Finding>,
    /// The authors' overall conclusion about the studied intervention, when they draw one.
    pub direction: Option<Direction>,
    /// Whether the conclusion says anything of efficacy (not only of safety).
    pub concluded_efficacy: bool,
}

/// Where a sentence stands in the abstract's argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Results,
    Conclusion,
}

/// One clause's reading.
#[derive(Debug, Clone)]
struct ClauseReading {
    outcomes: Vec<String>,
    /// Per outcome, when the clause's outcomes go different ways: its own efficacy reading.
    efficacy_of: Vec<(String, Direction)>,
    efficacy: Option<Direction>,
    safety: Option<Direction>,
    /// The clause says nothing untoward happened ("no serious adverse events", "well
    /// tolerated").
    said_safe: bool,
    /// It counts people or events in one group only ("relapse within 12 months in 12 of 51").
    counted_in_one_group: bool,
    /// Its efficacy is said in words of its own ("effective"), not only of the events it counts
    /// ("fewer adverse events", "increased genital infections").
    efficacy_beyond_events: bool,
    significance: Option<Significance>,
    comparator: Option<&'static str>,
    between_groups: bool,
    /// Before its first outcome it names a thing of its own that the same words change ("reduced
    /// migraine frequency and the use of acute medication"): a finding on no named outcome too.
    unnamed_first: bool,
}

/// One outcome's reading in one sentence.
#[derive(Debug, Clone)]
struct Reading {
    outcome: Option<String>,
    direction: Direction,
    significance: Option<Significance>,
    comparator: Option<&'static str>,
    between_groups: bool,
    part: Part,
    sentence: usize,
    /// Read from a clause that concedes a point ("although exacerbations were unchanged").
    concession: bool,
    /// A safety reading (adverse events), not one of efficacy.
    safety: bool,
    /// Read from a statement that nothing untoward happened.
    said_safe: bool,
    /// Read from a clause that turns the argument ("but...", "however...", "whereas...").
    contrast: bool,
    /// The direction of the sentence's clauses on this outcome that concede nothing ("reduced
    /// fatigue and seems to protect physical well-being, although it did not change emotional
    /// well-being": benefit), when it has any.
    unconceded: Option<Direction>,
}

static CONCLUSION_CUE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?:in\s+conclusion|to\s+conclude|in\s+summary|to\s+summari[sz]e|overall|taken\s+together|collectively|altogether|thus|therefore|hence)\b|\bwe\s+conclude|\bconclusions?\s*:|\b(?:these|our|the(?:se)?\s+present|the)\s+(?:[\w-]+\s+){0,2}?(?:results|findings|data|observations|outcomes)\s+(?:[\w-]+\s+){0,2}?(?:suggest|indicate|show|demonstrate|support|confirm|imply|provide|highlight|reveal)|\b(?:this|the\s+present|the\s+current|our)\s+(?:[\w-]+\s+){0,3}?(?:study|trial|analysis|review|meta-analysis|series|report|evaluation|data)\s+(?:[\w-]+\s+){0,2}?(?:suggests|shows|demonstrates|indicates|confirms|provides|found|showed|demonstrated|supports|adds)",
    )
});

/// A sentence that says what the study set out to do, or how: not a result.
static AIM_OR_METHOD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:(?:primary|secondary|main|co-primary)\s+(?:end\s*-?points?|outcomes?|measures?)\s+(?:was|were|included|comprised)|outcomes?\s+(?:at\s+[\w\s-]+?\s+)?(?:was|were|included|comprised)\s+(?:the\s+)?[\w-]+|(?:was|were)\s+(?:scored|counted|converted|recorded|measured|assessed|collected)\s+(?:(?:at|with|using|by|on|before|after|every|daily|weekly|monthly|as|for|over)\b|in\s+[a-z])|we\s+(?:aimed|sought|set\s+out|hypothesi[sz]ed|investigated\s+whether|assessed\s+whether|examined\s+whether|evaluated\s+whether|randomi[sz]ed|randomly|enrolled|recruited|searched|included|conducted|performed\s+a)|(?:aim|purpose|objective|goal)s?\s+(?:of|was|were|is)|(?:was|were|is)\s+to\s+(?:assess|evaluate|compare|investigate|determine|examine|describe|explore|test|estimate|identify|review)|\b(?:allocated|assigned)\s+at\s+random\b|(?:were|was)\s+(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|allocated|assigned|enrolled|recruited|included|searched|screened|measured|assessed|recorded|collected|analy[sz]ed|evaluated)\s+(?:to|with|using|by|at|in|from|for|on|before|after|via|according)\b)",
    )
});

/// Whether a sentence says what the study set out to do, or how ([`AIM_OR_METHOD`]); "was
/// recorded in 9 patients" counts a result, not a method.
fn says_aim_or_method(sentence: &str) -> bool {
    const COUNT_WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "a", "several", "few", "most", "many", "some", "half",
    ];
    AIM_OR_METHOD.find_iter(sentence).any(|m| {
        let ends_in = m.as_str().to_ascii_lowercase().ends_with(" in");
        let next = sentence[m.end()..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let counted =
            next.starts_with(|c: char| c.is_ascii_digit()) || COUNT_WORDS.contains(&next.as_str());
        !(ends_in && counted)
    })
}

/// Whether a sentence speaks of earlier work ("previous trials reported p < 0.05").
fn roles_cites_others(sentence: &str) -> bool {
    super::roles::has_background_cue(sentence)
}

/// A statistic that only a result states: a p-value or a confidence interval.
static STATISTIC: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bp\s*(?:=|<|>|≤|≥)\s*0?\.\d|\b95\s*%\s*(?:ci|confidence)"));

/// Groups alike before treatment: a check of the randomisation, not a finding.
static BASELINE_COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:baseline\s+(?:characteristics|demographics|data|variables|features)|demographic|were\s+(?:well\s+)?(?:balanced|matched)|(?:similar|comparable|balanced|did\s+not\s+differ|no\s+(?:significant\s+)?differences?)\s+(?:[\w-]+\s+){0,4}?(?:at|before)\s+(?:baseline|randomi[sz]ation|enrol?ment|inclusion)|(?:at|before)\s+(?:baseline|randomi[sz]ation)\s*,?\s+(?:the\s+)?(?:groups|arms)\s+(?:were|did))\b",
    )
});

/// Null results, as abstracts write them.
static NO_DIFFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bno\s+(?:(?:statistically|clinically)\s+)?(?:(?:significant|meaningful|relevant|important|appreciable|notable|reliable|convincing|good|strong|robust|firm|high-quality|sufficient|additional|added|further|detectable|measurable|clear|discernible|consistent|overall|major|substantial|real|short-term|long-term|lasting|sustained|durable)\s+)*(?:functional\s+|symptomatic\s+|clinical\s+|therapeutic\s+|analgesic\s+|added\s+|extra\s+)?(?:between-groups?\s+|inter-?group\s+|group\s+)?(?:difference|differences|change|changes|effect|effects|benefit|benefits|improvement|improvements|advantage|advantages|superiority|reduction|reductions|association|associations|impact|evidence|gain|gains|influence|increase|decrease|relief|treatment\s+effect)\b|\b(?:did|does|do|could|can|was|were|is|are|has|have|had|would)\s*(?:not|n't)\s+(?:[\w-]+\s+){0,2}?(?:differ|improve|reduce|decrease|lower|change|alter|affect|show|demonstrate|lead|result|confer|provide|offer|produce|superior|better|more\s+effective|effective|efficacious|beneficial|useful|associated|influence|enhance|increase|translate|reach|yield|achieve|find|detect|support|outperform|prevent|relieve|significantly|statistically|different|hasten|speed|shorten|slow|bring|protect|restore|ease|help|benefit|lessen|raise|accelerate|separate|matter)\w*|\bfail(?:ed|s)?\s+to\b|\bnon-?significant\w*|\bnot\s+(?:statistically\s+)?significant\w*|\bnot\s+(?:significantly\s+)?(?:different|superior|better|more\s+effective)|\bsimilar(?:ly)?\b|\bcomparable\b|\bequivalent\b|\bno\s+better\b|\bneither\b|\bnor\b|\bwithout\s+(?:any\s+)?(?:significant\s+|additional\s+|added\s+)?(?:difference|benefit|improvement|effect|advantage)|\bwithout\s+(?:any\s+)?(?:better|greater|improved)\b|\black\s+of\s+(?:[\w-]+\s+)?(?:efficacy|effect|effects|benefit|improvement|difference)|\binsufficient\s+evidence|\bno\s+longer\s+\w+|\b(?:faded|waned|wore\s+off)\b|\b(?:did|does|do|was|were)\s+not\s*(?:\(|[.,;]|$)|\bunchanged\b|\bremained\s+(?:stable|unchanged|similar)|\bdid\s+not\s+reach\b|\binconclusive\b|\bnull\s+(?:result|effect|finding)|\bnon-?inferior\w*|\bnot\s+inferior|\bno\s+(?:more|less|greater|better|worse)\b[^.;]{0,60}?\bthan\b|\bno\s+(?:faster|quicker|sooner|earlier|later|longer|shorter|higher|lower)\b|\b(?:fared|did|performed|was|were)\s+no\s+worse\b|\bas\s+(?:well|effective|effectively)\s+as\b|^\W*(?:but|yet|though|although|whereas|while|except)\s+not\b|\bnot\s+(?:be\s+)?(?:sustained|maintained|durable|lasting|persistent|confirmed)|\b(?:did\s+not|failed\s+to)\s+(?:persist|last|endure)|\b(?:waned|disappeared|was\s+lost|were\s+lost)\b|\b(?:did|do|does)\s+not\s+separate\b|\b(?:added|adds|add|offers?|offered|gave|gives)\s+nothing\b|\bno\s+added\s+(?:value|benefit)|\bunlikely\s+to\s+(?:provide|offer|give|produce|improve|reduce|help|benefit|relieve|change)|\b(?:seems?|appears?|is|was)\s+unlikely\b|\bbelow\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?minimal(?:ly)?\s+(?:clinically\s+)?important\s+difference|\btoo\s+small\s+to\s+(?:matter|be\s+(?:clinically\s+)?(?:important|meaningful|relevant|worthwhile))|\bnot\s+clinically\s+(?:important|meaningful|relevant)|\bclinically\s+(?:unimportant|irrelevant)|\b(?:improved|changed|declined|fell|rose|increased|decreased)\s+equally\b|\bequal(?:ly)?\s+(?:[\w-]+\s+)?(?:effective|efficacious|analgesia|effects?|efficacy|relief|outcomes?|benefits?)\b|\b(?:were|was|are|is|remained)\s+(?:(?:much|largely|broadly|essentially|almost|nearly|virtually)\s+)?(?:the\s+same|alike|identical|equal)\b|\b(?:changed|differed|improved)\s+little\b|\blittle\s+or\s+no\b|\b(?:choice|decision)\s+(?:between\s+(?:[\w-]+\s+){1,3}?)?(?:may|can|could|should|might)?\s*(?:reasonably\s+)?(?:be\s+)?(?:left\s+to|rest\s+on|depend\s+on|be\s+guided\s+by|be\s+based\s+on|be\s+made\s+on)\s+(?:[\w-]+\s+){0,2}?(?:cost|costs|preference|preferences|availability|convenience)",
    )
});

/// Nothing untoward happened: a safety benefit.
static SAFE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\W*no\s+(?:[\w,-]+\s+){1,6}?(?:occurred|developed|(?:was|were)\s+(?:reported|observed|seen|recorded|noted|encountered))\b|\b(?:no|none\s+of\s+the\s+(?:[\w-]+\s+){0,2}?(?:experienced|developed|had|reported|showed)|without(?:\s+any)?|free\s+of|absence\s+of|nor\s+any)\s+(?:(?:serious|major|severe|significant|relevant|procedure-related|treatment-related|drug-related|device-related|intervention-related|important|permanent|lasting|neurological|infectious|systemic|local|new|other|further|unexpected|notable|appreciable|clinically\s+relevant)\s+|(?:or|and|,)\s+)*(?:adverse|complications?|side[-\s]effects?|harms?|infections?|deaths?|toxicit\w*|safety\s+(?:concerns?|issues?|signals?)|sequelae|morbidity|injur\w*)|\b(?:safe|safely|well[-\s]tolerated|tolerable|tolerated\s+well|good\s+safety|favou?rable\s+safety|(?:good|excellent|acceptable|favou?rable)\s+tolerability|(?:tolerability|safety(?:\s+profile)?)\s+(?:was|were|is|are)\s+(?:good|excellent|acceptable|favou?rable|satisfactory|reassuring)|low\s+(?:rate|risk|incidence)\s+of\s+(?:adverse|complications?|side)|low\s+(?:complication|adverse[-\s]event|side[-\s]effect)\s+(?:rates?|risk)|(?:adverse|complications?|side[-\s]effects?)\s+(?:[\w-]+\s+){0,3}?(?:were|was)\s+(?:rare|uncommon|infrequent|not\s+(?:observed|reported|seen|recorded|noted)))\b",
    )
});

/// Adverse events that happened.
static HARMED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:(?:stopped|discontinued|withdrew|withdrawn|dropped\s+out)\s+(?:[\w-]+\s+){0,4}?(?:because\s+of|due\s+to|owing\s+to)\s+|can\s+(?:cause|lead\s+to|result\s+in|be\s+followed\s+by|trigger|induce)|caused\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,2}?(?:more|serious|severe|fatal|major|significant)|should\s+not\s+be\s+used|must\s+be\s+avoided|contraindicated|(?:more|higher|increased|greater|excess)\s+(?:[\w-]+\s+){0,2}?(?:bleeding|haemorrhage|hemorrhage|infections?|fractures?|falls|hospitali[sz]ations?)|(?:developed|experienced|suffered|sustained|reported|had|presented\s+with)\s+(?:(?:a|an|one|two|three|four|five|\d+)\s+)?(?:[\w-]+\s+){0,3}?(?:complications?|adverse|side[-\s]effects?|infections?|headaches?|haematomas?|hematomas?|bleeding|haemorrhage|hemorrhage|paraesthesia|paresthesia|weakness|nausea|vomiting|dizziness|syncope|rash|fever|allergic|anaphyla\w*|embol\w*|stroke|injur\w*|pneumo\w*|necrosis|discitis|meningitis|abscess|death|\w+itis|\w+aemia|\w+emia|\w+rrhage|\w+rrhages|tears?|dys\w*aesthesi\w*|dysesthesi\w*|fractures?|ruptures?|revision|reoperation|migration|explant\w*|recurrence)|(?:complications?|adverse\s+(?:events?|effects?|reactions?)|side[-\s]effects?|deaths?|infections?)\s+(?:[\w-]+\s+){0,3}?(?:occurred|were\s+(?:reported|observed|noted|recorded|seen|more)|was\s+(?:reported|observed|noted|recorded|seen)|included|developed)|\bexpos\w*\s+(?:patients|them|participants|people|women|men|children)\s+to\s+(?:[\w-]+\s+){0,2}?(?:risks?|complications?|harms?|adverse)|\bdied\b|\bfatal\b|\b(?:fainted|collapsed|vomited)\b|(?:adverse|complications?|side[-\s]effects?|harms|events|reactions)\s+(?:[\w-]+\s+){0,3}?(?:were|was)\s+(?:mostly\s+|generally\s+|all\s+|largely\s+|usually\s+)?(?:minor|mild|transient|self-limiting|short-lived|moderate)|\b(?:main|major|chief|only|principal)\s+(?:drawback|downside|disadvantage)s?\b|\b(?:led|leading)\s+to\s+(?:(?:treatment|drug|study)\s+)?(?:discontinuation|withdrawal|stopping)|\bled\s+(?:[\w-]+\s+){1,6}?to\s+(?:stop|discontinue|withdraw|drop\s+out|abandon|quit)|\b(?:leading\s+to|requiring|resulting\s+in|needing)\s+(?:treatment\s+|drug\s+)?(?:discontinuation|withdrawal|hospitali[sz]ation|admission|dose\s+(?:reduction|adjustment)|transfusion|reoperation)|\bcarri\w*\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:risk|burden)\s+of\b|\bburden\s+of\s+(?:[\w-]+\s+)?(?:side[-\s]effects?|adverse|harms?|toxicit\w*)|\bserious\s+adverse\s+(?:events?|effects?|reactions?)\s+(?:occurred|were|was|in)|(?:more|higher|increased|greater|added|extra)\s+(?:[\w-]+\s+){0,2}?(?:complications?|adverse|side[-\s]effects?|toxicit\w*|mortality|deaths?|risk\s+of\s+(?:[\w-]+\s+){0,2}?(?:complications?|adverse|infection|death|bleeding)))",
    )
});

/// "no exercise-related adverse events", "no device or procedure complications".
static NO_EVENTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:no|without)\s+(?:[\w-]+\s+){1,3}?(?:adverse|complications?|side[-\s]effects?|harms|toxicit\w*|infections?)\b",
    )
});

/// Words that make "no ... adverse events" a comparison, not an absence.
static COMPARISON_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:differ\w*|change\w*|increase\w*|reduction|decrease\w*|excess|more|fewer|higher|lower|rates?|risk)\b",
    )
});

/// Words that join two phrases: "no visual symptoms when toxicity was found" is no absence of
/// toxicity.
static JOINING_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:when|while|after|before|that|which|if|until|in|at|of|on|during|because)\b")
});

/// The authors advise against the treatment.
static ADVISED_AGAINST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:should\s+not\s+be\s+(?:used|prescribed|given|offered|recommended|routinely)|should\s+be\s+avoided|(?:is|are)\s+not\s+recommended|(?:would|do|does|can)\s+not\s+recommend|advise\s+against|recommend\s+against|no\s+longer\s+be\s+(?:used|offered)|more\s+harm\s+than\s+good|do(?:es)?\s+not\s+support\s+(?:its|their|the|this|routine)|should\s+not\s+be\s+(?:the\s+)?first[-\s]line|\b(?:cannot|can\s+not|could\s+not|can't)\s+be\s+recommended|\b(?:should\s+be|is|are)\s+(?:strongly\s+)?discouraged)",
    )
});

/// Whether a sentence advises against the treatment: not a relative clause on whom something
/// else suits ("may be considered in patients in whom steroids should be avoided").
fn advises_against(sentence: &str) -> bool {
    static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:whom|who|whose|which|where|when|if|unless)\s+(?:[\w-]+\s+){0,4}$")
    });
    ADVISED_AGAINST
        .find_iter(sentence)
        .any(|m| !RELATIVE.is_match(&sentence[..m.start()]))
}

/// The authors weigh a gain against a loss: "shortens time off work at the price of more
/// procedures", "advantages that must be set against a higher risk", "patients should weigh
/// the two".
static TRADE_OFF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bat\s+the\s+(?:cost|expense|price)\s+of\b|\b(?:balanced|weighed|set|traded\s+off)\s+against\b|\btrade-?offs?\b|\bshould\s+weigh\b",
    )
});

/// As good as the comparator, said as a gain.
static AS_GOOD_AS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bnon-?inferior\b|\bnot\s+inferior\b|\bas\s+(?:well|effective|effectively|good|efficacious)\s+as\b|\bmatched\b|\bequivalent\s+to\b|\bequally\s+effective\b|\b(?:equal|similar|comparable)\s+(?:analgesia|efficacy|effectiveness|pain\s+relief)\b",
    )
});

/// Where a sentence goes on to a further point: "..., and", "and", "with".
static JOINED_PART: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i),?\s+(?:and|with|while\s+also)\s+"));

/// A treatment recommended before the one studied: "Rehabilitation should be tried first", "A
/// structured physiotherapy programme is a reasonable first step".
static OTHER_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:should|must|can)\s+be\s+(?:tried|offered|used|considered|given)\s+first\b|\b(?:reasonable|sensible|appropriate|preferable|better)\s+first\s+(?:step|choice|option)\b|\bbefore\s+(?:surgery|an\s+operation|injections?|considering\s+(?:surgery|injections?|an\s+operation))\s+is\s+considered\b",
    )
});

/// A harm said to be serious ("increased serious bleeding", "significantly more major
/// haemorrhage"), not denied ("no serious adverse events").
static SERIOUS_HARM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:serious|major|severe|life-threatening|fatal)\s+(?:[\w-]+\s+){0,2}?(?:bleed\w*|ha?emorrhage\w*|events?|harms?|complications?|adverse|injur\w+|infections?|fractures?|side[-\s]effects?)",
    )
});
static SERIOUS_DENIED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:no|without|nor|neither|not\s+(?:cause|increase|raise)\w*|none\s+(?:was|were|of\s+which\s+(?:was|were)))\s+(?:[\w-]+\s+){0,3}?(?:serious|major|severe|life-threatening|fatal)\b",
    )
});

/// Whether an outcome's mention right after `before` names whom the study is about, not what
/// it measured: "a reasonable alternative for patients with chronic shoulder pain".
fn names_the_population(before: &str) -> bool {
    static POPULATION: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:patients|people|adults|children|women|men|those|participants|individuals|subjects)\s+(?:with|suffering\s+from|who\s+have|who\s+had)\s+((?:[a-z-]+\s+){0,3})$",
        )
    });
    const MEASURE: &[&str] = &[
        "relief",
        "reduction",
        "improvement",
        "response",
        "less",
        "no",
        "lower",
        "higher",
        "greater",
        "more",
        "clinically",
        "significant",
        "meaningful",
        "complete",
        "persistent",
        "residual",
        "worse",
        "better",
        "any",
    ];
    POPULATION.captures(before).is_some_and(|c| {
        c.get(1).is_none_or(|words| {
            !words
                .as_str()
                .split_whitespace()
                .any(|w| MEASURE.contains(&w.to_ascii_lowercase().as_str()))
        })
    })
}

/// A gain said to be lost or passing.
static LOST_LATER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:effects?|benefits?|relief|improvements?|gains?)\s+(?:is|was|are|were|had\s+been|has\s+been)\s+(?:largely\s+|mostly\s+)?(?:lost|gone)\b|\b(?:did|does|do)\s+not\s+(?:last|persist|endure)\b|\bshort-lived\b|\b(?:often\s+|only\s+)?(?:transient|temporary|brief)\s+(?:relief|benefits?|effects?|improvements?|gains?)\b|\b(?:wore|wears)\s+off\b",
    )
});

/// The authors recommend the treatment.
static RECOMMENDED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bshould\s+(?:remain|become|be)\s+(?:the\s+)?(?:standard|first[-\s]line|preferred|treatment\s+of\s+choice|routine)|\bcan\s+(?:reasonably\s+)?be\s+(?:offered|recommended|used\s+instead)|\bargues?\s+for\s+(?:its|their)\s+use|\bwe\s+recommend\b|\b(?:is|are|be|remains?)\s+(?:(?:probably|likely|therefore)\s+)?(?:the|a)\s+better\s+(?:choice|option|treatment)\b|\b(?:remains?|should\s+remain|and\s+(?:is|are))\s+(?:a|an|the)\s+(?:reasonable|good|valid|preferred|suitable|appropriate|first[-\s]line)\s+(?:option|choice|treatment|standard)\b",
    )
});

/// A gain the authors restrict to some of the patients, doses or times: "worthwhile only for
/// the larger stones", "reduced infections only during the first year".
static RESTRICTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bonly\s+(?:for|in|during|among|at|when|with|if|after|within|over|through|up\s+to|until)\b",
    )
});

/// A question a study will answer: "the trial will show whether ...".
static OPEN_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:will|would|to|may|should)\s+(?:[\w-]+\s+){0,2}?(?:show|determine|assess|test|establish|tell|examine|evaluate|clarify|answer|explore|investigate)\s+whether\b",
    )
});

/// A sentence that reports what a measure did ("KDQOL scores, available for a subset, were
/// broadly similar", "Responses did not differ by sex"): a result, even without figures.
static MEASURE_REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\W*(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:scores?|rates?|levels?|values?|responses|results|measures?|counts?|proportions?)\b(?:\s*,[^,]*,)?\s+(?:were|was|did|remained|changed|differed|showed)\b",
    )
});

/// A sentence that reports on the study's arms ("were reported in similar proportions in both
/// groups", "was more common in the placebo group"): a result, though it states no figure.
static GROUPS_REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:in|between|across|with|for)\s+(?:both|the\s+two|all|each|either)\s+(?:groups?|arms?|solutions|drugs|treatments|techniques|regimens|doses|procedures)\b|\bin\s+the\s+(?:[\w-]+\s+)?[\w-]+\s+(?:group|arm)\b|\b(?:were|was)\s+(?:reported|observed|recorded|seen|noted)\s+(?:in|by|among)\b",
    )
});

/// The study's own people given a treatment: "forty-four patients treated in a pain clinic",
/// "analysis of treated patients", "scored before treatment".
static TREATMENT_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:treated|operated)\s+(?:patients|participants|subjects|cases)\b|\b(?:patients|participants|subjects|people|adults|volunteers|cases)\s+(?:[\w-]+\s+){0,3}?(?:were\s+|had\s+been\s+)?(?:treated|received|underwent|injected|given|allocated|assigned|randomi[sz]ed)\b|\b(?:before|after)\s+(?:the\s+)?(?:treatment|injections?|procedure|therapy|surgery)\b",
    )
});

/// An exposure compared in the study's people ("current users ... than never users", "use of
/// proton pump inhibitors was associated with"), told with a measure of association.
static EXPOSURE_COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:never|non)[-\s]?(?:users?|takers?|exposed)\b|\b(?:current|regular|daily|frequent|ever)\s+users\b|\buse\s+of\s+(?:[\w-]+\s+){1,4}?(?:was|were)\s+(?:independently\s+)?associated\s+with\b",
    )
});
static ASSOCIATION_MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:odds|risk|hazard|rate|prevalence)\s+ratios?\b|\ba?(?:OR|RR|HR)\s*[=:,(]?\s*\d|\bassociated\s+with\b",
    )
});

/// Whether the abstract tells of its own people given a treatment, or of an exposure compared
/// in them ("current users more often reported wheeze than never users"); a survey of what
/// people have or believe does not; a "cross-sectional analysis of treated patients" does.
pub fn tells_of_treatment_given(text: &str) -> bool {
    TREATMENT_GIVEN.is_match(text)
        || EXPOSURE_COMPARED.is_match(text) && ASSOCIATION_MEASURE.is_match(text)
}

/// A study that reports no treatment's effect whatever treatment its people had: a qualitative
/// study of their views, a study of a measure's properties, a simulation or a trial design.
static NO_TREATMENT_EFFECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:semi-?structured\s+interviews?|in-?depth\s+interviews?|focus\s+groups?|thematic(?:ally)?\s+analy\w+|grounded\s+theory|phenomenolog\w+|framework\s+analysis|qualitative\s+(?:study|interviews?|descriptive|research|design|analysis)|measurement\s+properties|psychometric\w*|test-?retest|internal\s+consistency|anchor-?based|simulation\s+study|simulation-based|simulated\s+(?:trials|data|datasets)|we\s+simulated|resampl\w+\s+(?:study|datasets?)|platform\s+(?:trial\s+)?designs?|design\s+paper)\b",
    )
});

/// Whether a record's title and abstract say it reports no treatment's effect (see
/// [`NO_TREATMENT_EFFECT`]): it has no findings.
pub fn reports_no_treatment_effect(title: &str, text: &str) -> bool {
    NO_TREATMENT_EFFECT.is_match(title) || NO_TREATMENT_EFFECT.is_match(text)
}

/// A clause whose subject is the trial's end point: "The primary composite (...) occurred in",
/// "The kidney composite ...".
static END_POINT_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\W*(?:the\s+)?(?:[\w-]+\s+)?(?:primary|secondary|composite|main)\s*(?:composite\s*)?(?:end\s*-?\s*points?|outcomes?|\(|,|[\w-]+\s+(?:end\s*-?\s*points?|outcomes?))",
    )
});

/// A trial's end point or outcome (which occurring is no adverse event).
static END_POINT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?:end\s*-?\s*points?|primary|outcomes?|composite)\b"));

/// An effect that did not last.
static WANED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:faded|waned|wore\s+off|disappeared|(?:was|were|had\s+been)\s+lost|not\s+(?:be\s+)?(?:maintained|sustained)|no\s+longer|short-lived|(?:did|does|do)\s+not\s+(?:(?:appear|seem)\s+to\s+)?(?:last|persist)|converge\w*)\b",
    )
});

/// A conclusion that speaks of the short term only.
static SHORT_TERM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:in\s+the\s+short[-\s]term|short[-\s]term|at\s+first|initially|in\s+the\s+first\s+(?:few\s+)?(?:days|weeks|months))\b",
    )
});

/// An early or short-term gain.
static EARLY_GAIN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:early|short-term|initial|rapid|fast|faster|quick)\s+(?:[\w-]+\s+)?(?:advantage|benefit|response|relief|gain|effect|improvement)",
    )
});

/// A count of events or people: "two episodes", "in 4 ozone patients", "a single haematoma".
static COUNTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:\d+(?:\.\d+)?\s*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+single|single|few|several|most|many)\s+(?:[\w-]+\s+){0,3}?(?:patients?|participants?|subjects?|children|infants?|women|men|people|cases?|episodes?|events?|of\s+(?:the\s+)?(?:patients|participants))\b|\b(?:a\s+single|one|two|three|four)\s+(?:[\w-]+\s+){0,2}?[\w-]+(?:s)?\s+(?:and|were|was)\b",
    )
});

/// Adverse events said to be alike between the arms.
static AE_COMPARED_ALIKE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:comparable|similar|alike|no\s+more\s+(?:frequent|common|often)|no\s+excess|(?:no|without)\s+(?:additional|extra|excess)|without\s+(?:an?\s+)?(?:significant\s+|important\s+)?(?:increase|rise)\s+in|did\s+not\s+differ|no\s+(?:significant\s+)?difference|at\s+similar\s+rates|in\s+(?:both|either|each|any|all)\s+(?:of\s+the\s+)?(?:two\s+)?(?:groups?|arms?))\b",
    )
});

/// Two arms' counts in a clause ("6 and 5 patients", "18.5% and 18.7%", "36% vs 24%"): whether
/// they are alike (within half again of each other), or `None` when there are none.
fn counts_alike(clause: &str) -> Option<bool> {
    let (a, b) = count_pair(clause)?;
    let (hi, lo) = (a.max(b), a.min(b));
    Some(hi < lo * 1.5 || (hi - lo).abs() < 1e-9)
}

/// Whether the first arm's count is the lower.
fn counts_first_lower(clause: &str) -> bool {
    count_pair(clause).is_some_and(|(a, b)| a < b)
}

fn count_pair(clause: &str) -> Option<(f64, f64)> {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)(?P<a>\d+(?:\.\d+)?)\s*(?:%\s*(?:(?:[\w.%-]+\s+){0,4}?(?:and|vs\.?|versus|compared\s+with|against))|(?:[\w-]+\s+){0,4}?(?:vs\.?|versus|compared\s+with|against)|and)\s*(?P<b>\d+(?:\.\d+)?)\s*(?:%|patients|participants|subjects|children|women|men|infants|people|cases)",
        )
    });
    // "Five injected and four control participants", "three ozone and two saline patients".
    static COUNTED_PAIR: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?P<a>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[\w-]+\s+){0,2}?(?:and|vs\.?|versus)\s+(?P<b>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[\w-]+\s+){0,2}?(?:patients|participants|subjects|children|women|men|infants|people|cases|recipients)\b",
        )
    });
    fn number(word: &str) -> Option<f64> {
        const WORDS: [&str; 12] = [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve",
        ];
        let lower = word.to_ascii_lowercase();
        match WORDS.iter().position(|w| *w == lower) {
            Some(i) => Some((i + 1) as f64),
            None => lower.parse().ok(),
        }
    }
    if let Some(c) = PAIR.captures(clause) {
        return Some((c["a"].parse().ok()?, c["b"].parse().ok()?));
    }
    // "in 7 patients after ozone and in 6 after hyaluronic acid".
    static PEOPLE_THEN_COUNT: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?P<a>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:patients|participants|subjects|children|women|men|infants|people|cases|recipients)\s+(?:[\w-]+\s+){0,3}?(?:and|vs\.?|versus|compared\s+with)\s+(?:in\s+)?(?P<b>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
        )
    });
    let c = COUNTED_PAIR
        .captures(clause)
        .or_else(|| PEOPLE_THEN_COUNT.captures(clause))?;
    Some((number(&c["a"])?, number(&c["b"])?))
}

/// A negation just before an adverse event ("was not associated with more bleeding").
static NEGATED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:no|not|without|nor|neither|never)\b[^,;]*$|\b(?:fewer|less|lower\s+rates?\s+of)\s+(?:[\w-]+\s+){0,2}$",
    )
});

/// Whether the words just before `at` in `clause` negate what starts there ("no serious
/// complications", "not associated with more bleeding"); a negation in an earlier coordinated
/// part does not ("brought no relief and carried a burden of side effects").
fn negated_before(clause: &str, at: usize) -> bool {
    static JOINED: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\s(?:and|but)\s"));
    let mut from = at.saturating_sub(30);
    while !clause.is_char_boundary(from) {
        from -= 1;
    }
    let window = &clause[from..at];
    let own = JOINED
        .find_iter(window)
        .last()
        .map_or(window, |m| &window[m.end()..]);
    NEGATED_BEFORE.is_match(own)
}

/// Events that happened more often with the treatment: "Neck pain and ptosis were more
/// frequent with onabotulinumtoxinA", "complications were frequent", "at the cost of frequent
/// local reactions"; or that happened at all: "haemorrhage occurred in 3.1%".
static MORE_OFTEN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:(?:were|was)\s+(?:\w+\s+)?more\s+(?:frequent|common|often)\s+(?:with|after|in\s+the\s+[\w-]+\s+(?:group|arm)|on|among\s+(?:those|patients|participants)\s+(?:given|receiving|treated|on|taking))|(?:were|was)\s+(?:very\s+)?(?:frequent|common|substantial|considerable|numerous)|frequent\s+(?:[\w-]+\s+)?(?:reactions?|events?|effects?|complications?)|more\s+(?:frequent|common)\s+(?:with|after)|(?:is|are|was|were)\s+more\s+(?:frequent|common)\s+than)\b",
    )
});

static LESS_OFTEN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?:less|least)\s+(?:frequent(?:ly)?|common(?:ly)?|often)\b"));

/// Fewer events named as such: "with fewer side effects", "fewer complications occurred".
static FEWER_EVENTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:fewer|less|lower\s+rates?\s+of|half\s+(?:the|as\s+many|as\s+much))\s+(?:[\w-]+\s+){0,2}?(?:complications?|adverse|side[-\s]effects?|infections?|events?|reactions?)",
    )
});

static OCCURRED_IN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:(?:occurred|developed|were\s+(?:seen|observed|noted|reported|recorded|diagnosed)|was\s+(?:seen|observed|noted|reported|recorded|diagnosed))\s+in|(?:was|were)\s+(?:reported|described|experienced|noted)\s+by|affected)\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|most|many|some|the\s+majority|a\s+(?:minority|third|quarter|fifth|half))",
    )
});

/// A statement about one arm: "in the physiotherapy group".
static IN_AN_ARM: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?:in|of)\s+the\s+(?:[\w-]+\s+){1,2}(?:group|arm)\b"));

/// Whether a clause that counts events also says, in words of its own, how well the treatment
/// worked: "shortened stay and hastened mobilisation without additional complications" does;
/// "fewer adverse events with ozone than with steroid" does not.
fn efficacy_beyond(
    clause: &str,
    safe_spans: &[(usize, usize)],
    outcome_is_bad: Option<bool>,
) -> bool {
    let mut rest = clause.to_string();
    let mut blank = |s: usize, e: usize| {
        rest.replace_range(s..e, &" ".repeat(e - s));
    };
    for &(s, e) in safe_spans {
        blank(s, e);
    }
    for re in [
        &*FEWER_EVENTS,
        &*HARMED,
        &*MORE_OFTEN,
        &*LESS_OFTEN,
        &*AE_COMPARED_ALIKE,
    ] {
        let spans: Vec<(usize, usize)> =
            re.find_iter(clause).map(|m| (m.start(), m.end())).collect();
        for (s, e) in spans {
            blank(s, e);
        }
    }
    BETTER.is_match(&rest)
        || WORSE.is_match(&rest)
        || NO_DIFFERENCE.is_match(&rest)
        || change_direction(&rest, outcome_is_bad).is_some()
}

/// Whether a sentence gives results at two or more times, significant at some and not at
/// others.
fn over_time_both_ways(sentence: &str) -> bool {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:at|after|by|within|over|on)\s+(?:the\s+)?(?:(\d+|one|two|three|four|five|six|eight|nine|ten|twelve|eighteen|twenty-four)[-\s]?(h|hours?|days?|weeks?|months?|years?|wk|mo)\b|(day|week|month)\s+(\d+)\b)",
        )
    });
    static P_VALUE: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"(?i)\bp\s*(?:=|<|>|≤|≥)\s*0?\.\d+"));
    let times: std::collections::BTreeSet<String> = TIME
        .captures_iter(sentence)
        .map(|c| match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(n), Some(unit), _, _) => {
                format!("{} {}", n.as_str(), unit.as_str().trim_end_matches('s'))
            }
            (_, _, Some(unit), Some(n)) => format!("{} {}", n.as_str(), unit.as_str()),
            _ => String::new(),
        })
        .map(|t| t.to_ascii_lowercase())
        .collect();
    // ... or overall and in a subgroup ("overall RR 1.05 (95% CI 0.97 to 1.14); for stones of
    // 5 mm or more RR 1.32 (95% CI 1.09 to 1.60)").
    static SUBGROUP: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\boverall\b[^.]*?(?:\b(?:in|among|for)\s+(?:those|patients|participants|people|adults|women|men|children|stones|lesions|the\s+subgroup|subgroups?)\b|\bsubgroups?\b)",
        )
    });
    if times.len() < 2 && !SUBGROUP.is_match(sentence) {
        return false;
    }
    let (mut significant, mut not) = (false, false);
    for m in P_VALUE.find_iter(sentence) {
        let p = m.as_str();
        if NOT_SIGNIFICANT.is_match(p) {
            not = true;
        } else if SIGNIFICANT.is_match(p) {
            significant = true;
        }
    }
    // Confidence intervals of differences: excluding zero, or not.
    static CI: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)95\s*%\s*(?:ci|confidence\s+interval)[,:]?\s*(?P<lo>[-−–]?\d+(?:\.\d+)?)\s*(?:to|-|–|—|,)\s*(?P<hi>[-−–]?\d+(?:\.\d+)?)",
        )
    });
    static RATIO: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"(?i)\b(?:ratio|rr|or|hr|irr|relative\s+risk)\b"));
    // A ratio's null is 1, a difference's 0.
    let null = if RATIO.is_match(sentence) { 1.0 } else { 0.0 };
    for c in CI.captures_iter(sentence) {
        let number = |name: &str| -> Option<f64> {
            c.name(name)?.as_str().replace(['−', '–'], "-").parse().ok()
        };
        if let (Some(lo), Some(hi)) = (number("lo"), number("hi")) {
            if lo <= null && null <= hi {
                not = true;
            } else {
                significant = true;
            }
        }
    }
    significant && not
}

/// A share of people: "in 9%", "in 12 of 51", "in 6 surgical patients (4%)".
static IN_A_SHARE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bin\s+(?:\d+(?:\.\d+)?\s*%|\d+\s+of\s+\d+|\d+\s+(?:[\w-]+\s+){0,2}?(?:patients|participants|children|people|cases))",
    )
});

/// Counted episodes of something: "one episode of dysphagia", "two cases of discitis".
static EPISODES_OF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+|a\s+single|single)\s+(?:[\w-]+\s+)?(?:episodes?|cases?|instances?)\s+of\b",
    )
});

/// Patients reporting what happened to them after treatment.
static EVENT_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:patients?|participants?|subjects?|children|women|men|infants?|cases?|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,2}?(?:reported|experienced|developed|had|suffered|complained\s+of|presented\s+with)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,2}?(?:increased|worsening|transient|temporary|brief|mild|post-?\w+|local|flare|self-limiting|short-lived|minor)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+)?(?:patients?|participants?|subjects?|children|women|men|infants?|people|residents)\s+(?:fell|died|fainted|collapsed|vomited)\b",
    )
});

/// A count of people to whom something happened: "Two infants developed hypoglycaemia", "one
/// patient had a vasovagal episode", "3 (4%) reported dizziness". What happened is read after it
/// ([`is_event_reported`]).
static PEOPLE_HAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(?:\(\s*[\d.]+\s*%\s*\)\s+)?(?:(?:of\s+the\s+)?(?:[\w-]+\s+)?(?:patients?|participants?|subjects?|children|women|men|infants?|people|persons?|users|recipients)\s+(?:\(\s*[\d.]+\s*%\s*\)\s+)?(?:in\s+the\s+[\w-]+\s+(?:group|arm)\s+)?)?(?:had|developed|experienced|reported|suffered|sustained|required|needed|became|strained|sprained|injured|fractured|tore)\s+(?:an?\s+|the\s+)?([\w-]+)",
    )
});

/// Whether a clause counts people to whom an untoward event happened (not a good outcome:
/// "12 patients had complete relief").
fn is_event_reported(clause: &str) -> bool {
    const GOOD: &[&str] = &[
        "improvement",
        "improved",
        "relief",
        "complete",
        "good",
        "excellent",
        "better",
        "response",
        "benefit",
        "significant",
        "greater",
        "lower",
        "less",
        "reduced",
        "reduction",
        "no",
        "normal",
        "full",
        "satisfactory",
        "successful",
        "success",
        "resolution",
        "remission",
        "healed",
        "healing",
        "returned",
        "return",
        "recovered",
        "recovery",
        "higher",
        "more",
        "fewer",
        "mean",
        "median",
        "at",
        "follow-up",
        "baseline",
        "previous",
        "prior",
        "surgery",
        "treatment",
        "injections",
        "injection",
        "sessions",
        "data",
        "both",
        "two",
        "three",
        "pain-free",
        "free",
        "symptom-free",
        "asymptomatic",
        "independent",
        "ambulatory",
        "able",
        "well",
        "satisfied",
        "not",
        "never",
        "avoided",
    ];
    static BEFORE_TREATMENT: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:present\s+(?:at|before)\s+(?:enrol\w*|baseline|admission|inclusion|randomi[sz]ation)|pre-?existing|before\s+(?:treatment|enrol\w*|randomi[sz]ation))",
        )
    });
    if BEFORE_TREATMENT.is_match(clause) {
        return false;
    }
    PEOPLE_HAD.captures_iter(clause).any(|c| {
        let word = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        !GOOD.contains(&word.as_str()) && !word.chars().all(|ch| ch.is_ascii_digit())
    })
}

/// A risk said to rise with the treatment: "may increase the risk of hip fracture", "was
/// associated with a higher risk of bleeding", "does not appear to increase the risk of
/// Guillain-Barre syndrome" (negated: no difference).
static RISK_RAISED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:increase[sd]?|raise[sd]?|raising|increasing|elevate[sd]?|double[sd]?|doubling)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:risks?|odds|hazards?)\s+of\b|\b(?:higher|increased|greater|elevated|excess|raised)\s+(?:[\w-]+\s+)?(?:risks?|odds|hazards?|rates?|incidence)\s+of\b|\bcontribut\w*\s+to\b|\b(?:accelerat\w*|hasten\w*|promot\w*|(?:(?:was|were|is|are)\s+associated\s+with|result(?:ed|s)?\s+in|le(?:d|ads)\s+to|caus(?:ed|es))\s+(?:a\s+)?(?:greater|more|faster|increased))\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:loss|decline|damage|progression|degeneration|thinning|atrophy|deterioration)\b",
    )
});

/// Whether a clause says the treatment raises the risk of something bad (`Some(true)`), or
/// that it does not (`Some(false)`): the something is an adverse event of the treatment when
/// the clause names no outcome the treatment is meant to improve.
fn risk_raised(clause: &str) -> Option<bool> {
    // What is at risk: not an outcome the treatment is meant to improve ("increased the risk of
    // recurrence"), not a good thing ("weight loss").
    static MEANT_TO_IMPROVE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)^\W*(?:[\w-]+\s+){0,3}?(?:pain|function\w*|disability|recurren\w*|relapse|surgery|reoperation|re-?interventions?|re-?treatment|revision|further|repeat|additional|procedures?|weight|fat)\b",
        )
    });
    let m = RISK_RAISED.find(clause)?;
    let after = &clause[m.end()..];
    if GOOD_THING.is_match(after)
        || END_POINT.is_match(after)
        || MEANT_TO_IMPROVE.is_match(after)
        || m.as_str().to_ascii_lowercase().contains("weight")
    {
        return None;
    }
    // "We found no evidence that antidepressant exposure in pregnancy increases the risk":
    // a negation anywhere in its part of the clause.
    static NEGATION: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"(?i)\b(?:no|not|never|without|unlikely)\b|n't\b"));
    static JOINED: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)[,;]|\s(?:and|but)\s"));
    let before = &clause[..m.start()];
    let own = JOINED
        .find_iter(before)
        .last()
        .map_or(before, |j| &before[j.end()..]);
    Some(!negated_before(clause, m.start()) && !NEGATION.is_match(own))
}

/// Words that turn an adverse event that happened into one that did not, or into fewer.
static LESS_OR_NONE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?:no|none|fewer|less|lower|reduced|any|neither|nor)\b"));

/// Worse for the studied intervention.
static WORSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:worse|worsen\w*|deteriorat\w*|harmful|detrimental|inferior\s+to|(?:was|were|is|are)\s+inferior|less\s+effective|less\s+efficacious|less\s+beneficial|outperformed\s+by|aggravated|exacerbated)\b",
    )
});

/// Better, whatever the outcome.
static BETTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:improv\w*|reliev\w*|relief|alleviat\w*|ameliorat\w*|effective(?:ly|ness)?|efficacious|efficacy|beneficial|benefit(?:ed|s|ted)?|superior\s+to|(?:was|were|is|are)\s+superior|superiority|better|faster|quicker|sooner|success(?:ful|fully)?|favou?rabl[ey]|favou?red|enhanc\w*|promising|useful|valuable|viable|advantage(?:ous|s)?|outperform(?:ed|s)?|remission|eas(?:e|es|ed|ing)|gains?\s+in|gained|protect(?:s|ed|ive|ion)?|(?:slow\w*|halt\w*|delay\w*|prevent\w*|attenuat\w*|lessen\w*)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:decline|progression|deterioration|worsening)|(?:might|may|could|can|would|will|did|do|does)\s+(?:[\w-]+\s+)?gain\s+from|(?:be|is|are)\s+(?:the\s+)?(?:preferred|preferable)|preserv\w*|(?:had|has|have|showed|produced|exerted)\s+(?:a|an)\s+(?:(?:rapid|clear|significant|marked|large|moderate|small|modest|beneficial|positive|sustained|lasting|[\w-]+-like)\s+){1,2}(?:[\w-]+\s+)?effects?|help(?:s|ed|ful)?|worthwhile|should\s+be\s+considered\s+(?:for|in)\s+(?:all\s+)?(?:patients|adults|children|people|those|women|men|older)|(?:reasonable|suitable|appropriate|good|valid|useful|valuable|attractive)\s+(?:(?:first[-\s]line|second[-\s]line|treatment|therapeutic|non-?surgical|conservative)\s+)?(?:alternative|option|substitute|choice)|should\s+be\s+(?:part\s+of|offered)|recommend\s+(?:its|their)\s+use)\b",
    )
});

/// Less of something.
static DOWN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:reduc\w*|decreas\w*|lower(?:ed|ing)?|less|fewer|declin\w*|diminish\w*|drop(?:ped)?|fell|fallen|shorter|shorten\w*|cut|avoid\w*|delay(?:ed|s)?|prevent\w*|spar\w*)\b",
    )
});

/// More of something.
static UP: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:increas\w*|higher|greater|more|rais\w*|rose|longer|elevat\w*|prolong(?:ed|s|ing)?|lengthen(?:ed|s|ing)?)\b",
    )
});

/// What is bad to have more of.
static BAD_THING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:pain|painful|disability|odi|oswestry|roland|rmdq|ndi|vas|nrs|symptoms?|complications?|adverse|side[-\s]effects?|recurrence|relapse|analgesics?|opioids?|consumption|use\s+of|mortality|deaths?|risk|rate\s+of\s+surgery|surgery|surgical|reoperation|failure|intensity|score\s+of\s+pain|tenderness|stiffness|inflammation|infection|hospitali[sz]ation|length\s+of\s+stay|stay|time\s+to|time\s+off|days\s+(?:to|off|of\s+sick)|sick\s+days|absence|sick\s+leave|depression|anxiety|fatigue|nausea|bleeding|hba1c|glucose|blood\s+pressure|cholesterol|swelling|oedema|edema|itch\w*|severity|burden|incidence|events?)\b",
    )
});

/// What is good to have more of.
static GOOD_THING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:pain[-\s]free|free\s+(?:of|from)\s+(?:pain|symptoms)|symptom[-\s]free|relief|analgesia|(?:sensory\s+|motor\s+|nerve\s+)?block\s+duration|duration\s+of\s+(?:the\s+)?(?:sensory\s+|motor\s+|nerve\s+)?block|function\w*|mobility|range\s+of\s+motion|flexion|extension|walking|walk\s+(?:test\s+)?distance|\d+-?\s*minute\s+walk|quality[-\s]of[-\s]life|qol|recovery|excellent|sf-?36|eq-?5d|return(?:ed)?\s+to\s+work|satisfaction|success|survival|strength|joa|response|responders?|healing|wellbeing|well-being|activity|performance|remission|proportion\s+of\s+(?:patients|participants)\s+(?:with|who\s+(?:improved|achieved|reported))|improvement|(?:was|were)\s+(?:achieved|attained|reached)\s+by)\b",
    )
});

static NOT_SIGNIFICANT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bnot\s+(?:statistically\s+)?significant\w*|\bnon-?significant\w*|\bno\s+(?:statistically\s+)?significant|\bdid\s+not\s+(?:reach|achieve|attain)\s+(?:statistical\s+)?significance|\bwithout\s+(?:statistical\s+)?significance|\b(?:did|does|do|was|were)\s+not\s+(?:differ\s+)?significantly|\bp\s*(?:>|≥|>=)\s*0?\.0*[5-9]|\bp\s*=\s*0?\.(?:[1-9]\d*|0[5-9]\d*)\b|\bp\s*=\s*1(?:\.0+)?\b|\bn\.?s\.?(?:\s|\)|,|;|$)",
    )
});

static SIGNIFICANT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bsignificant(?:ly)?\b|\bp\s*(?:<|≤|<=)\s*0?\.0*[0-5]\d*|\bp\s*=\s*0?\.0(?:[0-4]\d*|0\d*)\b|\bp\s*=\s*0?\.00\d*",
    )
});

/// A comparator after the words that introduce one.
static COMPARED_WITH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|versus|vs\.?|than|relative\s+to|over|against|as\s+opposed\s+to|rather\s+than)\s+((?:[\w-]+\s*){1,8})",
    )
});

/// A change within one group: from before treatment to after.
static FROM_BASELINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:from\s+(?:a\s+)?(?:mean\s+)?(?:baseline|pre-?treatment|pre-?operative|pre-?injection|admission|the\s+first\s+visit|\d)|(?:compared|relative)\s+(?:with|to)\s+(?:the\s+)?(?:baseline|pre-?treatment|pre-?operative|pre-?injection|initial)|before\s+and\s+after|pre-?\s*(?:and|to|vs\.?|versus)\s*post|within\s+(?:each|both|the)\s+(?:[\w-]+\s+)?groups?|in\s+both\s+groups|over\s+time|after\s+(?:treatment|the\s+injection|the\s+procedure|surgery))",
    )
});

/// Words that compare the groups with one another.
static BETWEEN_GROUPS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:between(?:\s+the)?\s+(?:[\w-]+\s+){0,3}?(?:groups|arms)|between-groups?|inter-?group|compared\s+(?:with|to)|versus|vs\.?|than\s+(?:the\s+|those\s+|with\s+|in\s+|after\s+|for\s+)?[a-z]|relative\s+to|superior\s+to|inferior\s+to|(?:was|were|is|are)\s+(?:not\s+)?(?:superior|inferior)|over\s+(?:placebo|sham|control|usual|standard)|group\s+differences?|the\s+(?:between-group\s+)?difference|(?:more|less|greater|further)\s+with|in\s+the\s+[\w-]+\s+(?:group|arm)\s+than)\b|\(\s*(?:mean\s+|standardi[sz]ed\s+mean\s+|risk\s+|adjusted\s+)?(?:difference|md|smd|rr|or|hr|irr|risk\s+ratio|odds\s+ratio|hazard\s+ratio|rate\s+ratio)\b",
    )
});

/// The kind of comparator a phrase names (see [`Finding::comparator`]).
fn comparator_kind(phrase: &str) -> Option<&'static str> {
    static KINDS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
        [
            (
                "usual-care",
                r"\b(?:usual|standard|conventional|routine)\s+(?:care|treatment|therapy|management|practice)|\bconservative\s+(?:care|treatment|therapy|management)|\bno\s+(?:treatment|intervention|surgery)|\bwait(?:ing)?[-\s]?list|\bwatchful\s+waiting|\bstandard\s+of\s+care\b|\bwithout\s+(?:surgery|fusion|an?\s+operation|treatment)|\bnon-?(?:surgical|operative)\b|\bnonoperative\b",
            ),
            ("sham", r"\bsham\b"),
            ("placebo", r"\b(?:placebo|dummy|vehicle|saline)\b"),
            (
                "steroid",
                r"\b(?:steroids?|corticosteroids?|glucocorticoids?|methylprednisolone|triamcinolone|dexamethasone|betamethasone|prednisolone|prednisone|hydrocortisone)\b",
            ),
            (
                "anaesthetic",
                r"\b(?:an(?:a)?esthetics?|lidocaine|lignocaine|bupivacaine|ropivacaine|mepivacaine|levobupivacaine|procaine)\b",
            ),
            (
                "physiotherapy",
                r"\b(?:physiotherapy|physical\s+therapy|exercises?|rehabilitation|manual\s+therapy|physiotherapists?|stretching|mckenzie)\b",
            ),
            (
                "surgery",
                r"\b(?:surgery|surgical|discectomy|microdiscectomy|laminectomy|laminotomy|fusion|decompression|operation|operative)\b",
            ),
            (
                "baseline",
                r"^(?:the\s+)?(?:baseline|pre-?treatment|pre-?operative|pre-?injection|initial)\b",
            ),
        ]
        .into_iter()
        .map(|(kind, words)| (kind, pattern(&format!("(?i){words}"))))
        .collect()
    });
    let phrase = phrase.trim();
    KINDS
        .iter()
        .find(|(_, re)| re.is_match(phrase))
        .map(|(kind, _)| *kind)
}

/// Words after "than"/"versus" that name no comparator ("than 50%", "than before").
fn names_nothing(phrase: &str) -> bool {
    let first = phrase
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    first.is_empty()
        || first.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            first.as_str(),
            "expected"
                | "before"
                | "previously"
                | "in"
                | "at"
                | "that"
                | "those"
                | "usual"
                | "half"
                | "one"
                | "two"
                | "three"
                | "a"
                | "an"
                | "time"
                | "p"
                | "the"
        ) && comparator_kind(phrase).is_none()
}

/// The comparator a clause names, if any.
fn clause_comparator(clause: &str) -> Option<&'static str> {
    static ADDED_TO: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:adding|added|addition\s+of)\s+(?:[\w-]+\s+){1,6}?to\s+((?:[\w-]+\s*){1,5})",
        )
    });
    if FROM_BASELINE.is_match(clause) && !BETWEEN_GROUPS.is_match(clause) {
        return Some("baseline");
    }
    // "Adding oxygen-ozone to physiotherapy": the treatment it is added to is the comparison.
    if let Some(kind) = ADDED_TO
        .captures(clause)
        .and_then(|c| c.get(1))
        .and_then(|g| comparator_kind(g.as_str()))
    {
        return Some(kind);
    }
    for m in COMPARED_WITH.captures_iter(clause) {
        let phrase = m.get(1).map_or("", |g| g.as_str());
        if let Some(kind) = comparator_kind(phrase) {
            return Some(kind);
        }
        let lower = phrase.to_ascii_lowercase();
        if lower.starts_with("control") || lower.starts_with("the control") {
            continue;
        }
        if !names_nothing(phrase) {
            return Some("other");
        }
    }
    None
}

/// The direction of change for what the clause measures: "reduced pain" is a benefit,
/// "reduced quality of life" a harm, "more complications" a harm.
/// A change word that says a change happened: a comparative or a past form.
fn said_as_change(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.ends_with("ed")
        || w.ends_with("er")
        || matches!(
            w.as_str(),
            "more" | "less" | "fewer" | "fell" | "rose" | "fallen"
        )
}

fn change_direction(clause: &str, outcome_is_bad: Option<bool>) -> Option<Direction> {
    // "reduced pain more than steroid": "more than" compares; it changes nothing.
    // "Intensive lowering increased mortality": a change word that names the treatment, with
    // the verb right after it, is not the change.
    // ("fell more with the drug": "more" says how much it fell, not what changed).
    let nominal = |m: &regex::Match<'_>| {
        let next = clause[m.end()..].split_whitespace().next().unwrap_or("");
        let degree = matches!(
            next.to_ascii_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
            "more" | "less" | "further" | "most" | "least"
        );
        !degree
            && (UP.is_match(next)
                || DOWN.is_match(next)
                || BETTER.is_match(next)
                || WORSE.is_match(next))
    };
    // A change noun opening the clause as a modifier of the next noun ("Prevention policies
    // should include e-cigarettes") names a kind of thing, not a change.
    let modifier = |m: &regex::Match<'_>| {
        let word = m.as_str().to_ascii_lowercase();
        let next = clause[m.end()..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        clause[..m.start()].trim().is_empty()
            && (word.ends_with("ion") || word.ends_with("ions"))
            && next.chars().all(|c| c.is_ascii_lowercase())
            && !matches!(
                next.as_str(),
                "" | "of"
                    | "in"
                    | "by"
                    | "with"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "among"
                    | "at"
                    | "from"
                    | "for"
                    | "to"
                    | "after"
                    | "than"
                    | "and"
                    | "or"
                    | "did"
                    | "occurred"
                    | "had"
                    | "has"
                    | "remained"
                    | "became"
            )
    };
    // "One patient fell at home": a person falling, not a measure.
    static PERSON_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:patients?|participants?|subjects?|children|women|men|infants?|people|residents|another|others)\s*$",
        )
    });
    let person_fell = |m: &regex::Match<'_>| {
        m.as_str().eq_ignore_ascii_case("fell") && PERSON_BEFORE.is_match(&clause[..m.start()])
    };
    let changes = |re: &Regex| {
        re.find_iter(clause).find(|m| {
            !modifier(m)
                && !person_fell(m)
                && !clause[m.end()..]
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("than")
                && !nominal(m)
        })
    };
    let down = changes(&DOWN);
    let up = changes(&UP);
    let (m, is_down) = match (down, up) {
        (Some(d), Some(u)) => {
            if d.start() <= u.start() {
                (d, true)
            } else {
                (u, false)
            }
        }
        (Some(d), None) => (d, true),
        (None, Some(u)) => (u, false),
        (None, None) => return None,
    };
    // What is prevented, avoided, spared or delayed is bad by the word itself.
    if is_down
        && ["prevent", "avoid", "spar", "delay"]
            .iter()
            .any(|w| m.as_str().to_ascii_lowercase().starts_with(w))
    {
        return Some(Direction::Benefit);
    }
    // What changed: the nearest thing named around the change word (the subject before a verb,
    // the noun after an adjective).
    let after = &clause[m.end()..];
    let before = &clause[..m.start()];
    let near_after = after.get(..after.len().min(60)).unwrap_or(after);
    // A good thing that holds a bad word ("pain-free") is the good thing.
    let good_spans = |text: &str| -> Vec<(usize, usize)> {
        GOOD_THING
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    };
    let bad_in = |text: &str| -> Vec<(usize, usize)> {
        let good = good_spans(text);
        BAD_THING
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .filter(|&(s, e)| !good.iter().any(|&(gs, ge)| s < ge && gs < e))
            .collect()
    };
    let bad_after = bad_in(near_after).first().map(|x| x.0);
    let good_after = good_spans(near_after).first().map(|x| x.0);
    let bad_before = bad_in(before).last().map(|x| before.len() - x.1);
    let good_before = good_spans(before).last().map(|x| before.len() - x.1);
    // A comparative adjective speaks of what follows it ("fewer complications", "more
    // patients were pain-free"); a verb of the nearest thing, its subject ("pain fell") or its
    // object ("reduced pain").
    let adjective = matches!(
        m.as_str().to_ascii_lowercase().as_str(),
        "more" | "less" | "fewer" | "greater" | "higher" | "lower" | "longer" | "shorter"
    );
    // ... unless it follows a copula: "pain was lower" speaks of its subject.
    static COPULA_END: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:was|were|is|are|remained|became|been)\s+(?:much\s+|significantly\s+|slightly\s+|substantially\s+|markedly\s+)?$",
        )
    });
    let adjective = adjective && !COPULA_END.is_match(before);
    let rank = |after: Option<usize>, before: Option<usize>| -> Option<(usize, usize)> {
        if adjective {
            after.map(|d| (0, d)).or(before.map(|d| (1, d)))
        } else {
            match (after, before) {
                (Some(a), Some(b)) => Some((0, a.min(b))),
                (a, b) => a.or(b).map(|d| (0, d)),
            }
        }
    };
    let bad = rank(bad_after, bad_before);
    let good = rank(good_after, good_before);
    let thing_is_bad = match (bad, good) {
        (Some(b), Some(g)) => b <= g,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        // Nothing named near the change word: what the clause's outcome measures ("the AFEQT
        // score was 8.9 points higher"); else treatments are given to lessen what is wrong
        // ("reduced crying time").
        (None, None) => match outcome_is_bad {
            // Only a change said as one ("was 8.9 points higher", "fell"), not a word of a name
            // ("the straight leg raise").
            Some(bad) if said_as_change(m.as_str()) => bad,
            Some(_) if is_down => return Some(Direction::Benefit),
            Some(_) => return None,
            None if is_down => return Some(Direction::Benefit),
            None => return None,
        },
    };
    Some(if is_down == thing_is_bad {
        Direction::Benefit
    } else {
        Direction::Harm
    })
}

/// A clause's efficacy reading for one outcome mentioned at `start..end` of it, for a clause
/// whose outcomes are said to go different ways ("caused less pain and allowed a faster return
/// to work, with similar recurrence"): the reading of the coordinated part that holds the
/// mention (cut at commas outside brackets and at "and"), or of the nearest part before it
/// that says a direction ("reduces pain and disability"). A null result between the groups
/// ("..., with no difference between groups") holds for them all.
fn efficacy_near(clause: &str, start: usize, next: usize, outcome: &str) -> Option<Direction> {
    static BETWEEN_NULL: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:no|not)\b[^.;]{0,40}\bdiffer\w*\s+(?:[\w-]+\s+){0,3}?between\b|\bgroups\s+did\s+not\s+differ",
        )
    });
    static AND: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\s+and\s+"));
    static WITH_LIKE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\s+with\s+(?:a\s+|an\s+)?(?:similar|comparable|equal|no|the\s+same|little|less|more|fewer)\b",
        )
    });
    if BETWEEN_NULL.is_match(clause) {
        return Some(Direction::NoDifference);
    }
    // "..., as did WOMAC physical function (-6.4 points, 95% CI ...)": what was said before.
    static AS_DID: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:as|so)\s+(?:did|was|were|had|does|do)\s+(?:[\w-]+\s+){0,4}$")
    });
    if AS_DID.is_match(&clause[..start]) {
        let before = clause[..start].rfind([',', ';']).unwrap_or(0);
        return read_clause(&clause[..before], vec![outcome.to_string()]).efficacy;
    }
    // Its own words up to the next outcome, with their test: "the ODI improved by 14.2 points
    // with ozone and 11.8 without (difference 2.4, p = 0.31), and pain ...".
    let own = &clause[start..next];
    if NOT_SIGNIFICANT.is_match(own)
        && read_clause(own, vec![outcome.to_string()]).efficacy == Some(Direction::NoDifference)
    {
        return Some(Direction::NoDifference);
    }
    // The cut points: commas outside brackets, and "and".
    let mut cuts = vec![0];
    let mut depth = 0i32;
    for (i, b) in clause.bytes().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b',' if depth <= 0 => cuts.push(i + 1),
            _ => {}
        }
    }
    for m in AND.find_iter(clause) {
        cuts.push(m.end());
    }
    for m in WITH_LIKE.find_iter(clause) {
        cuts.push(m.start());
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.push(clause.len());
    let parts: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let holding = parts
        .iter()
        .position(|&(a, b)| a <= start && start < b)
        .unwrap_or(0);
    parts[..=holding]
        .iter()
        .rev()
        .find_map(|&(a, b)| read_clause(&clause[a..b], vec![outcome.to_string()]).efficacy)
}

/// A sentence that opens on what the sentence before it found: "The difference was smaller at 6
/// months", "This benefit was not maintained".
static SENTENCE_ANAPHORA: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\W*(?:however,?\s+)?(?:(?:at|by|after|beyond|from)\s+(?:[\w-]+,?\s+){1,3}?)?(?:the|this|these|that|such|its|their)\s+(?:[\w-]+\s+)?(?:effects?|benefits?|improvements?|differences?|advantages?|gains?|reductions?)\b",
    )
});

/// A change said of something first, then of an outcome: "reduced migraine frequency and the
/// use of acute medication".
static UNNAMED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:reduc(?:ed|es)|lower(?:ed|s)|decreas(?:ed|es)|improv(?:ed|es)|increas(?:ed|es)|shorten(?:ed|s)|prevent(?:ed|s)|reliev(?:ed|es)|halved|halves|cut)\s+(?:the\s+)?(?:[\w-]+\s+){1,4}?(?:and|as\s+well\s+as)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$",
    )
});

/// Untoward events the taxonomy may not name: "falls", "hypercalcaemia", "bruising".
static UNNAMED_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:\w+(?:itis|aemia|algia|rrhoea|rrhea)|hypercalc\w+|hyperkal\w+|injur(?:y|ies)|falls?|fractures?|upset|discharge|bruis\w*|swelling|palpitations?|tremors?|cramps?|hypotension|bradycardia|tachycardia|arrhythmias?|fibrillation|cardiac\s+events?|aftertaste|dry\s+mouth|sweating|weight\s+gain|hair\s+loss|somnolence)\b",
    )
});

/// A clause that turns the argument against what came before it.
static CONTRAST_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\W*(?:but|however|whereas|yet|in\s+contrast|by\s+contrast|on\s+the\s+other\s+hand)\b",
    )
});

/// A clause that opens on what the clause before it said: "but the effect was not
/// maintained", "while the mental component did not", "but not at 6 months".
static ANAPHORA: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\W*(?:but|however|although|though|while|whereas|yet)?\W*(?:(?:the|this|these|its|their|that)\s+(?:[\w-]+\s+)?(?:effect|effects|benefit|benefits|improvement|improvements|difference|differences|advantage|advantages|gain|gains|response|relief|change|changes|component)|(?:the\s+)?(?:outcomes|results)|no\s+(?:[\w-]+\s+)?(?:effect|effects|benefit|benefits|difference|differences|advantage|improvement|gain)|(?:was|were|is|are|had|has|remained|became|did)|not|it|they|this|at\s+\d+)\b",
    )
});

/// A clause whose verb leaves out what it speaks of: "but the ileocolonic formulation did not".
static ELLIPTIC: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:did|does|do|was|were|is|are|could|can|had|has)\s*(?:not|n't)\s*(?:\(|[.,;]|$)|\b(?:did|does|do)\s+so\b|^\W*(?:but|yet|whereas|while|though|although)\s+(?:(?:was|were|remained|became)\s+)?(?:similar|comparable|alike|no\s+different|unchanged|lower|higher|better|worse|greater|smaller|less|more|only|still|significantly|slightly|markedly|equal)\b",
    )
});

/// A clause's first coordinated part: up to its first comma outside brackets or "and".
fn first_part(clause: &str) -> &str {
    static AND: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\s+and\s+"));
    let mut depth = 0i32;
    let mut end = clause.len();
    for (i, b) in clause.bytes().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b',' if depth <= 0 && i > 0 && clause[..i].trim().len() > 3 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if let Some(m) = AND.find(&clause[..end]) {
        end = m.start();
    }
    &clause[..end]
}

/// Reads one clause (the outcomes in it are given).
fn read_clause(clause: &str, outcomes: Vec<String>) -> ClauseReading {
    // "at the lowest effective dose" says nothing of how well it worked.
    static EFFECTIVE_DOSE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:lowest|minimum|minimal|smallest|optimal)\s+effective\s+(?:doses?|concentrations?)\b",
        )
    });
    let masked;
    let clause = if EFFECTIVE_DOSE.is_match(clause) {
        masked =
            EFFECTIVE_DOSE.replace_all(clause, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
        masked.as_ref()
    } else {
        clause
    };
    let outcome_is_bad = outcome_polarity(&outcomes, clause);
    let no_difference = NO_DIFFERENCE.is_match(clause);
    let mut safe_spans: Vec<(usize, usize)> = SAFE
        .find_iter(clause)
        .map(|m| (m.start(), m.end()))
        .collect();
    // "No exercise-related adverse events occurred": any few words between "no" and the event,
    // unless they make it a comparison ("no difference in adverse events").
    safe_spans.extend(
        NO_EVENTS
            .find_iter(clause)
            .filter(|m| !COMPARISON_WORD.is_match(m.as_str()) && !JOINING_WORD.is_match(m.as_str()))
            .map(|m| (m.start(), m.end())),
    );
    let safe = !safe_spans.is_empty();
    // A statement that nothing untoward happened, not a word on one event ("a dural tear,
    // repaired without sequelae") nor on the other arm ("none in the physiotherapy group").
    let said_safe = safe
        && safe_spans
            .iter()
            .any(|&(s, _)| !clause[s..].to_ascii_lowercase().starts_with("without"))
        && !IN_AN_ARM.is_match(clause);
    let qualifies_event = safe
        && safe_spans
            .iter()
            .all(|&(s, _)| clause[s..].to_ascii_lowercase().starts_with("without"));
    let in_safe = |start: usize, end: usize| safe_spans.iter().any(|&(s, e)| start < e && s < end);
    // "had fewer complications", "no complications were seen", "not associated with more
    // bleeding": not harm.
    let harmed = HARMED.find_iter(clause).any(|m| {
        !LESS_OR_NONE.is_match(m.as_str())
            && !in_safe(m.start(), m.end())
            && !negated_before(clause, m.start())
    });
    // Events counted more often (or at all) with the treatment are harm, unless what happened is
    // a good thing ("response was more frequent") or the counts do not differ (p = 0.86).
    let subject_is_good = |at: usize| {
        let before = &clause[..at];
        GOOD_THING.is_match(before) || BETTER.is_match(before)
    };
    let more_often = MORE_OFTEN
        .find(clause)
        .filter(|m| !subject_is_good(m.start()) && !negated_before(clause, m.start()));
    let occurred = OCCURRED_IN.find(clause).filter(|m| {
        !subject_is_good(m.start())
            && !in_safe(m.start(), m.end())
            && !END_POINT.is_match(&clause[..m.start()])
    });
    let less_often = LESS_OFTEN
        .find(clause)
        .filter(|m| !subject_is_good(m.start()));
    let not_significant = NOT_SIGNIFICANT.is_match(clause);
    // "one fall and one episode of dysphagia", "two cases of discitis".
    let episodes = EPISODES_OF.find(clause).is_some_and(|m| {
        !negated_before(clause, m.start()) && !GOOD_THING.is_match(&clause[m.end()..])
    });
    // "may increase the risk of hip fracture": what the treatment is not meant to do, so an
    // adverse event, unless the clause names an outcome it is meant to improve.
    let risk = risk_raised(clause);
    let harmed = harmed
        || risk == Some(true)
        || episodes
        || more_often.is_some()
        || (occurred.is_some() && !not_significant)
        || EVENT_REPORT.is_match(clause)
        || (is_event_reported(clause) && !not_significant && !BETTER.is_match(clause));
    // "caused less soreness": fewer of the events the clause names.
    static CAUSED_LESS: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:caused|causes|produced|produces|induced|gave)\s+(?:fewer|less)\b")
    });
    let fewer_named =
        outcomes.iter().any(|o| o == "adverse-events") && CAUSED_LESS.is_match(clause);
    let safe =
        safe || ((less_often.is_some() || FEWER_EVENTS.is_match(clause) || fewer_named) && !harmed);
    let counted_alike = occurred.is_some() && not_significant && !safe;
    // Events compared between the arms: "comparable", "no more frequent than", "no excess of",
    // "without additional complications", or counts near one another ("18.5% and 18.7%").
    let said_more = more_often.is_some()
        || HARMED.find_iter(clause).any(|m| {
            let t = m.as_str().to_ascii_lowercase();
            t.contains("more")
                || t.contains("higher")
                || t.contains("increased")
                || t.contains("greater")
        });
    // Counts that differ clearly, or a difference called significant, are not alike whatever
    // else the clause calls similar ("constipation 4% and 1%, and site reactions similar").
    let counts_differ = counts_alike(clause) == Some(false)
        || SIGNIFICANT.is_match(clause) && !NOT_SIGNIFICANT.is_match(clause);
    let compared_alike = (safe || harmed || occurred.is_some())
        && !said_more
        && !counts_differ
        && (AE_COMPARED_ALIKE.is_match(clause) || counts_alike(clause) == Some(true));
    let counted_fewer = harmed && counts_alike(clause) == Some(false) && counts_first_lower(clause);
    // An adverse event the clause names (the taxonomy's mention) counted in people, with no
    // word of safety: "A single small haematoma and two episodes of fatigue were noted" is an
    // event reported, so harm; "rates of systemic events were similar", no difference.
    let names_event = outcomes.iter().any(|o| o == "adverse-events");
    let event_alike = names_event && !safe && !harmed && AE_COMPARED_ALIKE.is_match(clause);
    let event_counted = names_event
        && !safe
        && !harmed
        && !event_alike
        && occurred.is_none()
        && COUNTED.is_match(clause)
        && !NO_DIFFERENCE.is_match(clause);
    let harmed = harmed || event_counted;
    let safety = if compared_alike
        || event_alike
        || counted_alike && !harmed
        || risk == Some(false) && !safe
    {
        Some(Direction::NoDifference)
    } else if counted_fewer || safe && !harmed {
        Some(Direction::Benefit)
    } else if harmed && !safe {
        Some(Direction::Harm)
    } else if safe && harmed {
        // "No serious adverse events occurred; one patient had transient soreness": the
        // statement that nothing untoward happened decides.
        Some(if said_safe {
            Direction::Benefit
        } else if qualifies_event {
            // "a dural tear repaired without sequelae": the event happened.
            Direction::Harm
        } else {
            Direction::Mixed
        })
    } else {
        None
    };
    // "Four patients reported increased pain after injection": an event report, not efficacy.
    let event_report = EVENT_REPORT.is_match(clause);
    let estimate = estimate_reading(clause, &outcomes);
    let favouring = favouring(clause);
    // A benefit that did not last ("reduced pain for two months, an effect that had faded by
    // six"; "a clear early advantage had disappeared by six months"): mixed.
    let negated = NO_DIFFERENCE
        .find_iter(clause)
        .any(|m| !WANED.is_match(m.as_str()));
    let waned = WANED.is_match(clause)
        && !negated
        && (BETTER.is_match(clause)
            || EARLY_GAIN.is_match(clause)
            || change_direction(clause, outcome_is_bad) == Some(Direction::Benefit));
    let efficacy =
        if (event_report || more_often.is_some()) && !no_difference && !BETTER.is_match(clause) {
            None
        } else if waned {
            Some(Direction::Mixed)
        } else if let Some(d) = favouring {
            Some(d)
        } else if estimate.is_some_and(|(d, _)| d == Direction::NoDifference) {
            // The groups' difference with its interval says no difference, whatever improved in
            // each ("improved by 3.4 with Pilates and by 2.6 with usual care (mean difference -0.8,
            // 95% CI -2.3 to 0.7)").
            Some(Direction::NoDifference)
        } else if no_difference {
            // "no significant complications" is a safety reading, not a null result.
            let only_safety = safe
                && !NO_DIFFERENCE
                    .find_iter(clause)
                    .any(|m| !SAFE.is_match(&clause[m.start()..]));
            (!only_safety).then_some(Direction::NoDifference)
        } else if NOT_SIGNIFICANT.is_match(clause)
            && !SIGNIFICANT.is_match(clause)
            && (figures_reading(clause, &outcomes) == Some(Direction::NoDifference)
                || GROUPS_REPORTED.is_match(clause))
        {
            // "MADRS scores fell by 12.1 points with omega-3 and by 10.4 with placebo (difference
            // 1.7, p = 0.18)": each arm changed; the test between them found no difference.
            Some(Direction::NoDifference)
        } else if WORSE.is_match(clause) {
            Some(Direction::Harm)
        } else if let Some(d) = change_direction(clause, outcome_is_bad) {
            // "improved" wins over a change word read as harm ("improved despite higher doses").
            if d == Direction::Harm && BETTER.is_match(clause) {
                Some(Direction::Benefit)
            } else {
                Some(d)
            }
        } else if BETTER.is_match(clause) {
            Some(Direction::Benefit)
        } else {
            // Only figures: "mean difference -1.4 (95% CI -2.1 to -0.7)", "risk ratio 0.66 (95% CI
            // 0.25 to 1.73)", "3.7 vs 3.1, p = 0.19", "from 6.8 to 3.9 (p < 0.001)".
            estimate
                .map(|(d, _)| d)
                .or_else(|| figures_reading(clause, &outcomes))
                .or_else(|| {
                    // A result given only as a p-value that is not significant ("grip pain VAS,
                    // p = 0.38").
                    NOT_SIGNIFICANT
                        .is_match(clause)
                        .then_some(Direction::NoDifference)
                })
        };
    // "was highly effective and does not appear to increase the risk of Guillain-Barre
    // syndrome": the risk is a word on safety; efficacy is what the clause says before it.
    let efficacy = match risk.and_then(|_| RISK_RAISED.find(clause)) {
        Some(m) => {
            static BEFORE_RISK: LazyLock<Regex> =
                LazyLock::new(|| pattern(r"(?i)(?:,|;|\band\b|\bbut\b|\bwhile\b|\bwith\b)"));
            let cut = BEFORE_RISK
                .find_iter(&clause[..m.start()])
                .last()
                .map_or(m.start(), |b| b.start());
            read_clause(&clause[..cut], outcomes.clone()).efficacy
        }
        None => efficacy,
    };
    // "no significant complications" says nothing of statistics.
    let significance = if NOT_SIGNIFICANT
        .find_iter(clause)
        .any(|m| !in_safe(m.start(), m.end()))
    {
        Some(Significance::NotSignificant)
    } else if SIGNIFICANT
        .find_iter(clause)
        .any(|m| !in_safe(m.start(), m.end()))
    {
        Some(Significance::Significant)
    } else {
        estimate.map(|(_, sig)| sig)
    };
    ClauseReading {
        outcomes,
        efficacy_of: Vec::new(),
        counted_in_one_group: count_pair(clause).is_none()
            && (COUNTED.is_match(clause)
                || OCCURRED_IN.is_match(clause)
                || IN_A_SHARE.is_match(clause)),
        efficacy_beyond_events: efficacy.is_some()
            && (safety.is_none() || efficacy_beyond(clause, &safe_spans, outcome_is_bad)),
        efficacy,
        safety,
        said_safe,
        significance,
        comparator: clause_comparator(clause),
        // "(difference -1.2, 95% CI ...)", "an SMD of -0.15 (95% CI ...)": the arms compared.
        between_groups: BETWEEN_GROUPS.is_match(clause)
            || ESTIMATE
                .captures(clause)
                .is_some_and(|c| c.name("kind").is_some()),
        unnamed_first: false,
    }
}

/// An effect estimate with its 95% confidence interval: "mean difference -1.4 (95% CI -2.1 to
/// -0.7)", "HR 0.74, 95% CI 0.67 to 0.82", "risk ratio 2.9 (95% CI 2.1 to 4.0)".
static ESTIMATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?P<kind>\b(?:mean\s+difference|md|smd|standardi[sz]ed\s+mean\s+difference|difference|risk\s+difference|rd|risk\s+ratio|rr|relative\s+risk|odds\s+ratio|or|hazard\s+ratio|hr|rate\s+ratio|irr|incidence\s+rate\s+ratio|ratio)\b[^();]{0,40}?)?(?P<est>[-−–]?\d+(?:\.\d+)?)\s*(?:%|points?|mm|ml|kg|m|cm|metres|meters|mmhg|mg|g|days?|hours?|weeks?|units?)?\s*[(\[,;]\s*(?:adjusted\s+)?(?:95\s*%\s*)?(?:ci|confidence\s+interval)[,:]?\s*(?P<lo>[-−–]?\d+(?:\.\d+)?)\s*(?:to|-|–|—|,)\s*(?P<hi>[-−–]?\d+(?:\.\d+)?)",
    )
});

/// The direction and significance an effect estimate shows: a confidence interval that holds
/// no effect (1 for a ratio, 0 for a difference) is no difference; otherwise less of a bad
/// thing (pain, events) or more of a good one is a benefit (the treatment compared with its
/// control, as abstracts order them).
fn estimate_reading(clause: &str, outcomes: &[String]) -> Option<(Direction, Significance)> {
    let Estimate { est, lo, hi, ratio } = estimate_in(clause)?;
    if est < lo - 1e-9 || est > hi + 1e-9 {
        return None;
    }
    let null = if ratio { 1.0 } else { 0.0 };
    if lo <= null && null <= hi {
        return Some((Direction::NoDifference, Significance::NotSignificant));
    }
    let less = est < null;
    // What the estimate measures: the outcome named, else the words of the clause (ratios are
    // mostly of events, which are bad to have).
    let bad = measures_bad(clause, outcomes, ratio);
    let direction = if less == bad {
        Direction::Benefit
    } else {
        Direction::Harm
    };
    Some((direction, Significance::Significant))
}

/// An effect estimate with its interval, and whether it is a ratio (no effect at 1, else 0).
struct Estimate {
    est: f64,
    lo: f64,
    hi: f64,
    ratio: bool,
}

/// The first effect estimate in a clause ([`ESTIMATE`]), when its interval is in order.
fn estimate_in(clause: &str) -> Option<Estimate> {
    let c = ESTIMATE.captures(clause)?;
    let number = |name: &str| -> Option<f64> {
        c.name(name)?.as_str().replace(['−', '–'], "-").parse().ok()
    };
    let (est, lo, hi) = (number("est")?, number("lo")?, number("hi")?);
    let kind = c
        .name("kind")
        .map_or("", |k| k.as_str())
        .to_ascii_lowercase();
    let ratio = kind.contains("ratio")
        || kind.contains("relative risk")
        || ["rr", "or", "hr", "irr"]
            .iter()
            .any(|k| kind.split_whitespace().next() == Some(*k));
    (lo <= hi).then_some(Estimate { est, lo, hi, ratio })
}

/// Which side of no effect a clause's estimate lies, when its interval excludes no effect:
/// `Some(true)` below it ("-3.9 (95% CI -5.2 to -2.6)"), `Some(false)` above it.
fn estimate_side(clause: &str) -> Option<bool> {
    let Estimate { est, lo, hi, ratio } = estimate_in(clause)?;
    let null = if ratio { 1.0 } else { 0.0 };
    (!(lo <= null && null <= hi)).then_some(est < null)
}

/// Whether what a clause measures is bad to have more of (pain, events) or good (function,
/// quality of life): its outcome, else its words; `default` when neither says.
/// Whether more of what the outcome measures is bad (pain, events) or good (quality of life,
/// mobility); unknown for an outcome measured either way (disability or function).
fn outcome_polarity(outcomes: &[String], clause: &str) -> Option<bool> {
    static TIME_AWAY: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\bdays?\s+(?:to|until|before|off|of\s+sick|missed)|\bsick(?:ness)?\s+(?:days|leave|absence)|\btime\s+(?:to|until|off)|\babsen\w+|\bworkdays\s+lost",
        )
    });
    match outcomes.first().map(String::as_str) {
        Some("pain" | "adverse-events" | "recurrence" | "analgesic-use" | "surgery-avoidance") => {
            Some(true)
        }
        // Return to work counted as time away ("days to return to work", "sick days") is bad
        // to have more of; as people back at work, good.
        Some("return-to-work") => Some(TIME_AWAY.is_match(clause)),
        Some("quality-of-life" | "mobility") => Some(false),
        _ => None,
    }
}

fn measures_bad(clause: &str, outcomes: &[String], default: bool) -> bool {
    match outcome_polarity(outcomes, clause) {
        Some(bad) => bad,
        None => {
            let good = GOOD_THING.find(clause).map(|m| m.start());
            let bad = BAD_THING.find(clause).map(|m| m.start());
            match (bad, good) {
                (Some(b), Some(g)) => b <= g,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => default,
            }
        }
    }
}

/// Results given only as figures: two arms' values with a p-value ("3.7 vs 3.1, p = 0.19": no
/// difference; "4 vs 11 mg, p = 0.01": less with the treatment, named first as abstracts do),
/// or a change from before treatment with its p-value ("fell from 6.8 to 3.9, p < 0.001").
fn figures_reading(clause: &str, outcomes: &[String]) -> Option<Direction> {
    static P_VALUE: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"(?i)\bp\s*(?P<op>=|<|>|≤|≥|<=|>=)\s*(?P<v>0?\.\d+|1(?:\.0+)?)"));
    static VERSUS: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)(?P<a>[-−]?\d+(?:\.\d+)?)\s*(?:%|mg|ml|m|days?|hours?|weeks?|points?)?\s*(?:\([^)]{0,20}\)\s*)?(?:vs\.?|versus|compared\s+with|against|(?:[A-Za-z][\w-]*\s+){0,4}?and)\s*(?:by\s+|to\s+|in\s+)?(?P<b>[-−]?\d+(?:\.\d+)?)",
        )
    });
    static FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\bfrom\s+(?:a\s+)?(?:mean\s+|median\s+)?(?:of\s+)?(?P<a>[-−]?\d+(?:\.\d+)?)\s*(?:%|points?)?\s+(?:at\s+baseline\s+|before\s+treatment\s+)?to\s+(?P<b>[-−]?\d+(?:\.\d+)?)",
        )
    });
    let p = P_VALUE.captures(clause).and_then(|c| {
        let v: f64 = c.name("v")?.as_str().parse().ok()?;
        let op = c.name("op")?.as_str();
        Some(match op {
            "<" | "≤" | "<=" => v <= 0.05,
            ">" | "≥" | ">=" => false,
            _ => v < 0.05,
        })
    });
    let number = |c: &regex::Captures<'_>, name: &str| -> Option<f64> {
        c.name(name)?.as_str().replace('−', "-").parse().ok()
    };
    let pair = VERSUS
        .captures(clause)
        .and_then(|c| Some((number(&c, "a")?, number(&c, "b")?)))
        .or_else(|| {
            FROM_TO
                .captures(clause)
                .and_then(|c| Some((number(&c, "a")?, number(&c, "b")?)))
                // Before, then after: reversed to treatment first.
                .map(|(before, after)| (after, before))
        });
    // Events counted in both arms without a test (adverse events, operations, recurrences):
    // clearly more (half again) is harm, clearly fewer a benefit, near-equal counts no
    // difference. "Nine ozone and twelve sham patients had surgery" counts in words too.
    let events = outcomes.iter().any(|o| {
        matches!(
            o.as_str(),
            "adverse-events" | "surgery-avoidance" | "recurrence"
        )
    });
    let pair = if p.is_none() && events {
        count_pair(clause).or(pair)
    } else {
        pair
    };
    let (first, second) = pair?;
    if p.is_none() && events {
        let (hi, lo) = (first.max(second), first.min(second));
        return Some(if hi < lo * 1.5 || hi - lo < 1e-9 {
            Direction::NoDifference
        } else if first > second {
            Direction::Harm
        } else {
            Direction::Benefit
        });
    }
    match p {
        Some(false) => Some(Direction::NoDifference),
        Some(true) if first != second => {
            let less = first < second;
            Some(if less == measures_bad(clause, outcomes, true) {
                Direction::Benefit
            } else {
                Direction::Harm
            })
        }
        _ => None,
    }
}

/// "both favouring the ozone arm", "in favour of placebo": benefit for the studied treatment,
/// or harm when what is favoured is the control.
fn favouring(clause: &str) -> Option<Direction> {
    static FAVOURING: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:favou?ring|favou?red|in\s+favou?r\s+of)\s+(?:the\s+)?([\w-]+)")
    });
    let c = FAVOURING.captures(clause)?;
    let what = c.get(1)?.as_str().to_ascii_lowercase();
    let control = matches!(
        what.as_str(),
        "placebo"
            | "sham"
            | "control"
            | "controls"
            | "usual"
            | "standard"
            | "waiting"
            | "wait-list"
            | "comparator"
            | "no"
    );
    Some(if control {
        Direction::Harm
    } else {
        Direction::Benefit
    })
}

/// How a statement (a claim) reads: which way it says the intervention works, for efficacy and
/// for safety, and whether it says "significantly". The same rules as a finding's clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatementReading {
    /// Efficacy: better, no different, or worse.
    pub efficacy: Option<Direction>,
    /// Safety: safe (benefit) or harmful.
    pub safety: Option<Direction>,
    /// Significance as stated.
    pub significance: Option<Significance>,
}

/// Reads a statement's direction (see [`StatementReading`]).
pub fn read_statement(text: &str) -> StatementReading {
    let c = read_clause(text, Vec::new());
    StatementReading {
        efficacy: c.efficacy,
        safety: c.safety,
        significance: c.significance,
    }
}

/// The byte spans of a sentence's clauses, each with whether it concedes a point against the
/// rest ("although...", "despite...", "at the cost of..."): cut before "but", "whereas",
/// "while", "although", "however" and the like, and after ";".
fn clause_spans(sentence: &str) -> Vec<(usize, usize, bool)> {
    static TURN: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i);\s*|,?\s+\b(?:but|whereas|while|although|though|however|yet|except|despite|albeit|at\s+the\s+(?:cost|expense|price)\s+of)\b|,\s*(?:and\s+)?(?:in\s+contrast|by\s+contrast|on\s+the\s+other\s+hand)\b|,\s+and\s+(?:it|they|this|these)\s+(?:was|were|is|are|appeared|seemed|did|does|do|had|has|have)\b|\s+and\s+(?:does|do|did)\s+not\s+(?:appear\s+to\s+|seem\s+to\s+)?increase\s+the\s+risk\b|,\s+with\s+(?:[\w-]+\s+){0,2}?(?:similar|comparable|no|fewer|more|less|lower|higher|equal|an?\s+(?:similar|comparable|lower|higher))\b|^\s*(?:although|though|while|despite|even\s+though)\b",
        )
    });
    static CONCEDES: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)^\W*(?:although|though|even\s+though|while|despite|albeit|at\s+the\s+(?:cost|expense|price)\s+of)\b",
        )
    });
    // "While" opening a sentence concedes ("While pain was similar at one year, surgery gave
    // faster relief"); after the main clause it sets a contrast beside it ("gave faster relief,
    // while pain at one year was similar").
    let concedes = |start: usize, end: usize| {
        let clause = &sentence[start..end];
        CONCEDES.is_match(clause)
            && !(start > 0
                && clause
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .to_ascii_lowercase()
                    .starts_with("while "))
    };
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = 0;
    // Inside brackets nothing turns: "(difference -0.2; 95% CI -0.9 to 0.5)".
    let in_brackets = |at: usize| {
        let before = &sentence[..at];
        before.matches(['(', '[']).count() > before.matches([')', ']']).count()
    };
    for m in TURN.find_iter(sentence).filter(|m| !in_brackets(m.start())) {
        if m.start() > start {
            spans.push((start, m.start(), concedes(start, m.start())));
        }
        start = m.start();
        if sentence[m.start()..m.end()].starts_with(';') {
            start = m.end();
        }
    }
    if start < sentence.len() {
        spans.push((start, sentence.len(), concedes(start, sentence.len())));
    }
    spans
}

/// Which part of the argument each sentence is (or `None`: not a finding's sentence).
fn parts(text: &str, sentences: &[AbstractSentence]) -> Vec<Option<Part>> {
    let last_own = sentences
        .iter()
        .rposition(|s| s.voice == Voice::OwnStudy && s.role != Role::Background);
    sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let sentence = &text[s.start..s.end];
            // A question left open is no finding ("Whether it reduces soreness deserves study",
            // "The trial will show whether acupuncture helps").
            if sentence
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("whether ")
                || OPEN_QUESTION.is_match(sentence)
            {
                return None;
            }
            // A conclusion that ends on future work ("...may delay surgery, and randomised
            // evidence is needed"): its words before the future work are read.
            if s.voice == Voice::FutureWork
                && (s.role == Role::Conclusions
                    || s.role == Role::Unlabelled && i + 1 == sentences.len())
                && own_part_before_future_work(sentence).is_some()
            {
                return Some(Part::Conclusion);
            }
            // A sentence of figures with a p-value or a confidence interval reports this study's
            // result, whatever voice its opening words suggested.
            let figures = s.role == Role::Unlabelled
                && s.voice == Voice::Background
                && STATISTIC.is_match(sentence)
                && !roles_cites_others(sentence);
            // The closing sentence whose word of what is not known comes only after a turn
            // ("E-cigarettes might help smokers quit, while lasting abstinence remains
            // uncertain") is the authors' conclusion.
            let closing_with_a_doubt = (s.role == Role::Unlabelled && i + 1 == sentences.len()
                || s.role == Role::Conclusions)
                && s.voice == Voice::Background
                && match clause_spans(sentence).as_slice() {
                    [(a, b, _), _, ..] => !roles_cites_others(&sentence[*a..*b]),
                    _ => false,
                };
            if closing_with_a_doubt {
                return Some(Part::Conclusion);
            }
            if s.voice != Voice::OwnStudy && !figures {
                return None;
            }
            match s.role {
                Role::Results => Some(Part::Results),
                Role::Conclusions => Some(Part::Conclusion),
                Role::Unlabelled => {
                    // The closing sentence concludes, and so does the one before it when it
                    // states no figures (conclusions rarely do).
                    // ... unless it reports figures or counts people (the abstract has no
                    // conclusion: "Nausea was reported by 31% and 7%").
                    // (A count in numbers; "most men in both groups had recovered" is a
                    // conclusion's generalisation.)
                    let reports = sentence.contains('%')
                        || STATISTIC.is_match(sentence)
                        || COUNTED.find_iter(sentence).any(|m| {
                            let words: Vec<String> = m
                                .as_str()
                                .split_whitespace()
                                .map(|w| w.to_ascii_lowercase())
                                .collect();
                            let first = words.first().map_or("", String::as_str);
                            // ... nor is "leg pain at one year was similar" a count.
                            let time = words.iter().any(|w| {
                                [
                                    "year", "years", "month", "months", "week", "weeks", "day",
                                    "days",
                                ]
                                .contains(&w.as_str())
                            });
                            !["few", "several", "most", "many"].contains(&first) && !time
                        });
                    let closing = last_own.is_some_and(|l| {
                        i > 0
                            && (i == l && !reports
                                || i + 1 == l
                                    && !sentence.bytes().any(|b| b.is_ascii_digit())
                                    && !MEASURE_REPORTED.is_match(sentence)
                                    && !GROUPS_REPORTED.is_match(sentence)
                                    && !COUNTED.is_match(sentence))
                    });
                    if CONCLUSION_CUE.is_match(sentence) || closing {
                        Some(Part::Conclusion)
                    } else if i == 0 && !STATISTIC.is_match(sentence)
                        || says_aim_or_method(sentence) && !SAFE.is_match(sentence)
                    {
                        None
                    } else {
                        Some(Part::Results)
                    }
                }
                _ => None,
            }
        })
        .collect()
}

/// The words of a sentence before its future work, when they say something of their own
/// (at least four words).
fn own_part_before_future_work(sentence: &str) -> Option<&str> {
    let cut = super::roles::future_cue_start(sentence)?;
    let head = sentence[..cut]
        .trim_end()
        .trim_end_matches(" and")
        .trim_end_matches(',')
        .trim_end();
    (head.split_whitespace().count() >= 4).then_some(head)
}

/// A title that names an untoward event after a treatment: "Fulminating septicemia secondary
/// to oxygen-ozone therapy", "Sudden visual loss after lumbar intradiscal ozone: a case report".
/// Not a title of outcomes in general ("Pain relief after...", "Outcomes following...").
pub fn title_names_harm(title: &str) -> bool {
    static EVENT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)^(?P<event>[^:.]{3,80}?)\s+(?:after|following|complicating|secondary\s+to|induced\s+by|caused\s+by|associated\s+with|due\s+to|during)\s+",
        )
    });
    static NOT_AN_EVENT: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:outcomes?|results?|effects?|efficacy|effectiveness|experience|changes?|recovery|relief|improvement|return|function\w*|quality|survival|satisfaction|trends?|patterns?|use|costs?|predictors?|factors?|management|treatment|care|rehabilitation|imaging|assessment|evaluation|comparison|trial|study|review|analysis|follow-up|long-term|short-term|pain\s+(?:relief|scores?))\b",
        )
    });
    // A case report, or an event named by the form of a harm (septicaemia, infarction,
    // haemorrhage, loss, rupture...); never the condition a treatment is for ("training for
    // incontinence after prostatectomy").
    static HARM_FORM: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:\w+itis|\w+(?:a)?emia|\w+rrhage|infarct\w*|sep(?:sis|tic\w*)|abscess|rupture|perforation|embol\w*|necrosis|death|fatal|loss|paralysis|paraplegia|injury|toxicity|complication\w*|pneumo\w+|thrombosis|dissection|blindness|aneurysm|infection|ha?ematoma|stroke|seizures?|arrest|anaphyla\w*|burns?|allergic\s+reactions?)\b",
        )
    });
    static CASE: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"(?i)\bcase\s+(?:report|series)|\ba\s+case\b|\breport\s+of\b"));
    EVENT_AFTER
        .captures(title.trim())
        .and_then(|c| c.name("event"))
        .is_some_and(|event| {
            let event = event.as_str();
            !NOT_AN_EVENT.is_match(event)
                && !BETTER.is_match(event)
                && !event.to_ascii_lowercase().contains(" for ")
                && (CASE.is_match(title) || HARM_FORM.is_match(event))
        })
}

/// The findings of an abstract (`text`, read into `sentences` by [`super::read_abstract`]),
/// given the taxonomy's outcome mentions in it.
pub fn read_findings(
    text: &str,
    sentences: &[AbstractSentence],
    mentions: &[OutcomeMention],
) -> Findings {
    read_findings_titled("", text, sentences, mentions)
}

/// [`read_findings`] of a record whose title is `title`: a title that names an untoward event
/// after the treatment ([`title_names_harm`]) is a harm for adverse events, and the record's
/// direction when its conclusion says nothing of efficacy (a case report of a complication).
pub fn read_findings_titled(
    title: &str,
    text: &str,
    sentences: &[AbstractSentence],
    mentions: &[OutcomeMention],
) -> Findings {
    let mut findings = read_text_findings(title, text, sentences, mentions);
    if !title_names_harm(title) {
        return findings;
    }
    let adverse = findings
        .findings
        .iter()
        .position(|f| f.outcome.as_deref() == Some("adverse-events"));
    let from_title = Finding {
        outcome: Some("adverse-events".into()),
        direction: Direction::Harm,
        comparator: None,
        significance: None,
        text: title.trim().to_string(),
        source: FactSource::Title,
        start: 0,
        end: title.trim().chars().count(),
        note: None,
        concluded: true,
    };
    match adverse {
        Some(i) if findings.findings[i].direction == Direction::Harm => {}
        Some(i) => findings.findings[i] = from_title,
        None => findings.findings.insert(0, from_title),
    }
    // The harm the title reports is the record's news, unless its authors conclude a benefit
    // all the same ("the vitiligo patches were unchanged" does not outweigh the burns).
    if !findings.concluded_efficacy || findings.direction != Some(Direction::Benefit) {
        findings.direction = Some(Direction::Harm);
    }
    findings
}

fn read_text_findings(
    title: &str,
    text: &str,
    sentences: &[AbstractSentence],
    mentions: &[OutcomeMention],
) -> Findings {
    let parts = parts(text, sentences);
    let mut readings: Vec<Reading> = Vec::new();
    // What the title says the treatment is for ("for chemotherapy-induced nausea", "to
    // prevent falls"), lower-cased.
    static TARGET: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:for|against|prevent\w*|prevention\s+of|reduc\w*|treat\w*|reliev\w*|manag\w*|control\w*)\s+([^:.;]{3,80})",
        )
    });
    // The event a title says the treatment is to prevent ("Vitamin D to prevent falls"); not
    // one a title studies as a harm ("Proton pump inhibitor use and hip fracture").
    static PREVENTING: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:prevent\w*|prevention|reduc\w*|avoid\w*|lower\w*|fewer)\b")
    });
    let title_prevents = PREVENTING.is_match(title);
    let title_lower = title.to_lowercase();
    let title_target: String = TARGET
        .captures_iter(title)
        .map(|c| c[1].to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    // The outcomes the last results sentence read, for a results sentence that opens on them
    // ("The difference was smaller at 6 months").
    let mut last_sentence: Option<(Part, Vec<String>)> = None;
    let mut last_estimate: Option<(bool, Direction)> = None;
    for (si, (s, part)) in sentences.iter().zip(&parts).enumerate() {
        let Some(part) = *part else { continue };
        let sentence = &text[s.start..s.end];
        let sentence = if s.voice == Voice::FutureWork {
            own_part_before_future_work(sentence).unwrap_or(sentence)
        } else {
            sentence
        };
        if BASELINE_COMPARISON.is_match(sentence) && !BETTER.is_match(sentence) {
            continue;
        }
        let mut previous: Vec<String> = match &last_sentence {
            Some((Part::Results, outcomes))
                if part == Part::Results && SENTENCE_ANAPHORA.is_match(sentence) =>
            {
                outcomes.clone()
            }
            _ => Vec::new(),
        };
        let mut previous_between = false;
        let mut clause_readings: Vec<(ClauseReading, bool, bool)> = Vec::new();
        let mut estimate_sides: Vec<Option<bool>> = Vec::new();
        for (cs, ce, concession) in clause_spans(sentence) {
            let (abs_start, abs_end) = (s.start + cs, s.start + ce);
            let contrast = !concession && CONTRAST_OPENING.is_match(&sentence[cs..ce]);
            let mut outcomes: Vec<String> = Vec::new();
            let mut first_mentions: Vec<(String, usize, usize)> = Vec::new();
            for m in mentions {
                if m.start >= abs_start
                    && m.end <= abs_end
                    && !outcomes.contains(&m.outcome)
                    && !names_the_population(&text[abs_start..m.start])
                {
                    outcomes.push(m.outcome.clone());
                    first_mentions.push((
                        m.outcome.clone(),
                        m.start - abs_start,
                        m.end - abs_start,
                    ));
                }
            }
            let clause = &sentence[cs..ce];
            // "The primary composite (cardiovascular death, stroke ...) occurred in 5.5% and
            // 7.1%": the events are the trial's end point, what the treatment is to prevent, not
            // its adverse events.
            // "Acupuncture for chemotherapy-induced nausea": the event the title says the
            // treatment is for is its end point, not its adverse event.
            let targeted = mentions.iter().any(|m| {
                m.outcome == "adverse-events"
                    && m.start >= abs_start
                    && m.end <= abs_end
                    && title_target.contains(&text[m.start..m.end].to_lowercase())
            });
            let end_point = END_POINT_SUBJECT.is_match(clause) || targeted;
            if end_point {
                outcomes.retain(|o| o != "adverse-events");
                first_mentions.retain(|(o, _, _)| o != "adverse-events");
            }
            let mut reading = read_clause(clause, outcomes);
            // ... though a word that it is safe still speaks of safety ("may reduce
            // chemotherapy-induced nausea and is safe").
            if end_point && !(targeted && reading.said_safe) {
                reading.safety = None;
            }
            let first_outcome = first_mentions
                .iter()
                .filter(|(o, _, _)| o != "adverse-events")
                .map(|(_, ms, _)| *ms)
                .min();
            reading.unnamed_first =
                first_outcome.is_some_and(|at| UNNAMED_BEFORE.is_match(&clause[..at]));
            // Outcomes of one clause said to go different ways: each its nearest cue.
            let efficacy_outcomes: Vec<&(String, usize, usize)> = first_mentions
                .iter()
                .filter(|(o, _, _)| o != "adverse-events")
                .collect();
            // "did not improve pain, disability or the chance of avoiding surgery": a negation
            // before the list holds for all of it.
            let first_outcome_at = efficacy_outcomes.iter().map(|(_, ms, _)| *ms).min();
            let negated_list = first_outcome_at.is_some_and(|at| {
                NO_DIFFERENCE
                    .find_iter(clause)
                    .any(|m| m.end() <= at && !clause[m.end()..at].contains([',', ';']))
            });
            if efficacy_outcomes.len() >= 2 && !negated_list {
                let own: Vec<(String, Direction)> = efficacy_outcomes
                    .iter()
                    .filter_map(|(o, ms, _)| {
                        let next = efficacy_outcomes
                            .iter()
                            .map(|(_, s, _)| *s)
                            .filter(|s| s > ms)
                            .min()
                            .unwrap_or(clause.len());
                        efficacy_near(clause, *ms, next, o).map(|d| (o.clone(), d))
                    })
                    .collect();
                if own.iter().any(|(_, d)| Some(*d) != reading.efficacy) {
                    reading.efficacy_of = own;
                }
            }
            if reading.outcomes.is_empty() {
                // An elliptic clause ("but not at 6 months") speaks of the outcomes before it;
                // one with its own subject ("although exacerbations were unchanged") does not.
                // "..., with similar survival" has its own subject.
                let own_subject = clause.trim_start().starts_with(", with");
                if ANAPHORA.is_match(clause)
                    || ELLIPTIC.is_match(clause)
                    || !concession && !contrast && !own_subject
                {
                    // Read again as speaking of them (what is better for them), and of the same
                    // comparison ("improved more with exercise (p = 0.01), whereas the mental
                    // component did not").
                    let safety = reading.safety;
                    reading = read_clause(clause, previous.clone());
                    reading.safety = safety;
                    reading.between_groups |= previous_between;
                }
            } else {
                // "..., but the effect was not maintained and disability was unchanged": a
                // clause that opens on what was just said speaks of it too.
                let opening = first_part(clause);
                // An aside counts as the opening: "but not mental, quality of life" names
                // its own outcome.
                // A mention after ", and" starts a part of its own ("but not at 72 hours
                // (p = 0.61), and rescue opioid use was similar").
                let opening_names_outcome = first_mentions.iter().any(|(_, ms, _)| {
                    *ms < opening.len() || *ms < 40 && !clause[opening.len()..*ms].contains(" and ")
                });
                if ANAPHORA.is_match(clause)
                    && !opening_names_outcome
                    && let Some(d) = read_clause(opening, Vec::new()).efficacy
                {
                    for o in &previous {
                        if !reading.outcomes.contains(o) {
                            reading.outcomes.push(o.clone());
                            reading.efficacy_of.push((o.clone(), d));
                        }
                    }
                }
                // A turn with its own test continues the comparison before it ("improved more
                // with exercise (p = 0.01), whereas emotional quality of life did not (p = 0.40)").
                if contrast && previous_between && STATISTIC.is_match(clause) {
                    reading.between_groups = true;
                }
                // A conceded point is an aside: what follows it speaks of the main clause ("...
                // more than steroid, although pain scores were similar, and it is a reasonable
                // alternative").
                if !concession || previous.is_empty() {
                    previous = reading.outcomes.clone();
                    previous_between = reading.between_groups;
                }
            }
            // An event the taxonomy does not name, counted in the arms or in people ("One fall
            // occurred in each group", "hypercalcaemia in three given vitamin D and one given
            // placebo"): an adverse event, unless the title names it as what the study is about.
            let unnamed_event = UNNAMED_EVENT.find(clause);
            let studied_event = title_prevents
                && unnamed_event.is_some_and(|event| {
                    title_lower
                        .contains(&event.as_str().to_lowercase()[..event.as_str().len().min(5)])
                });
            if reading.outcomes.is_empty() && studied_event {
                // "Falls occurred in 20% and 30%" in a trial to prevent falls: its end point.
                reading.safety = None;
            }
            if reading.outcomes.is_empty()
                && part == Part::Results
                && !end_point
                && unnamed_event.is_some()
                && !studied_event
                && (count_pair(clause).is_some()
                    || GROUPS_REPORTED.is_match(clause)
                    || IN_A_SHARE.is_match(clause)
                    || is_event_reported(clause)
                    || OCCURRED_IN.is_match(clause))
            {
                let kept = reading.between_groups;
                reading = read_clause(clause, vec!["adverse-events".to_string()]);
                reading.between_groups |= kept;
                reading.efficacy = None;
                reading.efficacy_of.clear();
            }
            estimate_sides.push(estimate_side(clause));
            clause_readings.push((reading, concession, contrast));
        }
        // A result that continues the one before ("At 1 year, the difference was -3.9 points
        // (95% CI -5.2 to -2.6)"): an estimate on the same side points the same way, on the other
        // side the other way, whatever the words say of what it measures.
        if part == Part::Results {
            let opens_on_it = SENTENCE_ANAPHORA.is_match(sentence);
            for ((c, _, _), side) in clause_readings.iter_mut().zip(&estimate_sides) {
                let (Some(side), Some(d)) = (side, c.efficacy) else {
                    continue;
                };
                if !matches!(d, Direction::Benefit | Direction::Harm) {
                    continue;
                }
                if opens_on_it && let Some((last_side, last)) = last_estimate {
                    let same = if *side == last_side {
                        last
                    } else {
                        last.other_way()
                    };
                    c.efficacy = Some(same);
                    c.efficacy_of.clear();
                }
                last_estimate = c.efficacy.map(|d| (*side, d));
                break;
            }
        }
        let read_outcomes: Vec<String> = clause_readings
            .iter()
            .flat_map(|(c, _, _)| c.outcomes.iter())
            .filter(|o| *o != "adverse-events")
            .cloned()
            .collect();
        if !read_outcomes.is_empty() {
            last_sentence = Some((part, read_outcomes));
        }
        // One outcome's results at several times, significant at some and not at others
        // ("48% vs 23% at 6 weeks (p = 0.02), 30% vs 25% at 3 months (p = 0.62)"): mixed.
        let efficacy_outcomes: std::collections::BTreeSet<&String> = clause_readings
            .iter()
            .flat_map(|(c, _, _)| c.outcomes.iter())
            .filter(|o| *o != "adverse-events")
            .collect();
        if efficacy_outcomes.len() <= 1 && over_time_both_ways(sentence) {
            for (c, _, _) in clause_readings.iter_mut() {
                if c.efficacy.is_some() {
                    c.efficacy = Some(Direction::Mixed);
                    c.efficacy_of.clear();
                }
            }
        }
        // A comparator named anywhere in the sentence holds for its clauses.
        let sentence_comparator = clause_readings.iter().find_map(|(c, _, _)| c.comparator);
        for (c, concession, contrast) in clause_readings {
            let comparator = c.comparator.or(sentence_comparator);
            let between = c.between_groups || comparator.is_some_and(|k| k != "baseline");
            let mut push = |outcome: Option<String>, direction: Direction, safety: bool| {
                // Unnamed outcomes are many: a conceded or contrasting clause on "no outcome of
                // the taxonomy" is a reading of its own, not a turn of the one before.
                if let Some(r) = readings.iter_mut().find(|r| {
                    r.sentence == si
                        && r.outcome == outcome
                        && r.part == part
                        && (outcome.is_some()
                            || r.concession == concession && r.contrast == contrast)
                }) {
                    // The same outcome twice in a sentence: one reading, mixed if they differ;
                    // but a comparison of the groups outweighs a change within them ("pain
                    // decreased in both groups; the difference was not significant").
                    if !concession {
                        r.unconceded = Some(match r.unconceded {
                            Some(d) if d != direction && r.between_groups == between => {
                                Direction::Mixed
                            }
                            Some(d) if r.between_groups && !between => d,
                            _ => direction,
                        });
                    }
                    // "No serious adverse events occurred; three patients in the ozone group
                    // reported transient stiffness": the statement decides, unless the events
                    // are compared with the other arm's.
                    let said_safe_beside = safety
                        && (r.said_safe || c.said_safe)
                        && !c.between_groups
                        && r.direction != direction;
                    if said_safe_beside {
                        r.direction = Direction::Benefit;
                    } else if r.between_groups != between {
                        if between {
                            r.direction = direction;
                            r.between_groups = true;
                        }
                    } else if r.direction != direction {
                        let alike = |d: Direction| d == Direction::NoDifference;
                        r.direction = if safety && (r.said_safe || c.said_safe) {
                            Direction::Benefit
                        } else if safety && (alike(r.direction) || alike(direction)) {
                            // One kind of event more frequent, another alike: the difference.
                            if alike(r.direction) {
                                direction
                            } else {
                                r.direction
                            }
                        } else {
                            Direction::Mixed
                        };
                    }
                    r.said_safe |= safety && c.said_safe;
                    r.significance = r.significance.or(c.significance);
                    r.comparator = r.comparator.or(comparator);
                    return;
                }
                readings.push(Reading {
                    outcome,
                    direction,
                    significance: c.significance,
                    comparator,
                    between_groups: between,
                    part,
                    sentence: si,
                    concession,
                    safety,
                    said_safe: safety && c.said_safe,
                    contrast,
                    unconceded: (!concession).then_some(direction),
                });
            };
            let adverse = "adverse-events";
            let mut safety_used = false;
            for o in &c.outcomes {
                let direction = if o == adverse {
                    safety_used = true;
                    // A clause that also names another outcome speaks of that one when it
                    // says nothing of safety ("was not superior for disability").
                    c.safety.or(c.efficacy.filter(|_| c.outcomes.len() == 1))
                } else {
                    c.efficacy_of
                        .iter()
                        .find(|(x, _)| x == o)
                        .map(|(_, d)| *d)
                        .or(c.efficacy)
                        // Recurrences counted in the treated group alone: they happened.
                        .or((o == "recurrence" && c.counted_in_one_group)
                            .then_some(Direction::Harm))
                };
                if let Some(d) = direction {
                    push(Some(o.clone()), d, o == adverse);
                }
            }
            if let Some(d) = c.safety
                && !safety_used
            {
                push(Some(adverse.to_string()), d, true);
            }
            if c.unnamed_first
                && let Some(d) = c.efficacy
            {
                push(None, d, false);
            }
            // Efficacy said of no outcome but adverse events ("is an effective treatment and,
            // given its favourable safety profile, ..."): a finding on no particular outcome.
            if c.outcomes.iter().all(|o| o == adverse)
                && let Some(d) = c.efficacy
                && !(c.outcomes.len() == 1 && c.safety.is_none())
                && c.efficacy_beyond_events
            {
                push(None, d, false);
            }
        }
    }
    decide(text, sentences, &parts, readings)
}

/// One finding per outcome from the sentence readings: the conclusion decides, else the
/// results (between-group first).
fn decide(
    text: &str,
    sentences: &[AbstractSentence],
    sentence_parts: &[Option<Part>],
    readings: Vec<Reading>,
) -> Findings {
    let mut outcomes: Vec<Option<String>> = Vec::new();
    for r in &readings {
        if !outcomes.contains(&r.outcome) {
            outcomes.push(r.outcome.clone());
        }
    }
    // Named outcomes in order of first mention, the unnamed one last.
    outcomes.sort_by_key(|o| o.is_none());
    let mut findings = Vec::new();
    for outcome in outcomes {
        let of: Vec<&Reading> = readings.iter().filter(|r| r.outcome == outcome).collect();
        let concluded: Vec<&Reading> = of
            .iter()
            .copied()
            .filter(|r| r.part == Part::Conclusion)
            .collect();
        let results: Vec<&Reading> = of
            .iter()
            .copied()
            .filter(|r| r.part == Part::Results)
            .collect();
        let between: Vec<&Reading> = results
            .iter()
            .copied()
            .filter(|r| r.between_groups)
            .collect();
        // Adverse events in one arm happened whatever a comparison of the arms found alike; a
        // comparison that found more or fewer decides.
        let alike_between = outcome.as_deref() == Some("adverse-events")
            && between
                .iter()
                .all(|r| r.direction == Direction::NoDifference);
        let deciding_results = if between.is_empty() || alike_between {
            &results
        } else {
            &between
        };
        // An outcome read only as a change within groups ("pain decreased in both groups")
        // yields to what the authors conclude of the comparison in general.
        let general_conclusion: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.part == Part::Conclusion && r.outcome.is_none() && !r.concession)
            .collect();
        let concluded = if concluded.is_empty()
            && outcome.is_some()
            && between.is_empty()
            && !results.is_empty()
            && results.iter().all(|r| r.comparator == Some("baseline"))
            && general_conclusion
                .iter()
                .any(|r| r.between_groups && r.direction == Direction::NoDifference)
        {
            general_conclusion
        } else {
            concluded
        };
        // Adverse events: one kind more frequent and the others alike is harm (fewer, benefit);
        // more of one and fewer of another, mixed.
        let is_adverse = outcome.as_deref() == Some("adverse-events");
        let told = |rs: &[&Reading]| {
            let any = |d: Direction| rs.iter().any(|r| r.direction == d);
            // A statement that nothing untoward happened, beside events listed in one arm, is
            // a benefit; beside more events than the comparator, mixed.
            if is_adverse
                && rs
                    .iter()
                    .any(|r| r.said_safe && r.direction == Direction::Benefit)
                && !rs
                    .iter()
                    .any(|r| r.between_groups && r.direction == Direction::Harm)
            {
                return Some(Direction::Benefit);
            }
            if is_adverse
                && any(Direction::NoDifference)
                && (any(Direction::Harm) || any(Direction::Benefit))
            {
                Direction::combine(
                    rs.iter()
                        .map(|r| r.direction)
                        .filter(|d| *d != Direction::NoDifference),
                )
            } else {
                Direction::combine(rs.iter().map(|r| r.direction))
            }
        };
        let results_direction = told(deciding_results);
        let (direction, deciding, note) = if concluded.is_empty() {
            let Some(d) = results_direction else { continue };
            (d, deciding_results[0], None)
        } else {
            let d = told(&concluded).expect("at least one conclusion reading");
            let note = results_direction
                .filter(|r| *r != d && *r != Direction::Mixed && d != Direction::Mixed)
                .map(|r| {
                    format!(
                        "mixed: the results read {} but the authors conclude {}",
                        r.as_str(),
                        d.as_str()
                    )
                });
            // Results that went both ways over time, summed up one way by the conclusion
            // ("short-term relief", "lower pain"), stay mixed: the conclusion does not deny
            // either part.
            // So do results better at one time and no different at another, when the
            // conclusion speaks of the short term ("probably reduces neck pain in the short
            // term; whether the benefits last is uncertain").
            let short_term_only = d == Direction::Benefit
                && concluded.iter().any(|r| {
                    SHORT_TERM
                        .is_match(&text[sentences[r.sentence].start..sentences[r.sentence].end])
                })
                && deciding_results
                    .iter()
                    .any(|r| r.direction == Direction::Benefit)
                && deciding_results
                    .iter()
                    .any(|r| r.direction == Direction::NoDifference);
            if (short_term_only
                || deciding_results
                    .iter()
                    .any(|r| r.direction == Direction::Mixed))
                && outcome.as_deref() != Some("adverse-events")
                && matches!(d, Direction::Benefit | Direction::NoDifference)
            {
                (Direction::Mixed, deciding_results[0], None)
            } else {
                (d, concluded[0], note)
            }
        };
        let significance = deciding_results
            .iter()
            .find_map(|r| r.significance)
            .or_else(|| of.iter().find_map(|r| r.significance));
        let comparator = deciding_results
            .iter()
            .find_map(|r| r.comparator)
            .or_else(|| of.iter().find_map(|r| r.comparator));
        let s = &sentences[deciding.sentence];
        let start = text[..s.start].chars().count();
        let sentence = text[s.start..s.end].trim_end();
        findings.push(Finding {
            outcome,
            direction,
            comparator: comparator.map(str::to_string),
            significance,
            text: sentence.to_string(),
            source: FactSource::Abstract,
            start,
            end: start + sentence.chars().count(),
            note,
            concluded: deciding.part == Part::Conclusion,
        });
    }
    // The overall conclusion: what the conclusion sentences say of efficacy in their main
    // clauses (a conceded point does not turn it), else of safety; else the same of the
    // results.
    let advised_against = readings.iter().any(|r| {
        r.part == Part::Conclusion
            && advises_against(&text[sentences[r.sentence].start..sentences[r.sentence].end])
    }) || sentences
        .last()
        .is_some_and(|s| advises_against(&text[s.start..s.end]));
    let overall_of = |part: Part| {
        let of_part: Vec<&Reading> = readings.iter().filter(|r| r.part == part).collect();
        // The main statement: the first efficacy reading not conceded, else the first safety
        // one. A clause that turns against it ("..., but the effect was gone by 1 week", "but
        // caused more adverse events") makes the conclusion mixed.
        let main = of_part
            .iter()
            .find(|r| !r.safety && !r.concession && !r.contrast)
            .or_else(|| of_part.iter().find(|r| !r.concession && !r.contrast))
            .or_else(|| of_part.iter().find(|r| !r.concession))?;
        // What its own clauses say, a conceded point aside.
        let main_direction = main.unconceded.unwrap_or(main.direction);
        let turning: Vec<&&Reading> = of_part
            .iter()
            .filter(|r| {
                r.contrast
                    && r.direction != main_direction
                    && (!r.safety || r.direction == Direction::Harm)
            })
            .collect();
        // ... unless it turns fewer outcomes than the main statement holds ("reduced pain and
        // disability and improved physical, but not mental, quality of life").
        let held = of_part
            .iter()
            .filter(|r| {
                r.sentence == main.sentence
                    && !r.contrast
                    && !r.concession
                    && !r.safety
                    && r.direction == main_direction
            })
            .count();
        // No better, but better in one respect said beside it ("no better for pain or
        // disability, but patients returned to work sooner"): the parts stand side by side.
        let gained_beside = main_direction == Direction::NoDifference
            && turning
                .iter()
                .any(|r| !r.safety && r.direction == Direction::Benefit);
        let turned = !turning.is_empty() && (turning.len() >= held || gained_beside);
        // A verdict against the treatment: harm ("brought no relief and carried a burden of
        // side effects; it should not be prescribed", "may do more harm than good", "faster
        // early relief ..., but injection should not be the first-line treatment"). No benefit
        // and more side effects said without a verdict stays no difference.
        let harm_told = readings.iter().any(|r| r.direction == Direction::Harm);
        if advised_against && (harm_told || main_direction != Direction::NoDifference) {
            return Some(Direction::Harm);
        }
        let sentence_of =
            |r: &Reading| &text[sentences[r.sentence].start..sentences[r.sentence].end];
        // As good as the comparator, said as a gain ("non-inferior", "as well as", "matched"),
        // with an advantage or a recommendation beside it ("and caused less diarrhoea", "should
        // remain the standard"): benefit. Said as a lack ("no more effective than ... but
        // caused no hyperglycaemia"), it is not.
        let as_good_as = of_part
            .iter()
            .find_map(|r| AS_GOOD_AS.find(sentence_of(r)).map(|m| (r, m)));
        if main_direction == Direction::NoDifference
            && let Some((r, m)) = as_good_as
        {
            // What the sentence adds after the equivalence: "... and caused less diarrhoea".
            // An alternative is no advantage: "non-inferior and a reasonable alternative for
            // patients who cannot travel", "may widen access to this effective treatment".
            static ALTERNATIVE: LazyLock<Regex> = LazyLock::new(|| {
                pattern(
                    r"(?i)\b(?:an?\s+)?(?:(?:reasonable|suitable|acceptable|valid|viable|good|safe|well[-\s]tolerated|effective|useful|practical|convenient)\s+(?:and\s+[\w-]+\s+)?)+(?:alternative|option|substitute|choice)s?\b|\bwiden\w*\s+access\b[^.;]*",
                )
            });
            let after = ALTERNATIVE.replace_all(&sentence_of(r)[m.end()..], "");
            let after = after.as_ref();
            let added = JOINED_PART
                .find(after)
                .map(|j| read_clause(&after[j.end()..], Vec::new()));
            let advantage = added.is_some_and(|c| {
                c.efficacy == Some(Direction::Benefit) || c.safety == Some(Direction::Benefit)
            }) || of_part.iter().any(|x| {
                x.direction == Direction::Benefit && !x.concession && x.sentence == r.sentence
            });
            let recommended = of_part.iter().any(|r| RECOMMENDED.is_match(sentence_of(r)));
            if advantage || recommended {
                return Some(Direction::Benefit);
            }
        }
        // A gain weighed against a loss, or restricted to some patients or times: mixed.
        let weighed = sentences.iter().zip(sentence_parts).any(|(s, p)| {
            *p == Some(Part::Conclusion) && TRADE_OFF.is_match(&text[s.start..s.end])
        });
        // A trade-off stated as a recommendation ("at the cost of a notable risk of bleeding.
        // It remains a reasonable option for patients informed of this risk") is a benefit.
        let recommended = sentences.iter().zip(sentence_parts).any(|(s, p)| {
            *p == Some(Part::Conclusion) && RECOMMENDED.is_match(&text[s.start..s.end])
        });
        // A gain the conclusion says, not as a concession, is lost ("short-term relief that
        // does not last", "rapid but often transient relief"): mixed.
        let lost = sentences.iter().zip(sentence_parts).any(|(s, p)| {
            let sentence = &text[s.start..s.end];
            *p == Some(Part::Conclusion)
                && clause_spans(sentence)
                    .iter()
                    .any(|&(a, b, conceded)| !conceded && LOST_LATER.is_match(&sentence[a..b]))
        });
        let qualified = main_direction == Direction::Benefit
            && (weighed && !recommended || lost || RESTRICTED.is_match(sentence_of(main)));
        if qualified {
            return Some(Direction::Mixed);
        }
        // No better than the comparator, and harm beside it: with the comparator recommended
        // first ("was not superior and carried a substantial risk of complications.
        // Rehabilitation should be tried first"), harm; as good as the comparator with a harm,
        // or a balance to weigh, mixed; with no verdict beyond that ("did not improve pain and
        // caused more drowsiness"), no difference. No better, but with fewer events than the
        // comparator ("no more effective than steroid but did not cause its hyperglycaemia"): a
        // balance, mixed.
        if main_direction == Direction::NoDifference && part == Part::Conclusion {
            let beside = |d: Direction| {
                of_part
                    .iter()
                    .any(|r| r.safety && r.direction == d && !r.concession && !r.said_safe)
            };
            if beside(Direction::Harm) {
                let other_first = sentences.iter().zip(sentence_parts).any(|(s, p)| {
                    *p == Some(Part::Conclusion) && OTHER_FIRST.is_match(&text[s.start..s.end])
                });
                if as_good_as.is_some() || weighed {
                    return Some(Direction::Mixed);
                }
                // ... or with a serious harm said beside the lack of benefit ("did not lower
                // cardiovascular risk and increased serious bleeding"): harm. Minor events
                // ("and caused more drowsiness") leave it no difference.
                let serious = of_part.iter().any(|r| {
                    let s = sentence_of(r);
                    r.safety
                        && r.direction == Direction::Harm
                        && !r.concession
                        && SERIOUS_HARM.is_match(s)
                        && !SERIOUS_DENIED.is_match(s)
                });
                if other_first || serious {
                    return Some(Direction::Harm);
                }
            }
            if of_part.iter().any(|r| {
                r.safety && r.direction == Direction::Benefit && r.between_groups && !r.said_safe
            }) {
                return Some(Direction::Mixed);
            }
        }
        Some(if turned {
            Direction::Mixed
        } else {
            main_direction
        })
    };
    let direction = overall_of(Part::Conclusion).or_else(|| overall_of(Part::Results));
    // No outcome better in the results, and a conclusion that calls the treatment effective all
    // the same ("VAS 2.9 versus 3.3, p = 0.27 ... Ozone was superior to standard care"): the
    // authors' conclusion decides each outcome the results found no different, with a note.
    let adverse = Some("adverse-events");
    let general_benefit = readings.iter().find(|r| {
        r.part == Part::Conclusion
            && r.outcome.is_none()
            && r.direction == Direction::Benefit
            && !r.concession
            && !r.contrast
            && !r.safety
    });
    let no_outcome_better = !findings.iter().any(|f| {
        f.outcome.is_some()
            && f.outcome.as_deref() != adverse
            && f.direction != Direction::NoDifference
    }) && !readings.iter().any(|r| {
        r.part == Part::Results
            && (r.between_groups || r.outcome.is_none())
            && r.comparator != Some("baseline")
            && !r.safety
            && r.direction != Direction::NoDifference
    });
    // The primary results: the outcomes of the first results sentence that reads one.
    let primary_sentence = readings
        .iter()
        .filter(|r| r.part == Part::Results && !r.safety)
        .map(|r| r.sentence)
        .min();
    let primary: Vec<&Option<String>> = readings
        .iter()
        .filter(|r| Some(r.sentence) == primary_sentence && r.part == Part::Results)
        .map(|r| &r.outcome)
        .collect();
    // Not when the conclusion itself says of something that it did not differ ("given equal
    // analgesia with fewer side effects, ... the better choice"), nor when the results found
    // fewer events with the treatment (what the conclusion may rest on).
    let fewer_events = readings.iter().any(|r| {
        r.part == Part::Results && r.safety && r.between_groups && r.direction == Direction::Benefit
    });
    let concluded_alike = readings
        .iter()
        .any(|r| r.part == Part::Conclusion && !r.safety && r.direction == Direction::NoDifference);
    if let Some(general) = general_benefit
        && direction == Some(Direction::Benefit)
        && no_outcome_better
        && !concluded_alike
        && !fewer_events
        && !NO_DIFFERENCE
            .is_match(&text[sentences[general.sentence].start..sentences[general.sentence].end])
    {
        let s = &sentences[general.sentence];
        let start = text[..s.start].chars().count();
        let sentence = text[s.start..s.end].trim_end();
        // The conclusion speaks for the primary outcomes (those of the first result), not
        // for every secondary one the results found no different.
        for f in findings.iter_mut().filter(|f| {
            f.outcome.is_some()
                && f.outcome.as_deref() != adverse
                && !f.concluded
                && (primary.is_empty() || primary.contains(&&f.outcome))
        }) {
            f.direction = Direction::Benefit;
            f.note = Some(
                "mixed: the results read no-difference but the authors conclude benefit"
                    .to_string(),
            );
            f.text = sentence.to_string();
            f.start = start;
            f.end = start + sentence.chars().count();
            f.concluded = true;
        }
    }
    let concluded_efficacy = readings
        .iter()
        .any(|r| r.part == Part::Conclusion && !r.safety);
    Findings {
        findings,
        direction,
        concluded_efficacy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abstracts::read_abstract;

    /// Findings of `text` with the outcome words given marking their outcome.
    fn read(text: &str, outcome_words: &[(&str, &str)]) -> Findings {
        let mut mentions = Vec::new();
        let lower = text.to_lowercase();
        for (word, outcome) in outcome_words {
            for (i, _) in lower.match_indices(word) {
                mentions.push(OutcomeMention {
                    outcome: outcome.to_string(),
                    start: i,
                    end: i + word.len(),
                });
            }
        }
        read_findings(text, &read_abstract(text), &mentions)
    }

    fn direction_of(f: &Findings, outcome: Option<&str>) -> Option<Direction> {
        f.findings
            .iter()
            .find(|x| x.outcome.as_deref() == outcome)
            .map(|x| x.direction)
    }

    const OUTCOMES: &[(&str, &str)] = &[
        ("pain", "pain"),
        ("disability", "function-disability"),
        ("function", "function-disability"),
        ("adverse events", "adverse-events"),
        ("complications", "adverse-events"),
        ("quality of life", "quality-of-life"),
    ];

    #[test]
    fn a_gain_weighed_against_a_loss_or_restricted_to_some_is_mixed() {
        let weighed = read(
            "We compared ozone with microdiscectomy in 400 workers. Return to work came sooner after ozone (p < 0.001), and further procedures were needed more often (24% vs 9%, p = 0.004). Ozone shortens time off work at the price of more further procedures.",
            OUTCOMES,
        );
        assert_eq!(weighed.direction, Some(Direction::Mixed));
        let balanced = read(
            "CONCLUSIONS: Surgery reduced throat infections, and the modest benefit must be balanced against surgical risk.",
            OUTCOMES,
        );
        assert_eq!(balanced.direction, Some(Direction::Mixed));
        let restricted = read(
            "CONCLUSIONS: Medical expulsive therapy appears worthwhile only for the larger stones.",
            OUTCOMES,
        );
        assert_eq!(restricted.direction, Some(Direction::Mixed));
        let plain = read(
            "CONCLUSIONS: Medical expulsive therapy appears worthwhile for ureteric stones.",
            OUTCOMES,
        );
        assert_eq!(plain.direction, Some(Direction::Benefit));
    }

    #[test]
    fn a_closing_sentence_that_reports_a_measure_is_a_result_and_not_the_conclusion() {
        let f = read(
            "We followed 300 patients on home or centre dialysis. Mortality was lower at home than in centre (hazard ratio 0.72, 95% CI 0.59 to 0.88). KDQOL scores, available for a subset, were broadly similar. Home dialysis offers survival advantages.",
            &[("kdqol", "quality-of-life")],
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let qol = f
            .findings
            .iter()
            .find(|x| x.outcome.as_deref() == Some("quality-of-life"))
            .unwrap();
        assert!(!qol.concluded, "{qol:?}");
    }

    #[test]
    fn strategies_that_did_not_separate_or_a_choice_left_to_cost_are_no_difference() {
        for text in [
            "CONCLUSIONS: The two strategies did not separate on pain or disability.",
            "RESULTS: Function changed little or not at all with either treatment.",
            "CONCLUSIONS: The choice between the two may reasonably be left to cost and patient preference.",
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(f.direction, Some(Direction::NoDifference), "{text}");
        }
    }

    #[test]
    fn a_conclusion_of_benefit_decides_outcomes_the_results_found_no_different() {
        let f = read(
            "We randomised 80 adults to ozone plus diclofenac or diclofenac alone. VAS pain at 4 weeks was 2.9 versus 3.3 (p = 0.27) and disability scores did not differ (p = 0.41). Ozone was superior to standard care and we recommend its use.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        for outcome in ["pain", "function-disability"] {
            let x = f
                .findings
                .iter()
                .find(|x| x.outcome.as_deref() == Some(outcome))
                .unwrap();
            assert_eq!(x.direction, Direction::Benefit, "{x:?}");
            assert!(
                x.note.as_deref().is_some_and(|n| n.starts_with("mixed")),
                "{x:?}"
            );
            assert_eq!(x.significance, Some(Significance::NotSignificant));
        }
        // One outcome better in the results: the others keep what the results say.
        let f = read(
            "We randomised 80 adults to ozone or diclofenac. VAS pain at 4 weeks was 2.1 versus 3.3 (p = 0.01). Disability scores did not differ (p = 0.41). Ozone was superior to standard care.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("function-disability")),
            Some(Direction::NoDifference)
        );
    }

    #[test]
    fn adverse_events_in_near_equal_counts_are_alike_and_one_kind_more_frequent_is_harm() {
        let f = read(
            "RESULTS: Five injected and four control participants reported minor adverse events.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::NoDifference)
        );
        let f = read(
            "RESULTS: Injection-site adverse events occurred in 36% vs 14% (p < 0.01). Serious adverse events: 8.3% vs 9.0%.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Harm)
        );
        let f = read(
            "CONCLUSIONS: The drug brought no relief and carried a real burden of side effects.",
            &[("side effects", "adverse-events"), ("relief", "pain")],
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Harm)
        );
    }

    #[test]
    fn a_change_of_an_outcome_named_by_its_instrument_reads_by_what_the_outcome_measures() {
        let qol = [
            ("afeqt", "quality-of-life"),
            ("straight leg raise", "mobility"),
        ];
        let f = read(
            "RESULTS: The AFEQT score was 8.9 points higher after ablation (95% CI 5.1 to 12.7).",
            &qol,
        );
        assert_eq!(
            direction_of(&f, Some("quality-of-life")),
            Some(Direction::Benefit)
        );
        let f = read(
            "RESULTS: The AFEQT score was 3.1 points lower after ablation (95% CI -5.0 to -1.2).",
            &qol,
        );
        assert_eq!(
            direction_of(&f, Some("quality-of-life")),
            Some(Direction::Harm)
        );
        // A change word inside a name is no change.
        let f = read(
            "RESULTS: The straight leg raise was recorded for every patient at each visit.",
            &qol,
        );
        assert_eq!(direction_of(&f, Some("mobility")), None, "{f:?}");
    }

    #[test]
    fn events_counted_in_episodes_or_in_most_patients_are_harm_and_none_occurring_is_safe() {
        for (text, want) in [
            (
                "RESULTS: One fall and one episode of dysphagia were recorded.",
                Direction::Harm,
            ),
            (
                "RESULTS: Cheilitis occurred in most patients.",
                Direction::Harm,
            ),
            ("RESULTS: No paraesthesia occurred.", Direction::Benefit),
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(
                direction_of(&f, Some("adverse-events")),
                Some(want),
                "{text}"
            );
        }
    }

    #[test]
    fn a_statement_that_nothing_untoward_happened_outweighs_minor_events_beside_it() {
        for text in [
            "RESULTS: No serious adverse events occurred; one patient in each group had transient soreness.",
            "RESULTS: No serious adverse events occurred. Two patients reported transient headache.",
        ] {
            let f = read(
                text,
                &[
                    ("adverse events", "adverse-events"),
                    ("headache", "adverse-events"),
                ],
            );
            assert_eq!(
                direction_of(&f, Some("adverse-events")),
                Some(Direction::Benefit),
                "{text}"
            );
        }
        // More events than the comparator beside it: the comparison decides, harm.
        let f = read(
            "RESULTS: No serious adverse events occurred. Headache was more frequent with ozone than with placebo (20% vs 5%, p = 0.01).",
            &[
                ("adverse events", "adverse-events"),
                ("headache", "adverse-events"),
            ],
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Harm)
        );
    }

    #[test]
    fn as_good_as_the_comparator_with_an_advantage_is_a_benefit_and_said_as_a_lack_is_not() {
        let f = read(
            "CONCLUSIONS: Five days of amoxicillin were non-inferior to ten days and caused less diarrhoea.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let f = read(
            "CONCLUSIONS: A single fraction relieves pain as well as five fractions and should remain the standard.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let f = read(
            "CONCLUSIONS: Five days of amoxicillin were non-inferior to ten days.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::NoDifference));
        let f = read(
            "CONCLUSIONS: Microdiscectomy was not superior to steroid injection, so an injection can reasonably be tried first.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::NoDifference));
    }

    #[test]
    fn a_conceded_point_leaves_the_verdict_and_a_point_side_by_side_makes_it_mixed() {
        for (text, want) in [
            (
                "CONCLUSIONS: Botulinum toxin appears to reduce spasticity, although active arm function did not improve.",
                Direction::Benefit,
            ),
            (
                "CONCLUSIONS: The exercise programme did not reduce falls, although physical performance improved.",
                Direction::NoDifference,
            ),
            (
                "CONCLUSIONS: Tizanidine appears to ease pain, but it did not bring workers back to work sooner.",
                Direction::Mixed,
            ),
            (
                "CONCLUSIONS: Physiotherapy reduced neck pain and disability and improved physical, but not mental, quality of life.",
                Direction::Benefit,
            ),
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(f.direction, Some(want), "{text}");
        }
    }

    #[test]
    fn no_benefit_and_more_side_effects_is_harm_only_with_a_verdict_against() {
        let f = read(
            "CONCLUSIONS: Adding cyclobenzaprine did not improve pain and caused more adverse events.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::NoDifference));
        let f = read(
            "CONCLUSIONS: Adding cyclobenzaprine did not improve pain and caused more adverse events; it may do more harm than good.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Harm));
    }

    #[test]
    fn events_that_differ_are_harm_whatever_else_is_alike_and_a_qualified_event_happened() {
        let ae = [
            ("constipation", "adverse-events"),
            ("reactions", "adverse-events"),
            ("hearing decrements", "adverse-events"),
            ("infections", "adverse-events"),
            ("dural tear", "adverse-events"),
            ("discitis", "adverse-events"),
        ];
        for (text, want) in [
            (
                "RESULTS: Constipation affected 4% of antibody recipients and 1% of placebo recipients, and injection-site reactions were similar in both arms.",
                Direction::Harm,
            ),
            (
                "RESULTS: Hearing decrements occurred in 25% of azithromycin and 20% of placebo recipients (p=0.04).",
                Direction::Harm,
            ),
            (
                "RESULTS: Genital infections were diagnosed in 6.3% and 1.0%; urinary infections occurred at similar rates.",
                Direction::Harm,
            ),
            (
                "RESULTS: Four patients had a dural tear repaired during the operation without sequelae.",
                Direction::Harm,
            ),
            (
                "RESULTS: No discitis, nerve injury or allergic reaction was observed.",
                Direction::Benefit,
            ),
        ] {
            let f = read(text, &ae);
            assert_eq!(
                direction_of(&f, Some("adverse-events")),
                Some(want),
                "{text}"
            );
        }
    }

    #[test]
    fn a_clause_without_its_subject_speaks_of_the_outcome_before_it() {
        for text in [
            "RESULTS: Leg pain was lower in the ozone group at 1 month (p = 0.004) but was no longer different at 6 months (p = 0.47).",
            "CONCLUSIONS: Acupuncture reduced back pain at 3 months, but no benefit remained at one year.",
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(
                direction_of(&f, Some("pain")),
                Some(Direction::Mixed),
                "{text}"
            );
        }
    }

    #[test]
    fn results_at_several_times_significant_at_some_only_are_mixed() {
        let f = read(
            "RESULTS: At least 50% pain relief was reported by 48% vs 23% at 6 weeks (p = 0.02) and by 30% vs 25% at 3 months (p = 0.62).",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Mixed));
        // Significant at both times: a benefit.
        let f = read(
            "RESULTS: Pain was lower with ozone at 6 weeks (p = 0.02) and at 3 months (p = 0.01).",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Benefit));
    }

    #[test]
    fn recurrences_counted_in_the_treated_group_happened() {
        let f = read(
            "RESULTS: Relapse within 12 months occurred in 12 of 51 patients (24%).",
            &[("relapse", "recurrence")],
        );
        assert_eq!(direction_of(&f, Some("recurrence")), Some(Direction::Harm));
    }

    #[test]
    fn a_point_added_with_its_own_subject_is_read_on_its_own() {
        let f = read(
            "CONCLUSIONS: Home dialysis may be associated with better quality of life than centre dialysis, with similar survival.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("quality-of-life")),
            Some(Direction::Benefit)
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let f = read(
            "CONCLUSIONS: Tamsulosin did not increase passage of small stones but appears to help the passage of larger ones.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Mixed));
        let f = read(
            "CONCLUSIONS: Early discectomy was associated with a faster return to work, but employment at two years was almost identical.",
            &[("return to work", "return-to-work")],
        );
        assert_eq!(f.direction, Some(Direction::Mixed));
    }

    #[test]
    fn a_question_a_trial_will_answer_is_no_finding() {
        let f = read(
            "We will randomise 200 women. The trial will show whether acupuncture helps women continue their treatment.",
            OUTCOMES,
        );
        assert_eq!(f.direction, None, "{f:?}");
    }

    #[test]
    fn a_negation_before_a_list_of_outcomes_holds_for_all_of_it() {
        let f = read(
            "CONCLUSIONS: Adding dexamethasone did not improve pain, disability or the chance of avoiding surgery.",
            &[
                ("pain", "pain"),
                ("disability", "function-disability"),
                ("avoiding surgery", "surgery-avoidance"),
            ],
        );
        for outcome in ["pain", "function-disability", "surgery-avoidance"] {
            assert_eq!(
                direction_of(&f, Some(outcome)),
                Some(Direction::NoDifference),
                "{outcome}"
            );
        }
    }

    #[test]
    fn the_conclusion_speaks_for_the_primary_outcomes_not_every_secondary_one() {
        let f = read(
            "We randomised 120 adults to massage or usual care. At 10 weeks the difference in pain was 0.5 (95% CI -0.2 to 1.2). Sick leave days were 11 and 12 (p = 0.77). Massage is an effective addition to usual care.",
            &[("pain", "pain"), ("sick leave", "return-to-work")],
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Benefit));
        assert_eq!(
            direction_of(&f, Some("return-to-work")),
            Some(Direction::NoDifference)
        );
    }

    #[test]
    fn each_outcome_of_a_sentence_reads_by_what_it_measures() {
        let f = read(
            "RESULTS: The 6-minute walk distance increased from 310 m before surgery to 420 m at 12 months (p<0.001), and leg pain fell from 6.8 to 2.6 (p<0.001).",
            &[("walk distance", "mobility"), ("pain", "pain")],
        );
        assert_eq!(direction_of(&f, Some("mobility")), Some(Direction::Benefit));
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Benefit));
    }

    #[test]
    fn a_gain_too_small_to_matter_is_no_difference() {
        let f = read(
            "RESULTS: The SGRQ improved 2.1 points more with azithromycin (p=0.04), below the 4-point minimal important difference.",
            &[("sgrq", "quality-of-life")],
        );
        let qol = f
            .findings
            .iter()
            .find(|x| x.outcome.as_deref() == Some("quality-of-life"))
            .unwrap();
        assert_eq!(qol.direction, Direction::NoDifference);
        assert_eq!(qol.significance, Some(Significance::Significant));
    }

    #[test]
    fn events_that_stop_treatment_or_are_added_are_harm_and_a_dose_is_no_count() {
        for text in [
            "RESULTS: Hyperkalaemia leading to discontinuation: 2.3% vs 0.9%.",
            "RESULTS: Photophobia was reported by 9% of children on 0.05% and 3% on placebo.",
            "CONCLUSIONS: Fusion added complications and costs but no measurable benefit.",
        ] {
            let f = read(
                text,
                &[
                    ("photophobia", "adverse-events"),
                    ("complications", "adverse-events"),
                ],
            );
            assert_eq!(
                direction_of(&f, Some("adverse-events")),
                Some(Direction::Harm),
                "{text}"
            );
        }
    }

    #[test]
    fn a_verdict_against_the_treatment_is_harm_whatever_it_gained() {
        let f = read(
            "CONCLUSIONS: Injection relieved pain faster, but exercise offered more durable recovery, and we advise that injection should not be the first-line treatment.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Harm));
    }

    #[test]
    fn a_closing_sentence_that_doubts_only_after_a_turn_concludes() {
        let f = read(
            "RESULTS: Pain was lower with the device at 6 months (p = 0.01).\nCONCLUSIONS: The device might help relieve pain, while its lasting effect remains uncertain.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit), "{f:?}");
        let pain = f
            .findings
            .iter()
            .find(|x| x.outcome.as_deref() == Some("pain"))
            .unwrap();
        assert!(
            pain.concluded && pain.text.starts_with("The device"),
            "{pain:?}"
        );
    }

    #[test]
    fn a_sentence_counting_people_is_a_result_not_the_conclusion() {
        let f = read(
            "We randomised 300 adults to online therapy or a waiting list. Depression scores fell more with therapy (p = 0.01). Twelve participants in the therapy arm and nine on the waiting list reported worsening mood. Online therapy is an effective first step.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit), "{f:?}");
    }

    #[test]
    fn return_to_work_counted_as_time_away_is_better_lower() {
        let rtw = [
            ("return to work", "return-to-work"),
            ("returned to work", "return-to-work"),
            ("sick days", "return-to-work"),
        ];
        for text in [
            "RESULTS: Median time to return to work was 21 vs 35 days (p = 0.01).",
            "RESULTS: Patients had 4.1 vs 9.8 sick days (p = 0.02).",
            "RESULTS: Patients returned to work sooner after surgery (hazard ratio 1.6, 95% CI 1.2 to 2.1).",
        ] {
            let f = read(text, &rtw);
            assert_eq!(
                direction_of(&f, Some("return-to-work")),
                Some(Direction::Benefit),
                "{text}"
            );
        }
    }

    #[test]
    fn times_on_given_days_and_intervals_at_two_times_can_make_a_result_mixed() {
        for text in [
            "RESULTS: Pain was lower on day 1 (p = 0.003) and similar by day 10 (p = 0.56).",
            "RESULTS: Leg pain differed by -1.3 (95% CI -2.1 to -0.5) at 3 weeks and -0.2 (95% CI -1.0 to 0.6) at 3 months.",
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(
                direction_of(&f, Some("pain")),
                Some(Direction::Mixed),
                "{text}"
            );
        }
    }

    #[test]
    fn an_abstract_that_ends_on_figures_has_no_conclusion_and_its_primary_result_decides() {
        let f = read(
            "We randomised 300 adults to glenatide or placebo. Pain fell more with glenatide (p < 0.001). Nausea was reported by 31% of glenatide recipients and 7% of placebo recipients.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit), "{f:?}");
        assert!(f.findings.iter().all(|x| !x.concluded), "{f:?}");
    }

    #[test]
    fn nothing_added_or_offered_is_null_and_a_recommendation_for_patients_is_benefit() {
        for (text, want) in [
            (
                "CONCLUSIONS: Cyclobenzaprine added nothing to naproxen for acute back pain.",
                Direction::NoDifference,
            ),
            (
                "CONCLUSIONS: Tamsulosin may help larger stones to pass but offers nothing for small ones.",
                Direction::Mixed,
            ),
            (
                "CONCLUSIONS: Extended apixaban should be considered for patients with unprovoked thrombosis.",
                Direction::Benefit,
            ),
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(f.direction, Some(want), "{text}");
        }
    }

    #[test]
    fn the_groups_difference_with_its_interval_outweighs_what_improved_in_each() {
        let f = read(
            "RESULTS: At 12 weeks disability had improved by 3.4 points with Pilates and by 2.6 points with usual care (mean difference -0.8, 95% CI -2.3 to 0.7).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("function-disability")),
            Some(Direction::NoDifference)
        );
        let f = read(
            "RESULTS: One patient fainted briefly after the injection and recovered without sequelae.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Harm)
        );
    }

    #[test]
    fn a_result_that_went_both_ways_over_time_stays_mixed_under_a_favourable_conclusion() {
        let f = read(
            "RESULTS: Pain was lower at 3 months (p = 0.004) but not at 12 months (p = 0.38).\nCONCLUSIONS: The programme reduced pain and can be offered.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::Mixed),
            "{f:?}"
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
    }

    #[test]
    fn a_result_overall_and_in_a_subgroup_that_differ_is_mixed() {
        let f = read(
            "RESULTS: Pain relief overall was similar (RR 1.05, 95% CI 0.97 to 1.14); for patients with acute pain it was greater (RR 1.32, 95% CI 1.09 to 1.60).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::Mixed),
            "{f:?}"
        );
    }

    #[test]
    fn nothing_turns_inside_brackets() {
        let f = read(
            "RESULTS: Pain decreased in both groups (from 5.8 to 3.5 and from 5.9 to 3.7; difference -0.2, 95% CI -0.9 to 0.5).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::NoDifference),
            "{f:?}"
        );
    }

    #[test]
    fn a_negated_verb_of_effect_is_null() {
        for text in [
            "CONCLUSIONS: The injection does not hasten return to work.",
            "CONCLUSIONS: Hearing aids did not slow cognitive decline.",
        ] {
            let f = read(text, OUTCOMES);
            assert_eq!(f.direction, Some(Direction::NoDifference), "{text}");
        }
    }

    #[test]
    fn a_composite_end_point_of_events_is_no_adverse_event() {
        let f = read(
            "RESULTS: The primary composite (cardiovascular death, myocardial infarction or stroke) occurred in 5.5% and 7.1% (hazard ratio 0.77, 95% CI 0.61 to 0.96).",
            &[("stroke", "adverse-events"), ("death", "adverse-events")],
        );
        assert_eq!(direction_of(&f, Some("adverse-events")), None, "{f:?}");
        assert_eq!(direction_of(&f, None), Some(Direction::Benefit), "{f:?}");
    }

    #[test]
    fn a_significant_reduction_in_pain_is_a_benefit_against_the_comparator() {
        let f = read(
            "OBJECTIVE: To compare ozone with steroid injection.\nRESULTS: Pain scores fell significantly more after ozone than after steroid injection (p < 0.01).\nCONCLUSIONS: Ozone may relieve pain better than steroid.",
            OUTCOMES,
        );
        let pain = f
            .findings
            .iter()
            .find(|x| x.outcome.as_deref() == Some("pain"))
            .unwrap();
        assert_eq!(pain.direction, Direction::Benefit);
        assert_eq!(pain.comparator.as_deref(), Some("steroid"));
        assert_eq!(pain.significance, Some(Significance::Significant));
        assert_eq!(f.direction, Some(Direction::Benefit));
    }

    #[test]
    fn negated_results_are_no_difference() {
        for sentence in [
            "Pain did not differ significantly between the groups at 3 months (p = 0.42).",
            "There was no significant difference in pain between ozone and placebo.",
            "Ozone failed to reduce pain compared with placebo.",
            "Ozone was not superior to placebo for pain.",
            "We found no evidence of benefit on pain.",
        ] {
            let text = format!(
                "METHODS: Sixty patients were randomised.\nRESULTS: {sentence}\nCONCLUSIONS: Further trials are needed."
            );
            let f = read(&text, OUTCOMES);
            assert_eq!(
                direction_of(&f, Some("pain")),
                Some(Direction::NoDifference),
                "{sentence}"
            );
        }
    }

    #[test]
    fn no_complications_is_a_safety_benefit_and_complications_that_occurred_are_harm() {
        let f = read(
            "RESULTS: No serious adverse events occurred.\nCONCLUSIONS: The injection is safe.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Benefit)
        );
        let f = read(
            "RESULTS: Two patients developed transient headache and one a discitis.\nCONCLUSIONS: Complications occurred in 3 of 40 patients.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Harm)
        );
    }

    #[test]
    fn a_clause_without_an_outcome_speaks_of_the_outcome_before_it() {
        let f = read(
            "RESULTS: Pain improved significantly at 1 month, but not at 6 months.\nCONCLUSIONS: Benefits on pain were short-lived: pain improved at 1 month but not at 6 months.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Mixed));
    }

    #[test]
    fn the_conclusion_decides_and_a_disagreeing_result_leaves_a_note() {
        let f = read(
            "RESULTS: Pain did not differ between the groups (p = 0.21).\nCONCLUSIONS: Ozone appears to reduce pain and may be offered to patients.",
            OUTCOMES,
        );
        let pain = f
            .findings
            .iter()
            .find(|x| x.outcome.as_deref() == Some("pain"))
            .unwrap();
        assert_eq!(pain.direction, Direction::Benefit);
        assert!(
            pain.note.as_deref().unwrap_or("").starts_with("mixed"),
            "{pain:?}"
        );
    }

    #[test]
    fn background_and_future_work_are_not_findings() {
        let f = read(
            "BACKGROUND: Previous trials have shown that ozone reduces pain.\nMETHODS: We describe our protocol.\nCONCLUSIONS: Further randomised trials are needed to show whether ozone reduces pain.",
            OUTCOMES,
        );
        assert!(f.findings.is_empty(), "{f:?}");
        assert_eq!(f.direction, None);
    }

    #[test]
    fn reduced_quality_of_life_is_harm_and_fewer_complications_a_benefit() {
        let f = read(
            "RESULTS: The drug reduced quality of life compared with placebo.\nRESULTS: Patients given the drug had fewer complications than those given placebo.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("quality-of-life")),
            Some(Direction::Harm)
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Benefit)
        );
    }

    #[test]
    fn an_unstructured_abstract_concludes_in_its_closing_sentence() {
        let f = read(
            "Low back pain is common. We randomised 80 patients to ozone or sham injection. Function scores improved more with ozone than with sham (p = 0.003), while pain did not differ. Ozone therapy may improve function in these patients.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("function-disability")),
            Some(Direction::Benefit)
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::NoDifference)
        );
        let function = f
            .findings
            .iter()
            .find(|x| x.outcome.as_deref() == Some("function-disability"))
            .unwrap();
        assert_eq!(function.comparator.as_deref(), Some("sham"));
        assert_eq!(f.direction, Some(Direction::Benefit));
    }

    #[test]
    fn a_change_from_baseline_has_the_baseline_as_comparator() {
        let f = read(
            "RESULTS: Mean pain fell from 7.8 at baseline to 3.1 at 6 months (p < 0.001).",
            OUTCOMES,
        );
        let pain = &f.findings[0];
        assert_eq!(pain.comparator.as_deref(), Some("baseline"));
        assert_eq!(pain.direction, Direction::Benefit);
    }

    #[test]
    fn baseline_characteristics_that_did_not_differ_are_not_a_finding() {
        let f = read(
            "RESULTS: Baseline characteristics, including pain, did not differ between the groups.",
            OUTCOMES,
        );
        assert!(f.findings.is_empty(), "{f:?}");
    }

    #[test]
    fn more_patients_pain_free_is_a_benefit() {
        let f = read(
            "RESULTS: More patients in the ozone group were pain-free at six months than in the sham group.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Benefit));
    }

    #[test]
    fn a_title_naming_an_event_after_a_treatment_is_harm() {
        for title in [
            "Fulminating septicemia secondary to oxygen-ozone therapy for lumbar disc herniation: case report",
            "Sudden visual loss after lumbar intradiscal ozone: a case report",
            "Spinal cord infarction following cervical interlaminar epidural steroid injection",
        ] {
            assert!(title_names_harm(title), "{title}");
        }
        for title in [
            "Pain relief after intradiscal ozone: a randomised trial",
            "Outcomes following lumbar microdiscectomy",
            "Return to work after ozone or microdiscectomy",
            "Ozone versus steroid for sciatica",
        ] {
            assert!(!title_names_harm(title), "{title}");
        }
        let text = "A 52-year-old woman received an intradiscal injection. She lost vision in one eye. Clinicians should be aware of this rare event.";
        let f = read_findings_titled(
            "Sudden visual loss after lumbar intradiscal ozone: a case report",
            text,
            &read_abstract(text),
            &[],
        );
        assert_eq!(f.direction, Some(Direction::Harm));
        assert_eq!(f.findings[0].source, FactSource::Title);
    }

    #[test]
    fn offsets_are_characters_of_the_abstract() {
        let text = "RESULTS: Pain µ improved after ozone (p < 0.05).";
        let f = read(text, OUTCOMES);
        let pain = &f.findings[0];
        let chars: Vec<char> = text.chars().collect();
        let quoted: String = chars[pain.start..pain.end].iter().collect();
        assert_eq!(quoted, pain.text);
    }

    #[test]
    fn a_risk_said_to_rise_with_the_treatment_is_an_adverse_event() {
        let ae = Some("adverse-events");
        let raised = read(
            "RESULTS: Users had a higher rate of hip fracture (HR 1.32, 95% CI 1.12 to 1.55).\nCONCLUSIONS: Long-term use may increase the risk of hip fracture in older adults.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&raised, ae), Some(Direction::Harm));
        let not_raised = read(
            "RESULTS: Vaccine effectiveness was 79%.\nCONCLUSIONS: The vaccine was highly effective and does not appear to increase the risk of Guillain-Barre syndrome.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&not_raised, ae), Some(Direction::NoDifference));
        // The efficacy part of the sentence is read apart from the risk.
        assert_eq!(not_raised.direction, Some(Direction::Benefit));
        let no_evidence = read(
            "CONCLUSIONS: We found no evidence that exposure in pregnancy increases the risk of autism.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&no_evidence, ae),
            Some(Direction::NoDifference)
        );
        // A risk of what the treatment is meant to improve is efficacy, not an event.
        let lowered = read(
            "CONCLUSIONS: Colchicine may lower the risk of ischaemic cardiovascular events.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&lowered, ae), None);
    }

    #[test]
    fn minor_events_are_events_and_events_in_either_arm_are_alike() {
        let ae = Some("adverse-events");
        let minor = read(
            "RESULTS: Pain fell (p < 0.01). Adverse events were mostly minor, chiefly transient soreness.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&minor, ae), Some(Direction::Harm));
        let either = read(
            "RESULTS: Pain did not differ (p = 0.54). No adverse events were reported in either group.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&either, ae), Some(Direction::NoDifference));
        let counted = read(
            "RESULTS: Pain did not differ (p = 0.4). Swelling and adverse events occurred in 7 patients after ozone and in 6 after hyaluronic acid.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&counted, ae), Some(Direction::NoDifference));
    }

    #[test]
    fn changes_in_each_arm_with_no_difference_between_them_are_no_difference() {
        let f = read(
            "RESULTS: Pain fell by 1.9 points with the probiotic and by 1.6 points with placebo (difference 0.3, p = 0.21). The proportion with disability fell in both groups (p = 0.41 between groups).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::NoDifference)
        );
        assert_eq!(
            direction_of(&f, Some("function-disability")),
            Some(Direction::NoDifference)
        );
        // Each outcome of one sentence with its own test.
        let two = read(
            "RESULTS: At 3 months disability improved by 14.2 points with ozone and 11.8 points without (difference 2.4, p = 0.31), and pain fell by 3.0 and 1.1 points respectively (p = 0.001).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&two, Some("function-disability")),
            Some(Direction::NoDifference)
        );
        let fared = read(
            "RESULTS: Patients left to usual care fared no worse on pain (p = 0.21).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&fared, Some("pain")),
            Some(Direction::NoDifference)
        );
    }

    #[test]
    fn a_short_term_conclusion_over_results_that_faded_is_mixed() {
        let f = read(
            "RESULTS: Immediately after treatment exercise reduced pain (SMD -0.52, 95% CI -0.78 to -0.26). Beyond 6 months the pain effect was an SMD of -0.15 (95% CI -0.38 to 0.08).\nCONCLUSIONS: Exercise probably reduces pain in the short term.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Mixed));
        // Without the later null result, the short-term benefit is a benefit.
        let f = read(
            "RESULTS: Immediately after treatment exercise reduced pain (SMD -0.52, 95% CI -0.78 to -0.26).\nCONCLUSIONS: Exercise probably reduces pain in the short term.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Benefit));
    }

    #[test]
    fn a_relative_clause_on_another_treatment_advises_nothing() {
        let f = read(
            "RESULTS: Pain did not differ (p = 0.57).\nCONCLUSIONS: Ozone was not superior to triamcinolone. It may be considered in patients in whom steroids should be avoided.",
            OUTCOMES,
        );
        assert_ne!(f.direction, Some(Direction::Harm));
        let f = read(
            "RESULTS: Pain did not differ (p = 0.57). Dizziness was reported by 31% and 7% (p < 0.001).\nCONCLUSIONS: The injection brought no relief and should be avoided.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Harm));
        // Advice against a treatment that did nothing, with no harm told: no difference.
        let f = read(
            "RESULTS: Pain did not differ (p = 0.57).\nCONCLUSIONS: The injection brought no relief and cannot be recommended.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::NoDifference));
    }

    #[test]
    fn no_benefit_beside_harm_is_harm_only_with_a_verdict_for_the_comparator() {
        let text = |verdict: &str| {
            format!(
                "RESULTS: Disability did not differ (p = 0.4). Complications occurred in 12% after fusion.\nCONCLUSIONS: Fusion was not superior to rehabilitation for disability and carried a substantial risk of complications.{verdict}"
            )
        };
        let f = read(&text(" Rehabilitation should be tried first."), OUTCOMES);
        assert_eq!(f.direction, Some(Direction::Harm));
        let f = read(&text(""), OUTCOMES);
        assert_eq!(f.direction, Some(Direction::NoDifference));
        let f = read(
            "RESULTS: Health status did not differ.\nCONCLUSIONS: Antibiotics were non-inferior to surgery, and caused more complications.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Mixed));
    }

    #[test]
    fn an_exposure_compared_with_a_measure_of_association_is_a_finding() {
        let text = "Current users more often reported wheeze than never users (adjusted odds ratio 1.71, 95% CI 1.32 to 2.21).";
        assert!(tells_of_treatment_given(text));
        // Users without a measure of association: a survey of practice.
        assert!(!tells_of_treatment_given(
            "Users were more often in private practice than non-users."
        ));
        // A policy named with a change noun is no change.
        let f = read(
            &format!("{text} Prevention policies should include electronic cigarettes."),
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Harm));
    }

    #[test]
    fn longer_analgesia_is_a_benefit_and_equal_analgesia_with_fewer_events_a_better_choice() {
        let f = read(
            "The duration of analgesia was longer with dexamethasone (mean 21.6 vs 11.5 hours; p < 0.001). Adding dexamethasone to ropivacaine prolonged analgesia after shoulder surgery.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let f = read(
            "Pain declined similarly (difference 0.1, 95% CI -0.3 to 0.5). Constipation affected 17% and 35% (p<0.001). Given equal analgesia with fewer gastrointestinal effects, tapentadol may be the better choice.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
    }

    #[test]
    fn events_counted_in_people_are_results_not_methods() {
        assert!(says_aim_or_method(
            "Adverse events were recorded in a diary."
        ));
        assert!(!says_aim_or_method(
            "Minor bleeding at needle sites was recorded in 9 acupuncture patients."
        ));
        for events in [
            "Minor bleeding at needle sites was recorded in 9 acupuncture patients.",
            "One patient fell at home in the second week; another developed transient dysphagia.",
            "Nine percent of yoga participants reported self-limiting back pain after a class.",
        ] {
            let f = read(
                &format!(
                    "Pain improved more with X than with usual care (p = 0.01). {events} X reduced pain."
                ),
                OUTCOMES,
            );
            assert_eq!(
                direction_of(&f, Some("adverse-events")),
                Some(Direction::Harm),
                "{events}"
            );
        }
    }

    #[test]
    fn a_gain_beside_the_same_outcome_not_better_at_another_time_is_mixed() {
        let f = read(
            "Leg pain at 8 weeks was 14 vs 29 (p<0.001). Early microdiscectomy gave faster relief of leg pain and an earlier return to work, while leg pain at one year was similar with either strategy.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Mixed));
        // "While" opening the sentence concedes the point.
        let f = read(
            "Leg pain at 8 weeks was 14 vs 29 (p<0.001). While leg pain at one year was similar with either strategy, early microdiscectomy gave faster relief of leg pain.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
    }

    #[test]
    fn what_follows_a_conceded_point_speaks_of_the_main_clause() {
        let f = read(
            "Pain scores fell in both groups and did not differ significantly at 4 weeks (p=0.61). SPADI was lower after PRF (31 vs 42; p=0.01). PRF reduced disability more than steroid, although pain scores were similar, and it is a reasonable alternative for patients with chronic shoulder pain.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::NoDifference)
        );
        assert_eq!(
            direction_of(&f, Some("function-disability")),
            Some(Direction::Benefit)
        );
        assert!(names_the_population(
            "a reasonable alternative for patients with chronic "
        ));
        assert!(!names_the_population(
            "the share of patients with complete "
        ));
    }

    #[test]
    fn no_benefit_beside_a_serious_harm_is_harm() {
        let text = |harm: &str| {
            format!(
                "Cardiovascular events occurred at 10.7 and 11.3 per 1,000 person-years (HR 0.95, 95% CI 0.83 to 1.08). Aspirin did not lower cardiovascular risk and {harm}."
            )
        };
        let f = read(&text("increased serious bleeding"), OUTCOMES);
        assert_eq!(f.direction, Some(Direction::Harm));
        let f = read(&text("caused more drowsiness"), OUTCOMES);
        assert_eq!(f.direction, Some(Direction::NoDifference));
        let f = read(
            &text("caused more dizziness, although no serious adverse events occurred"),
            OUTCOMES,
        );
        assert_ne!(f.direction, Some(Direction::Harm));
    }

    #[test]
    fn fewer_events_caused_and_relief_that_does_not_last() {
        let f = read(
            "RESULTS: Pain was similar (p = 0.48).\nCONCLUSIONS: Lidocaine was as effective as dry needling for pain and caused less soreness.",
            &[("pain", "pain"), ("soreness", "adverse-events")],
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::Benefit)
        );
        let f = read(
            "CONCLUSIONS: Transforaminal steroids give short-term pain relief that does not last.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Mixed));
    }

    #[test]
    fn a_case_report_titled_with_a_harm_is_harm_whatever_else_was_unchanged() {
        let text = "A woman applied a fig-leaf paste and sunbathed. She developed burns over 4% of her body. The vitiligo patches were unchanged. Clinicians should warn patients.";
        let f = read_findings_titled(
            "Severe phytophotodermatitis after a homemade fig-leaf preparation for vitiligo: a case report",
            text,
            &read_abstract(text),
            &[],
        );
        assert_eq!(f.direction, Some(Direction::Harm));
    }

    #[test]
    fn a_record_direction_is_its_own_clauses_and_a_loss_said_outright_is_mixed() {
        // A conceded point does not turn the verdict, even on the same outcome.
        let f = read(
            "RESULTS: Physical quality of life improved (p = 0.003).\nCONCLUSIONS: Exercise seems to protect physical quality of life, although it did not change emotional quality of life.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("quality-of-life")),
            Some(Direction::Mixed)
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let conceded = read(
            "RESULTS: Pain relief was better at 6 weeks (p = 0.02).\nCONCLUSIONS: Medial branch blocks provide short-term relief of pain, although the effect is lost by three months.",
            OUTCOMES,
        );
        assert_eq!(conceded.direction, Some(Direction::Benefit));
        let said = read(
            "RESULTS: Pain relief was better at 6 weeks (p = 0.02).\nCONCLUSIONS: Transforaminal steroids give short-term pain relief that does not last.",
            OUTCOMES,
        );
        assert_eq!(said.direction, Some(Direction::Mixed));
    }

    #[test]
    fn a_trade_off_stated_as_a_recommendation_is_a_benefit() {
        let text = |verdict: &str| {
            format!(
                "RESULTS: Sore throat days fell (p < 0.001); haemorrhage occurred in 16%.\nCONCLUSIONS: Tonsillectomy reduced sore throat days, at the cost of a notable risk of bleeding.{verdict}"
            )
        };
        let f = read(
            &text(" It remains a reasonable option for patients informed of this risk."),
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        let f = read(&text(""), OUTCOMES);
        assert_eq!(f.direction, Some(Direction::Mixed));
    }

    #[test]
    fn non_inferior_and_an_alternative_is_no_difference() {
        let f = read(
            "RESULTS: The difference in walk distance was -4 m (95% CI -21 to 13).\nCONCLUSIONS: Home rehabilitation was non-inferior to centre-based rehabilitation and is a reasonable alternative for patients who cannot travel.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::NoDifference));
        let f = read(
            "RESULTS: Pain relief was similar.\nCONCLUSIONS: A single fraction relieves pain as well as five fractions and should remain the standard.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
    }

    #[test]
    fn qualitative_methods_and_simulation_studies_report_no_treatment_effect() {
        assert!(reports_no_treatment_effect(
            "Patients' expectations of spinal injections: a qualitative study",
            "We held semi-structured interviews with 24 patients."
        ));
        assert!(reports_no_treatment_effect(
            "Responder definitions in pain trials",
            "We describe a simulation-based method for comparing power."
        ));
        assert!(!reports_no_treatment_effect(
            "Ozone versus steroid for sciatica: a randomised trial",
            "Pain fell more with ozone (p = 0.01)."
        ));
    }

    #[test]
    fn later_results_that_open_on_the_difference_speak_of_the_outcome_before() {
        let f = read(
            "RESULTS: At 6 weeks the injection group had less pain (difference 1.4, 95% CI 0.6 to 2.2). At 52 weeks the difference was 0.2 (95% CI -0.5 to 0.9).",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, Some("pain")), Some(Direction::Mixed));
        // "as did" carries the direction said before it.
        let f = read(
            "RESULTS: Pain improved more with ozone than with saline (mean difference -1.9 points, 95% CI -2.8 to -1.0), as did physical function (-6.4 points, 95% CI -10.1 to -2.7).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("function-disability")),
            Some(Direction::Benefit)
        );
        // An elliptic clause after a comparison is part of it.
        let f = read(
            "RESULTS: Physical quality of life improved more with exercise (p = 0.01), whereas emotional quality of life did not (p = 0.40).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("quality-of-life")),
            Some(Direction::Mixed)
        );
    }

    #[test]
    fn things_the_taxonomy_does_not_name_are_still_read() {
        // An efficacy outcome named before a taxonomy outcome by the same verb.
        let f = read(
            "CONCLUSIONS: The antibody reduced migraine frequency and the use of acute medication.",
            &[("acute medication", "analgesic-use")],
        );
        assert_eq!(direction_of(&f, None), Some(Direction::Benefit));
        assert_eq!(
            direction_of(&f, Some("analgesic-use")),
            Some(Direction::Benefit)
        );
        // An untoward event counted in the arms is an adverse event.
        let f = read(
            "RESULTS: Walk distance did not differ (p = 0.5). One fall occurred in each group.",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("adverse-events")),
            Some(Direction::NoDifference)
        );
        // ... unless the title names it as what the study is about.
        let text = "RESULTS: Falls occurred in 20% and 30% of participants (p = 0.01).";
        let f = read_findings_titled(
            "Vitamin D to prevent falls: a randomised trial",
            text,
            &read_abstract(text),
            &[],
        );
        assert_eq!(direction_of(&f, Some("adverse-events")), None);
    }

    #[test]
    fn reviewer_readings_of_safety_verdicts_and_targets() {
        let ae = Some("adverse-events");
        // A statement that nothing serious happened, beside minor events in one arm that last
        // "less than 48 hours" (no comparison), is a benefit.
        let f = read(
            "RESULTS: No serious adverse events occurred; three patients in the ozone group reported transient stiffness lasting less than 48 hours.",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, ae), Some(Direction::Benefit));
        // As good as the comparator with half its side effects, and recommended: a benefit.
        let f = read(
            "RESULTS: Haemoglobin rose similarly (p = 0.6).\nCONCLUSIONS: Alternate-day iron corrected anaemia as well as daily dosing with half the gastrointestinal side effects. It can be recommended as the standard regimen.",
            &[("side effects", "adverse-events")],
        );
        assert_eq!(f.direction, Some(Direction::Benefit));
        assert_eq!(direction_of(&f, ae), Some(Direction::Benefit));
        // "the lowest effective dose" is no claim of efficacy.
        let f = read(
            "RESULTS: Users had more hip fractures (HR 1.32, 95% CI 1.12 to 1.55).\nCONCLUSIONS: Long-term use may increase the risk of hip fracture. It should be prescribed at the lowest effective dose.",
            OUTCOMES,
        );
        assert_eq!(f.direction, Some(Direction::Harm));
        // No better, but better in one respect beside it: mixed.
        let f = read(
            "RESULTS: Pain (p = 0.44) and disability (p = 0.52) were similar.\nCONCLUSIONS: Manipulation was no better than exercise for pain or disability, but patients who received it returned to work sooner.",
            &[
                ("pain", "pain"),
                ("disability", "function-disability"),
                ("returned to work", "return-to-work"),
            ],
        );
        assert_eq!(f.direction, Some(Direction::Mixed));
        // What the title says the treatment is for is its end point, not an adverse event.
        let text = "RESULTS: Acute nausea was less frequent with acupuncture (p = 0.01); delayed nausea did not differ (p = 0.70).\nCONCLUSIONS: Acupuncture reduced acute but not delayed nausea.";
        let mentions: Vec<OutcomeMention> = text
            .match_indices("nausea")
            .map(|(i, w)| OutcomeMention {
                outcome: "adverse-events".into(),
                start: i,
                end: i + w.len(),
            })
            .collect();
        let f = read_findings_titled(
            "Acupuncture for chemotherapy-induced nausea: a randomised trial",
            text,
            &read_abstract(text),
            &mentions,
        );
        assert_eq!(direction_of(&f, ae), None, "{f:?}");
        assert_eq!(direction_of(&f, None), Some(Direction::Mixed), "{f:?}");
    }

    #[test]
    fn a_result_that_continues_the_one_before_points_as_its_side_of_no_effect_says() {
        // Insomnia severity is named by no outcome: the later estimate on the same side of no
        // effect points the same way as the first.
        let f = read(
            "RESULTS: The ISI fell by 7.9 points with CBT and 3.1 points with education (difference -4.8, 95% CI -6.0 to -3.6). At 1 year, the difference was -3.9 points (95% CI -5.2 to -2.6).",
            OUTCOMES,
        );
        assert_eq!(direction_of(&f, None), Some(Direction::Benefit), "{f:?}");
        // On the other side, the other way.
        let f = read(
            "RESULTS: At 6 weeks the injection group had less pain (difference 1.4, 95% CI 0.6 to 2.2). At 52 weeks the difference reversed (-0.8, 95% CI -1.5 to -0.1).",
            OUTCOMES,
        );
        assert_eq!(
            direction_of(&f, Some("pain")),
            Some(Direction::Mixed),
            "{f:?}"
        );
    }

    #[test]
    fn operations_counted_in_the_arms_without_a_test_are_read_like_events() {
        let surgery = &[("surgery", "surgery-avoidance")];
        let f = read(
            "RESULTS: Nine ozone and twelve sham patients had surgery within the year.",
            surgery,
        );
        assert_eq!(
            direction_of(&f, Some("surgery-avoidance")),
            Some(Direction::NoDifference)
        );
        let f = read(
            "RESULTS: Surgery was needed in 4 ozone and 15 sham patients.",
            surgery,
        );
        assert_eq!(
            direction_of(&f, Some("surgery-avoidance")),
            Some(Direction::Benefit)
        );
    }
}
