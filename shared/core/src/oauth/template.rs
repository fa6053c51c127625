//! A token URL with `{setting}` placeholders, filled from a connection's settings, and the
//! checks that keep a value from the callback's query from sending Koppel's client secret
//! anywhere else:
//!
//! - a placeholder at the very start (`{accounts_server}/oauth/v2/token`) is the **origin**: its
//!   value must be `https://host` (or `https://host:port`) with a host the registration's
//!   `allowed_hosts` lists — `http://` only for a loopback host that is listed itself — and
//!   nothing else (no path, query, fragment or user);
//! - any other placeholder (`https://live.getsilverfin.com/f/{firm_id}/oauth/token`) sits in
//!   the path and its value must be a **plain id**: 1 to 64 ASCII letters and digits.
//!
//! Placeholders in the host part or after `?`/`#` are refused when the registration is read.

use std::collections::BTreeMap;

use url::Url;

/// Longest plain id a path placeholder takes.
pub const MAX_ID_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// The whole origin (`scheme://host[:port]`).
    Origin(String),
    /// One path piece: a plain id.
    Id(String),
}

/// A parsed `token_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplate {
    parts: Vec<Part>,
}

/// Why a placeholder's value cannot be used (names the setting, never the value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FillError {
    #[error("{setting} is missing")]
    Missing { setting: String },
    #[error("{setting} is not an https:// address of a host the OAuth app registration allows")]
    HostNotAllowed { setting: String },
    #[error("{setting} is not a plain id (1 to {MAX_ID_LEN} letters and digits)")]
    NotPlainId { setting: String },
}

impl FillError {
    pub fn setting(&self) -> &str {
        match self {
            FillError::Missing { setting }
            | FillError::HostNotAllowed { setting }
            | FillError::NotPlainId { setting } => setting,
        }
    }
}

impl UrlTemplate {
    /// Read a template; the message says what is wrong (it holds no secret: URLs are not secret).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| open + c).ok_or("has a { without }")?;
            let name = &rest[open + 1..close];
            if !is_setting_name(name) {
                return Err(format!("has a placeholder {{{name}}} that is not a setting name (a-z, 0-9, _)"));
            }
            if rest[..open].contains('}') {
                return Err("has a } without {".into());
            }
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let at_start = parts.is_empty() && open == 0;
            parts.push(if at_start { Part::Origin(name.to_string()) } else { Part::Id(name.to_string()) });
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err("has a } without {".into());
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        let template = Self { parts };
        template.check_shape()?;
        Ok(template)
    }

    /// The setting names it needs, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Origin(n) | Part::Id(n) => Some(n.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Whether it starts with a placeholder (then the registration must list `allowed_hosts`).
    pub fn has_origin_placeholder(&self) -> bool {
        matches!(self.parts.first(), Some(Part::Origin(_)))
    }

    /// The URL with every placeholder filled from `settings`, each value checked.
    pub fn fill(&self, settings: &BTreeMap<String, String>, allowed: &AllowedHosts) -> Result<String, FillError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Origin(name) => {
                    let value = settings.get(name).ok_or_else(|| FillError::Missing { setting: name.clone() })?;
                    let origin =
                        allowed.origin(value).ok_or_else(|| FillError::HostNotAllowed { setting: name.clone() })?;
                    out.push_str(&origin);
                }
                Part::Id(name) => {
                    let value = settings.get(name).ok_or_else(|| FillError::Missing { setting: name.clone() })?;
                    if !is_plain_id(value) {
                        return Err(FillError::NotPlainId { setting: name.clone() });
                    }
                    out.push_str(value);
                }
            }
        }
        Ok(out)
    }

    /// The URL with sample values (`https://origin.invalid`, `id1`), to check its literal parts.
    pub fn sample(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::Origin(_) => "https://origin.invalid",
                Part::Id(_) => "id1",
            })
            .collect()
    }

    /// Placeholders only as the whole origin or in the path; filled with samples, an absolute URL.
    fn check_shape(&self) -> Result<(), String> {
        let mut sample = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Text(t) => {
                    if i == 1 && self.has_origin_placeholder() && !t.starts_with('/') {
                        return Err("must go on with / right after the {setting} that starts it".into());
                    }
                    sample.push_str(t);
                }
                Part::Origin(_) => sample.push_str("https://origin.invalid"),
                Part::Id(name) => {
                    if !starts_path(&sample) || sample.contains('?') || sample.contains('#') {
                        return Err(format!("may hold {{{name}}} only in its path (or as the whole start)"));
                    }
                    sample.push_str("id1");
                }
            }
        }
        Url::parse(&sample).map(|_| ()).map_err(|e| format!("is not a URL ({e})"))
    }
}

/// Whether `sample` (a URL's beginning) already reached its path: `scheme://host/`.
fn starts_path(sample: &str) -> bool {
    sample.split_once("://").is_some_and(|(_, after)| after.contains('/'))
}

