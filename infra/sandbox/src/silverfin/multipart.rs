//! A small `multipart/form-data` reader (RFC 7578) for the permanent-document upload: the parts'
//! names, file names, content types and bytes. The workspace's axum has no `multipart` feature.

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

impl Part {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).to_string()
    }
}

/// The parts of `body`, given the request's `Content-Type` value.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let (kind, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!("expected multipart/form-data, got '{}'", kind.trim()));
    }
    let boundary = params
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
        .ok_or("the multipart Content-Type has no boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = match find(body, &delimiter) {
        Some(at) => &body[at + delimiter.len()..],
        None => return Err("the body holds no multipart boundary".into()),
    };
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("a multipart boundary is not followed by a line break")?;
        let next = find(rest, &[b"\r\n".as_slice(), &delimiter].concat()).ok_or("a multipart part is not closed")?;
        parts.push(part(&rest[..next])?);
        rest = &rest[next + 2 + delimiter.len()..];
    }
}

fn part(raw: &[u8]) -> Result<Part, String> {
    let split = find(raw, b"\r\n\r\n").ok_or("a multipart part has no header end")?;
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let data = raw[split + 4..].to_vec();
    let (mut name, mut file_name, mut content_type) = (None, None, None);
    for line in headers.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else { continue };
        if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        } else if key.trim().eq_ignore_ascii_case("content-disposition") {
            for param in value.split(';').skip(1) {
                let Some((k, v)) = param.trim().split_once('=') else { continue };
                let v = decode(v.trim().trim_matches('"'));
                match k.trim().to_ascii_lowercase().as_str() {
                    "name" => name = Some(v),
                    "filename" => file_name = Some(v),
                    _ => {}
                }
            }
        }
    }
    let name = name.ok_or("a multipart part has no name")?;
    Ok(Part { name, file_name, content_type, data })
}

/// `%22`, `%0D`, `%0A` back to `"`, CR, LF (how browsers and Koppel escape names).
fn decode(value: &str) -> String {
    value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_file_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"parent_id\"\r\n\r\n0\r\n--XyZ\r\nContent-Disposition: \
form-data; name=\"content\"; filename=\"a %22b%22.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--x\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", body).unwrap_or_default();
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].text()), ("parent_id", "0".to_string()));
        assert_eq!(parts[1].file_name.as_deref(), Some("a \"b\".pdf"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(parts[1].data, b"%PDF\r\n--x".to_vec());
    }

    #[test]
    fn broken_forms_are_explained() {
        assert!(parse("application/json", b"{}").is_err());
        assert!(parse("multipart/form-data", b"").is_err());
        assert!(parse("multipart/form-data; boundary=B", b"nothing").is_err());
        assert!(
            parse("multipart/form-data; boundary=B", b"--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--")
                .is_err()
        );
        assert_eq!(parse("multipart/form-data; boundary=\"B\"", b"--B--\r\n"), Ok(vec![]));
    }
}
