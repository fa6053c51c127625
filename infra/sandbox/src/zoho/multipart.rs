//! A small `multipart/form-data` reader (RFC 7578) for the upload endpoints: the parts' names,
//! file names, content types and bytes. Refuses what it cannot read (no boundary, no closing
//! delimiter, a part without headers).

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
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// The boundary of a `Content-Type: multipart/form-data; boundary=…` value.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// The parts of `body`.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let mut at = find(body, delimiter.as_bytes(), 0).ok_or("the body has no boundary")? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        at += if body[at..].starts_with(b"\r\n") { 2 } else { return Err("a boundary line is malformed".into()) };
        let head_end = find(body, b"\r\n\r\n", at).ok_or("a part has no end of headers")?;
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), head_end + 4).ok_or("the form is not closed")?;
        parts.push(part(&head, body[head_end + 4..next].to_vec())?);
        at = next + 2 + delimiter.len();
    }
}

fn part(head: &str, data: Vec<u8>) -> Result<Part, String> {
    let mut name = None;
    let mut file_name = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else { continue };
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for param in value.split(';').skip(1) {
                    let Some((k, v)) = param.split_once('=') else { continue };
                    let v = v.trim().trim_matches('"').to_string();
                    match k.trim().to_ascii_lowercase().as_str() {
                        "name" => name = Some(v),
                        "filename" => file_name = Some(v),
                        _ => {}
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_string()),
            _ => {}
        }
    }
    Ok(Part { name: name.ok_or("a part has no name")?, file_name, content_type, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_read() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"parent_id\"\r\n\r\nf1\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"content\"; filename=\"V \xc3\xa9.pdf\"\r\n\
            Content-Type: application/pdf\r\n\r\n%PDF\r\n--X\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ");
        let Ok(parts) = parts else { panic!("{parts:?}") };
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].text().as_str()), ("parent_id", "f1"));
        assert_eq!(parts[1].file_name.as_deref(), Some("V é.pdf"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(parts[1].data, b"%PDF\r\n--X");
        assert_eq!(boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(), Some("XyZ"));
        assert_eq!(boundary("application/json"), None);
        assert!(parse(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", "XyZ").is_err());
        assert!(parse(b"nothing", "XyZ").is_err());
    }
}
