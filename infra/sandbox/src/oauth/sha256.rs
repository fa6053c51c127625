//! PKCE S256 (RFC 7636 §4.2): `BASE64URL(SHA256(ASCII(code_verifier)))`, no padding.

use base64::Engine;
use sha2::{Digest, Sha256};

pub fn s256_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_is_base64url_without_padding() {
        // Computed independently with Python's hashlib + base64.urlsafe_b64encode.
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB0tHcMpSAKbwmA0u7FTMDgE9R3OvU"),
            "ImheWPMWjil2fZS2nLTLjufDZfK0Q4H41gPwJ2NWeFE"
        );
    }
}
