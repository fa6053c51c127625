//! Query paging for the SQLite store: the sort-key range of a prefix, and the opaque token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use koppel_core::ports::StoreError;

/// The range of a prefix: shared with the DynamoDB adapter (see its docs in the port).
pub(crate) use koppel_core::ports::store::prefix_upper_bound;

/// Where the previous page stopped. Encoded as base64 of `[pk, last_sk]` so a token can be
/// checked against the query it is handed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageToken {
    pub last_sk: String,
}

impl PageToken {
    pub(crate) fn encode(pk: &str, last_sk: &str) -> String {
        let json = serde_json::to_vec(&(pk, last_sk)).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// A token of another partition or prefix, or one this store never made, is refused.
    pub(crate) fn decode(token: &str, pk: &str, sk_prefix: &str) -> Result<Self, StoreError> {
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| StoreError::BadPageToken)?;
        let (token_pk, last_sk): (String, String) =
            serde_json::from_slice(&bytes).map_err(|_| StoreError::BadPageToken)?;
        if token_pk != pk || !last_sk.starts_with(sk_prefix) {
            return Err(StoreError::BadPageToken);
        }
        Ok(Self { last_sk })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_bound_covers_exactly_the_prefix() {
        assert_eq!(prefix_upper_bound("R#"), Some("R$".to_string()));
        assert_eq!(prefix_upper_bound(""), None);
        assert_eq!(prefix_upper_bound("a\u{10FFFF}"), Some("b".to_string()));
        assert_eq!(prefix_upper_bound("\u{10FFFF}"), None);
        assert_eq!(prefix_upper_bound("x\u{D7FF}"), Some("x\u{E000}".to_string()));
        let upper = prefix_upper_bound("R#1").unwrap();
        for inside in ["R#1", "R#1\u{10FFFF}", "R#1zzz", "R#1#"] {
            assert!(inside >= "R#1" && inside < upper.as_str(), "{inside:?} must be in range");
        }
        for outside in ["R#2", "RX#", "R#", "R$"] {
            assert!(!(outside >= "R#1" && outside < upper.as_str()), "{outside:?} must be out of range");
        }
    }

    #[test]
    fn tokens_round_trip_and_refuse_other_queries() {
        let token = PageToken::encode("T#a", "R#5");
        assert_eq!(PageToken::decode(&token, "T#a", "R#").unwrap().last_sk, "R#5");
        assert_eq!(PageToken::decode(&token, "T#b", "R#"), Err(StoreError::BadPageToken));
        assert_eq!(PageToken::decode(&token, "T#a", "INV#"), Err(StoreError::BadPageToken));
        assert_eq!(PageToken::decode("not a token!", "T#a", "R#"), Err(StoreError::BadPageToken));
        let not_json = URL_SAFE_NO_PAD.encode(b"R#5");
        assert_eq!(PageToken::decode(&not_json, "T#a", "R#"), Err(StoreError::BadPageToken));
    }
}
