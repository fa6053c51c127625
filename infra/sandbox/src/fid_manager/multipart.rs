//! Reads a `multipart/form-data` body (RFC 7578) into its parts — enough for the uploads the
//! Fid-Manager and Brokercloud stand-ins take (the workspace's axum has no `multipart` feature).

/// One part: its field name, file name (for files), content type, and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// The parts of a form, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pub parts: Vec<Part>,
}

impl Form {
    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }
    /// The text of the first part named `name`, trimmed; `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.part(name).map(Part::text).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
    }
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut pieces = content_type.split(';');
    if !pieces.next()?.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    pieces.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Parses `body` with `boundary`; a message saying what is wrong otherwise.
pub fn parse(body: &[u8], boundary: &str) -> Result<Form, String> {
    if boundary.is_empty() {
        return Err("the multipart boundary is empty".into());
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0).ok_or("the body does not start with the multipart boundary")?;
    let mut form = Form::default();
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(form);
        }
        at = skip_line_end(body, at).ok_or("a multipart boundary is not followed by a line end")?;
        let head_end = find(body, b"\r\n\r\n", at).ok_or("a multipart part has no end of headers")?;
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let content = head_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let end = find(body, &closing, content).ok_or("a multipart part is not closed by the boundary")?;
        form.parts.push(part(&head, body[content..end].to_vec())?);
        at = end + 2;
    }
}

fn part(head: &str, bytes: Vec<u8>) -> Result<Part, String> {
    let mut name = None;
    let mut file_name = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else { continue };
        if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        } else if key.trim().eq_ignore_ascii_case("content-disposition") {
            for param in value.split(';').skip(1) {
                let Some((k, v)) = param.split_once('=') else { continue };
                let v = unescape(v.trim().trim_matches('"'));
                match k.trim().to_ascii_lowercase().as_str() {
                    "name" => name = Some(v),
                    "filename" => file_name = Some(v),
                    _ => {}
                }
            }
        }
    }
    let name = name.ok_or("a multipart part has no name")?;
    Ok(Part { name, file_name, content_type, bytes })
}

/// HTML's form encoding of names: `%22`, `%0D`, `%0A` back to `"`, CR, LF.
fn unescape(value: &str) -> String {
    value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n")
}

fn skip_line_end(body: &[u8], at: usize) -> Option<usize> {
    body[at..].starts_with(b"\r\n").then_some(at + 2)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"clientId\"\r\n\r\n42\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Verslag %22mei%22.pdf\"\r\n\
        Content-Type: application/pdf\r\n\r\n%PDF\r\n-XyZ\r\n--XyZ--\r\n";

    #[test]
    fn reads_fields_and_files() {
        assert_eq!(boundary("multipart/form-data; boundary=XyZ").as_deref(), Some("XyZ"));
        assert_eq!(boundary("Multipart/Form-Data;boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("application/json"), None);
        let Ok(form) = parse(BODY, "XyZ") else { panic!("parses") };
        assert_eq!(form.text("clientId").as_deref(), Some("42"));
        let file = form.part("file");
        assert_eq!(file.and_then(|f| f.file_name.as_deref()), Some("Verslag \"mei\".pdf"));
        assert_eq!(file.and_then(|f| f.content_type.as_deref()), Some("application/pdf"));
        assert_eq!(file.map(|f| f.bytes.as_slice()), Some(&b"%PDF\r\n-XyZ"[..]), "a near-boundary stays data");
        assert_eq!(form.text("missing"), None);
    }

    #[test]
    fn broken_bodies_are_explained() {
        for (body, b) in [
            (&b"nothing"[..], "XyZ"),
            (b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "XyZ"),
            (b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", "XyZ"),
            (b"--XyZ\r\nno headers end", "XyZ"),
            (b"--\r\n", ""),
        ] {
            assert!(parse(body, b).is_err(), "{}", String::from_utf8_lossy(body));
        }
        assert_eq!(parse(b"--XyZ--\r\n", "XyZ").map(|f| f.parts.len()), Ok(0));
    }
}
