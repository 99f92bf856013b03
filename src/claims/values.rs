//! The typed values of claims: a linked record's [`Stance`] and a reviewer's [`Verdict`]. Each
//! reads and prints exactly the strings documented in the README (and stored in the catalogue,
//! so no migration is needed); serde uses the same kebab-case names.

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
}
