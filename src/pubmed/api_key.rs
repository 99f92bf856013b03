//! The NCBI API key: a secret the E-utilities client sends in request bodies and nowhere else.
//! `Debug` and `Display` print a mask, never the key.

/// An NCBI API key (raises NCBI's limit from 3 to 10 requests per second).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key (trimmed).
    pub fn new(key: &str) -> ApiKey {
        ApiKey(key.trim().to_string())
    }
    /// The key itself: only for putting it in a request body.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(********)")
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("********")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_never_prints() {
        let k = ApiKey::new("abcdef0123456789");
        assert_eq!(format!("{k}"), "********");
        assert!(!format!("{k:?}").contains("abcdef"));
        assert_eq!(ApiKey::new("  abc \n").expose(), "abc");
    }
}
