//! A small `multipart/form-data` reader for `documents/add` (the workspace's axum has no
//! multipart feature). Reads every part's name, file name, content type and bytes; anything it
//! cannot read is an error message for a 400.

/// One part of a form.
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

/// The boundary of a `multipart/form-data; boundary=…` content type.
pub fn boundary(content_type: &str) -> Result<String, String> {
    let (mime, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!("documents/add takes multipart/form-data, not '{}'", mime.trim()));
    }
    params
        .split(';')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| "the multipart content type has no boundary".to_string())
}

/// The parts of `body`, separated by `--{boundary}`.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0).ok_or("the body has no multipart boundary")? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        at += skip_line_break(&body[at..]);
        let head_end = find(body, b"\r\n\r\n", at).ok_or("a multipart part has no header end")?;
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let content_start = head_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let content_end = find(body, &closing, content_start).ok_or("a multipart part is not closed")?;
        parts.push(part(&head, body[content_start..content_end].to_vec())?);
        at = content_end + closing.len();
    }
}

fn part(head: &str, bytes: Vec<u8>) -> Result<Part, String> {
    let (mut name, mut file_name, mut content_type) = (None, None, None);
    for line in head.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else { continue };
        if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        } else if key.trim().eq_ignore_ascii_case("content-disposition") {
            for param in value.split(';').skip(1) {
                let Some((k, v)) = param.split_once('=') else { continue };
                let v = v.trim().trim_matches('"').to_string();
                match k.trim() {
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

fn skip_line_break(rest: &[u8]) -> usize {
    if rest.starts_with(b"\r\n") { 2 } else { 0 }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_with_text_and_a_file() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"relationId\"\r\n\r\nr-1\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\
%PDF\r\n--X binary\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ");
        let Ok(parts) = parts else { panic!("parses: {parts:?}") };
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].text()), ("relationId", "r-1".to_string()));
        assert_eq!(parts[1].file_name.as_deref(), Some("a b.pdf"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(parts[1].bytes, b"%PDF\r\n--X binary".to_vec(), "a near-boundary inside the file is content");
    }

    #[test]
    fn bad_forms_are_messages() {
        assert_eq!(boundary("multipart/form-data; boundary=\"abc\""), Ok("abc".into()));
        assert!(boundary("application/json").is_err());
        assert!(boundary("multipart/form-data").is_err());
        for body in [
            &b""[..],
            b"--b\r\nno header end",
            b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
            b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnot closed",
        ] {
            assert!(parse(body, "b").is_err(), "{:?}", String::from_utf8_lossy(body));
        }
        assert_eq!(parse(b"--b--\r\n", "b"), Ok(vec![]));
    }
}