/// A connection setting's name: `a-z`, `0-9`, `_`, 1 to 64 characters.
pub fn is_setting_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// 1 to [`MAX_ID_LEN`] ASCII letters and digits (a Silverfin firm id).
pub fn is_plain_id(value: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The hosts an origin taken from a setting may name (`allowed_hosts` of the registration):
/// `host` (default port only) or `host:port`, lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts(Vec<(String, Option<u16>)>);

impl AllowedHosts {
    /// Read the registration's entries; the message names the bad entry (hosts are not secret).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.trim().to_ascii_lowercase();
            let url = Url::parse(&format!("https://{entry}")).map_err(|_| format!("{entry:?} is not a host"))?;
            let host = url.host_str().ok_or_else(|| format!("{entry:?} is not a host"))?;
            let expected = match url.port() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_string(),
            };
            if expected != entry || url.path() != "/" {
                return Err(format!("{entry:?} is not a plain host or host:port"));
            }
            out.push((host.to_string(), url.port()));
        }
        Ok(Self(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `value` as a normalised origin (`https://accounts.zoho.eu`) when it is nothing but an
    /// allowed origin; `None` otherwise.
    pub fn origin(&self, value: &str) -> Option<String> {
        let url = Url::parse(value.trim()).ok()?;
        let bare = url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
            && url.path() == "/";
        let host = url.host_str()?.to_ascii_lowercase();
        let scheme_ok = match url.scheme() {
            "https" => true,
            "http" => is_loopback(&host),
            _ => false,
        };
        let listed = self.0.iter().any(|(h, port)| *h == host && *port == url.port());
        (bare && scheme_ok && listed).then(|| url.origin().ascii_serialization())
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn zoho_hosts() -> AllowedHosts {
        AllowedHosts::parse(&["accounts.zoho.com".into(), "Accounts.Zoho.EU".into(), "127.0.0.1:8443".into()])
            .expect("hosts")
    }

    #[test]
    fn origin_placeholder_takes_only_allowed_https_origins() {
        let t = UrlTemplate::parse("{accounts_server}/oauth/v2/token").expect("template");
        assert!(t.has_origin_placeholder());
        assert_eq!(t.placeholders().collect::<Vec<_>>(), ["accounts_server"]);
        let hosts = zoho_hosts();
        let fill = |v: &str| t.fill(&settings(&[("accounts_server", v)]), &hosts);
        assert_eq!(fill("https://accounts.zoho.eu").as_deref(), Ok("https://accounts.zoho.eu/oauth/v2/token"));
        assert_eq!(fill("https://ACCOUNTS.zoho.eu/").as_deref(), Ok("https://accounts.zoho.eu/oauth/v2/token"));
        assert_eq!(fill("http://127.0.0.1:8443").as_deref(), Ok("http://127.0.0.1:8443/oauth/v2/token"));
        for bad in [
            "https://accounts.evil.example",
            "https://accounts.zoho.eu.evil.example",
            "http://accounts.zoho.eu",
            "https://accounts.zoho.eu:8443",
            "https://accounts.zoho.eu/path",
            "https://accounts.zoho.eu?x=1",
            "https://accounts.zoho.eu#x",
            "https://user:pw@accounts.zoho.eu",
            "https://evil.example\\@accounts.zoho.eu",
            "http://127.0.0.1:9999",
            "http://127.0.0.1",
            "accounts.zoho.eu",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(
                fill(bad),
                Err(FillError::HostNotAllowed { setting: "accounts_server".into() }),
                "{bad:?} must be refused"
            );
        }
        assert_eq!(t.fill(&BTreeMap::new(), &hosts), Err(FillError::Missing { setting: "accounts_server".into() }));
        assert!(
            t.fill(&settings(&[("accounts_server", "https://accounts.zoho.eu")]), &AllowedHosts::default()).is_err()
        );
    }

    #[test]
    fn path_placeholder_takes_only_plain_ids() {
        let t = UrlTemplate::parse("https://live.getsilverfin.com/f/{firm_id}/oauth/token").expect("template");
        assert!(!t.has_origin_placeholder());
        let none = AllowedHosts::default();
        let fill = |v: &str| t.fill(&settings(&[("firm_id", v)]), &none);
        assert_eq!(fill("4321").as_deref(), Ok("https://live.getsilverfin.com/f/4321/oauth/token"));
        assert_eq!(fill("ab12CD").as_deref(), Ok("https://live.getsilverfin.com/f/ab12CD/oauth/token"));
        for bad in ["", "12/../../x", "12?x=1", "12#", "1 2", "12%2F", "٣", &"1".repeat(MAX_ID_LEN + 1)] {
            assert_eq!(fill(bad), Err(FillError::NotPlainId { setting: "firm_id".into() }), "{bad:?}");
        }
    }

    #[test]
    fn templates_are_checked_when_read() {
        assert!(UrlTemplate::parse("https://p.example/token").is_ok_and(|t| t.placeholders().count() == 0));
        for bad in [
            "https://{host}/token",
            "https://p.example.{tld}/token",
            "https://p.example/token?firm={firm_id}",
            "{origin}token",
            "{origin}.example/token",
            "https://p.example/{Firm}/token",
            "https://p.example/{firm/token",
            "https://p.example/firm}/token",
            "not a url {x}",
        ] {
            assert!(UrlTemplate::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn allowed_hosts_are_plain_hosts() {
        assert!(AllowedHosts::parse(&["accounts.zoho.com".into(), "127.0.0.1:4000".into()]).is_ok());
        for bad in ["https://accounts.zoho.com", "accounts.zoho.com/x", "a b", ""] {
            assert!(AllowedHosts::parse(&[bad.to_string()]).is_err(), "{bad:?}");
        }
    }
}
