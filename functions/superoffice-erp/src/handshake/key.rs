//! The app's RSA private key: SuperOffice issues it as .NET XML (`<RSAKeyValue>` with base64
//! `Modulus`, `Exponent`, `P`, `Q`, `DP`, `DQ`, `InverseQ`, `D`; S SO-2 `ERP_PrivateKey.xml`);
//! PEM (PKCS#1 or PKCS#8) is accepted too. The parsed key zeroizes itself on drop; `Debug` shows
//! its size only and errors never repeat key text.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use quick_xml::Reader;
use quick_xml::events::Event;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Smallest modulus accepted (SuperOffice's sample app keys are 1024-bit).
const MIN_BITS: usize = 1024;

/// The app's private key. Cheap to clone (shared).
#[derive(Clone)]
pub struct AppKey(Arc<RsaPrivateKey>);

impl std::fmt::Debug for AppKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AppKey(<redacted>, {} bits)", self.0.size() * 8)
    }
}

/// Why a key cannot be used (never repeats key material).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the private key is neither <RSAKeyValue> XML nor PEM")]
    UnknownFormat,
    #[error("the private key's XML is not readable: {0}")]
    Xml(&'static str),
    #[error("the private key's <{0}> is missing or not base64")]
    Component(&'static str),
    #[error("the private key's PEM is not an RSA private key")]
    Pem,
    #[error("the private key's parts do not form a valid RSA key")]
    Invalid,
    #[error("the private key is shorter than {MIN_BITS} bits")]
    TooShort,
}

impl AppKey {
    /// XML (`<RSAKeyValue>…`) or PEM, detected from the text.
    pub fn parse(text: &SecretString) -> Result<Self, KeyError> {
        let raw = text.expose_secret().trim().trim_start_matches('\u{feff}');
        let key = if raw.starts_with('<') {
            from_xml(raw)?
        } else if raw.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs1_pem(raw).map_err(|_| KeyError::Pem)?
        } else if raw.starts_with("-----BEGIN PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs8_pem(raw).map_err(|_| KeyError::Pem)?
        } else {
            return Err(KeyError::UnknownFormat);
        };
        key.validate().map_err(|_| KeyError::Invalid)?;
        if key.size() * 8 < MIN_BITS {
            return Err(KeyError::TooShort);
        }
        Ok(Self(Arc::new(key)))
    }

    pub fn public_key(&self) -> RsaPublicKey {
        self.0.to_public_key()
    }

    /// RSA-SHA256 (PKCS#1 v1.5) signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, super::HandshakeError> {
        let digest = Sha256::digest(message);
        self.0.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).map_err(|_| super::HandshakeError::Signing)
    }
}

const PARTS: [&str; 8] = ["Modulus", "Exponent", "P", "Q", "DP", "DQ", "InverseQ", "D"];

/// `<RSAKeyValue>`: `Modulus`, `Exponent`, `D`, `P`, `Q` are needed (the CRT parts are
/// recomputed).
fn from_xml(xml: &str) -> Result<RsaPrivateKey, KeyError> {
    let mut reader = Reader::from_str(xml);
    let mut values: [Option<String>; 8] = Default::default();
    let mut current: Option<usize> = None;
    let mut saw_root = false;
    loop {
        match reader.read_event().map_err(|_| KeyError::Xml("not well-formed"))? {
            Event::Start(e) => {
                let name = e.local_name();
                if name.as_ref() == b"RSAKeyValue" {
                    saw_root = true;
                }
                current = PARTS.iter().position(|p| p.as_bytes() == name.as_ref());
            }
            Event::Text(t) => {
                if let Some(i) = current {
                    let text = t.decode().map_err(|_| KeyError::Xml("not UTF-8"))?;
                    values[i].get_or_insert_with(String::new).push_str(&text);
                }
            }
            Event::End(_) => current = None,
            Event::DocType(_) => return Err(KeyError::Xml("a DTD is not accepted")),
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(KeyError::Xml("no <RSAKeyValue> element"));
    }
    let number = |i: usize| -> Result<BigUint, KeyError> {
        let text: String = values[i].as_deref().unwrap_or_default().chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = STANDARD.decode(text.as_bytes()).map_err(|_| KeyError::Component(PARTS[i]))?;
        if bytes.is_empty() {
            return Err(KeyError::Component(PARTS[i]));
        }
        Ok(BigUint::from_bytes_be(&bytes))
    };
    let (n, e, p, q, d) = (number(0)?, number(1)?, number(2)?, number(3)?, number(7)?);
    let mut key = RsaPrivateKey::from_components(n, e, d, vec![p, q]).map_err(|_| KeyError::Invalid)?;
    key.precompute().map_err(|_| KeyError::Invalid)?;
    Ok(key)
}
