//! The typed values of claims: a linked record's [`Stance`], a reviewer's [`Verdict`] and what a
//! claim is about, its [`ClaimKind`]. Each reads and prints exactly the strings documented in the
//! README and stored in the catalogue (the kinds are also held to them by a CHECK of migration
//! 8); serde uses the same kebab-case names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a linked record stands on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// The record supports the claim.
    Supports,
    /// The record refutes it.
    Refutes,
    /// Some of both.
    Mixed,
    /// The record does not bear on it.
    NoEvidence,
}

/// A reviewer's verdict on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The evidence supports the claim.
    Supported,
    /// It supports part of it.
    PartlySupported,
    /// It does not support it.
    Unsupported,
    /// It contradicts it.
    Contradicted,
    /// There is too little evidence to say.
    InsufficientEvidence,
}

/// What a claim is about: the kinds an article's evidence claims are labelled with (issue 14;
/// `fixtures/articles-dev/README.md` gives the labelling rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimKind {
    /// What research found, attributed to it ("a review found that ...", "studies suggest").
    Study,
    /// What a treatment does for people (less pain, better function), its mechanism included.
    Benefit,
    /// Whom or what a treatment is for, or not for (conditions, who does best, guidelines).
    Indication,
    /// How a treatment is given: sessions, their spacing, dose, repeats.
    Protocol,
    /// When it works and for how long: onset, duration of relief, time back at work.
    Course,
    /// Harms, side effects, complications, or that a treatment is safe.
    Safety,
}

impl Stance {
    /// Every stance, in the order the README lists them.
    pub const ALL: [Stance; 4] = [
        Stance::Supports,
        Stance::Refutes,
        Stance::Mixed,
        Stance::NoEvidence,
    ];

    /// The stance as typed and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Refutes => "refutes",
            Stance::Mixed => "mixed",
            Stance::NoEvidence => "no-evidence",
        }
    }
}

impl Verdict {
    /// Every verdict, in the order the README lists them.
    pub const ALL: [Verdict; 5] = [
        Verdict::Supported,
        Verdict::PartlySupported,
        Verdict::Unsupported,
        Verdict::Contradicted,
        Verdict::InsufficientEvidence,
    ];

    /// The verdict as typed and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::PartlySupported => "partly-supported",
            Verdict::Unsupported => "unsupported",
            Verdict::Contradicted => "contradicted",
            Verdict::InsufficientEvidence => "insufficient-evidence",
        }
    }
}

impl ClaimKind {
    /// Every kind, in the order the README lists them.
    pub const ALL: [ClaimKind; 6] = [
        ClaimKind::Study,
        ClaimKind::Benefit,
        ClaimKind::Indication,
        ClaimKind::Protocol,
        ClaimKind::Course,
        ClaimKind::Safety,
    ];

    /// The kind as typed and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Study => "study",
            ClaimKind::Benefit => "benefit",
            ClaimKind::Indication => "indication",
            ClaimKind::Protocol => "protocol",
            ClaimKind::Course => "course",
            ClaimKind::Safety => "safety",
        }
    }
}

/// A string that is not one of the values of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

impl FromStr for Stance {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stance::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_string()))
    }
}

impl FromStr for Verdict {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_string()))
    }
}

impl FromStr for ClaimKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClaimKind::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_string()))
    }
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_and_match_serde() {
        for s in Stance::ALL {
            assert_eq!(s.as_str().parse::<Stance>(), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for v in Verdict::ALL {
            assert_eq!(v.as_str().parse::<Verdict>(), Ok(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
        assert_eq!(Stance::NoEvidence.to_string(), "no-evidence");
        assert_eq!(
            Verdict::InsufficientEvidence.to_string(),
            "insufficient-evidence"
        );
    }

    #[test]
    fn unknown_and_differently_cased_strings_are_refused() {
        assert!("Supports".parse::<Stance>().is_err());
        assert!("no_evidence".parse::<Stance>().is_err());
        assert!("unreviewed".parse::<Verdict>().is_err());
        assert!("".parse::<Verdict>().is_err());
    }

    #[test]
    fn claim_kinds_parse_print_and_serialise_as_their_lowercase_names() {
        let names: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "study",
                "benefit",
                "indication",
                "protocol",
                "course",
                "safety"
            ]
        );
        for k in ClaimKind::ALL {
            assert_eq!(k.as_str().parse::<ClaimKind>(), Ok(k));
            assert_eq!(k.to_string(), k.as_str());
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
            assert_eq!(
                serde_json::from_value::<ClaimKind>(k.as_str().into()).unwrap(),
                k
            );
        }
    }

    #[test]
    fn unknown_and_differently_written_claim_kinds_are_refused() {
        for bad in [
            "",
            "Protocol",
            "PROTOCOL",
            " protocol",
            "protocol ",
            "dose",
            "side-effect",
        ] {
            assert_eq!(
                bad.parse::<ClaimKind>(),
                Err(UnknownValue(bad.to_string())),
                "{bad:?}"
            );
        }
        assert!(serde_json::from_value::<ClaimKind>("Study".into()).is_err());
    }
}
