//! Entity and character references in PubMed's XML (records and E-utilities answers alike): one
//! decoder, used by the record reader ([`super::reader`]) and the E-utilities client
//! ([`super::eutils`]). Only the five entities XML defines (`&amp;` `&lt;` `&gt;` `&quot;`
//! `&apos;`) and numeric character references (`&#233;`, `&#xE9;`) are resolved; any other
//! `&name;` is an error, never expanded and never silently dropped (evcat does not read DTDs),
//! and so is a character reference to a character XML 1.0 forbids.

use quick_xml::events::BytesRef;

/// Why a reference could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntityError {
    /// `&name;` for an entity XML does not define.
    #[error("undefined entity &{0}; (evcat does not expand DTD entities)")]
    Undefined(String),
    /// A character reference to a character XML 1.0 forbids (`&#1;`).
    #[error("the character reference &{reference}; (U+{code:04X})")]
    Forbidden {
        /// The reference, without `&` and `;`.
        reference: String,
        /// The character it names.
        code: u32,
    },
    /// A malformed character reference (`&#xZZ;`, beyond U+10FFFF, ...).
    #[error("{0}")]
    Malformed(String),
}

/// Whether XML 1.0 allows `c` (its `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The character of one of the five entities XML defines (`amp`, `lt`, `gt`, `quot`, `apos`).
pub fn predefined_entity(name: &str) -> Result<char, EntityError> {
    match name {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(EntityError::Undefined(other.to_string())),
    }
}

/// The character a reference (a quick-xml `GeneralRef` event) stands for.
pub fn decode_reference(r: &BytesRef<'_>) -> Result<char, EntityError> {
    match r.resolve_char_ref() {
        Ok(Some(c)) if is_xml_char(c) => Ok(c),
        Ok(Some(c)) => Err(EntityError::Forbidden {
            reference: (**r).to_string(),
            code: c as u32,
        }),
        Ok(None) => predefined_entity(r),
        Err(e) => Err(EntityError::Malformed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(reference: &str) -> Result<char, EntityError> {
        decode_reference(&BytesRef::new(reference))
    }

    #[test]
    fn the_five_xml_entities_and_character_references_decode() {
        let decoded: String = ["amp", "lt", "gt", "quot", "apos", "#233", "#xE9", "#x3B1"]
            .iter()
            .map(|r| decode(r).unwrap())
            .collect();
        assert_eq!(decoded, "&<>\"'ééα");
    }

    #[test]
    fn any_other_entity_is_an_error_naming_it() {
        let err = decode("nbsp").unwrap_err();
        assert_eq!(err, EntityError::Undefined("nbsp".into()));
        assert_eq!(
            err.to_string(),
            "undefined entity &nbsp; (evcat does not expand DTD entities)"
        );
        assert!(matches!(decode("AMP"), Err(EntityError::Undefined(_))));
    }

    #[test]
    fn forbidden_and_malformed_character_references_are_errors() {
        assert_eq!(
            decode("#1"),
            Err(EntityError::Forbidden {
                reference: "#1".into(),
                code: 1
            })
        );
        assert!(matches!(
            decode("#xFFFE"),
            Err(EntityError::Forbidden { .. })
        ));
        for bad in ["#", "#x", "#xZZ", "#12a", "#x110000", "#xD800"] {
            assert!(
                matches!(decode(bad), Err(EntityError::Malformed(_))),
                "{bad}: {:?}",
                decode(bad)
            );
        }
    }
}
