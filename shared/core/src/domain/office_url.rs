//! An Admin IS / Consult office's API address, as the user pastes it from Syneton's
//! Marketplace Manager: checked before anything is stored, and warned about when it is not HTTPS.

use super::catalog::OFFICE_URL;
use super::settings_input::FieldProblem;

/// The checked address (no trailing `/`, no `/api/v1`), and a warning when it is plain HTTP.
pub fn check(raw: &str) -> Result<(String, Option<String>), FieldProblem> {
    let s = raw.trim();
    let bad = |m: String| FieldProblem::new(OFFICE_URL, m);
    if s.is_empty() {
        return Err(bad(
            "the office API address is missing; copy it from Syneton's Marketplace Manager (Connectiegegevens)".into(),
        ));
    }
    let with_scheme = if s.contains("://") { s.to_string() } else { format!("https://{s}") };
    let url = url::Url::parse(&with_scheme).map_err(|e| {
        bad(format!("{s:?} is not a web address ({e}); write it like https://consultapi.example.be:2100"))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!("{s:?} must start with https:// (or http://)")));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(bad(format!("{s:?} has no host name; write it like https://consultapi.example.be:2100")));
    };
    if url.username() != "" || url.password().is_some() {
        return Err(bad(
            "the address may not contain a user name or password; the API key goes in its own field".into()
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad(format!("{s:?} has a '?' or '#' part; give only the address, e.g. https://{host}:2100")));
    }
    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix("/api/v1").unwrap_or(path);
    let mut out = format!("{}://{}", url.scheme(), host);
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(path);
    let warning = (url.scheme() == "http").then(|| {
        format!(
            "The office address {out} uses http://: the API key and customer data travel unencrypted. \
             Ask the office's IT to make the Syneton API reachable over https:// and change the address."
        )
    });
    Ok((out, warning))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_what_users_paste_and_normalises_it() {
        assert_eq!(check(" https://api.kantoor.be:2100/ ").unwrap(), ("https://api.kantoor.be:2100".into(), None));
        assert_eq!(check("https://api.kantoor.be:2100/api/v1").unwrap().0, "https://api.kantoor.be:2100");
        assert_eq!(check("api.kantoor.be:2100").unwrap().0, "https://api.kantoor.be:2100");
    }

    #[test]
    fn warns_on_plain_http() {
        let (url, warning) = check("http://consultapi.syneton.be:2100").unwrap();
        assert_eq!(url, "http://consultapi.syneton.be:2100");
        assert!(warning.unwrap().contains("unencrypted"));
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in
            ["", "   ", "ftp://x.be", "https://", "https://user:pw@x.be", "https://x.be/?key=1", "http://exa mple.be"]
        {
            let p = check(bad).expect_err(bad);
            assert_eq!(p.field, "office_url");
            assert!(!p.message.is_empty());
        }
    }
}
