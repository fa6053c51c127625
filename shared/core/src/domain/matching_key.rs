//! How a provider customer is matched to a platform customer.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchingKey {
    CustomerNumber,
    VatNumber,
    Email,
    Name,
}

impl MatchingKey {
    pub const ALL: [MatchingKey; 4] =
        [MatchingKey::CustomerNumber, MatchingKey::VatNumber, MatchingKey::Email, MatchingKey::Name];

    pub fn as_str(self) -> &'static str {
        match self {
            MatchingKey::CustomerNumber => "customer_number",
            MatchingKey::VatNumber => "vat_number",
            MatchingKey::Email => "email",
            MatchingKey::Name => "name",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MatchingKey::CustomerNumber => "customer number",
            MatchingKey::VatNumber => "VAT number",
            MatchingKey::Email => "e-mail address",
            MatchingKey::Name => "name",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The comparable form of a value, or `None` when nothing is left to compare.
    /// Case never matters; VAT numbers also ignore spaces, dots and dashes; names ignore
    /// punctuation and repeated spaces.
    pub fn normalize(self, raw: &str) -> Option<String> {
        let trimmed = raw.trim();
        let out = match self {
            MatchingKey::CustomerNumber | MatchingKey::Email => trimmed.to_lowercase(),
            MatchingKey::VatNumber => {
                trimmed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase()
            }
            MatchingKey::Name => trimmed
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        };
        (!out.is_empty()).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::MatchingKey::*;

    #[test]
    fn normalizes_each_key_kind() {
        assert_eq!(VatNumber.normalize(" nl 8888.88.888.b01 ").as_deref(), Some("NL888888888B01"));
        assert_eq!(Email.normalize(" Info@Bakkerij.NL ").as_deref(), Some("info@bakkerij.nl"));
        assert_eq!(Name.normalize("Bakkerij  de Vries, B.V.").as_deref(), Some("bakkerij de vries b v"));
        assert_eq!(CustomerNumber.normalize(" 1001 ").as_deref(), Some("1001"));
        assert_eq!(VatNumber.normalize(" .- "), None);
        assert_eq!(Email.normalize("   "), None);
    }

    proptest::proptest! {
        #[test]
        fn normalization_is_idempotent(s in ".{0,40}") {
            for key in super::MatchingKey::ALL {
                if let Some(once) = key.normalize(&s) {
                    proptest::prop_assert_eq!(key.normalize(&once), Some(once.clone()));
                }
            }
        }
    }
}
