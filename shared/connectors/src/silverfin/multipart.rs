//! A `multipart/form-data` body (RFC 7578) for the permanent-document upload, built by hand: the
//! workspace's reqwest has no `multipart` feature, and one text-fields-plus-one-file form is
//! little code. The body is kept as bytes so every attempt (429 retries) sends the same form.

/// The body and its `Content-Type` header value.
#[derive(Clone)]
pub struct Form {
    pub content_type: String,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form").field("content_type", &self.content_type).field("len", &self.body.len()).finish()
    }
}

/// One file part.
pub struct FilePart<'a> {
    pub field: &'a str,
    pub file_name: &'a str,
    pub mime: &'a str,
    pub bytes: &'a [u8],
}

/// `fields` as text parts, then `file`. The boundary is random and checked not to occur in the
/// content.
pub fn form(fields: &[(&str, &str)], file: &FilePart<'_>) -> Form {
    let mut boundary = new_boundary();
    while contains(file.bytes, boundary.as_bytes()) || fields.iter().any(|(_, v)| v.contains(&boundary)) {
        boundary = new_boundary();
    }
    let mut body = Vec::with_capacity(file.bytes.len() + 512);
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", quoted(name)).as_bytes());
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            quoted(file.field),
            quoted(file.file_name),
            header_safe(file.mime),
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Form { content_type: format!("multipart/form-data; boundary={boundary}"), body }
}

fn new_boundary() -> String {
    format!("koppel-{:032x}", rand::random::<u128>())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A name inside `"…"`: quotes and line breaks percent-encoded (as browsers do, RFC 7578 §2).
fn quoted(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A header value without line breaks; an empty or broken one becomes `application/octet-stream`.
fn header_safe(mime: &str) -> &str {
    let mime = mime.trim();
    if mime.is_empty() || mime.contains(['\r', '\n']) || !mime.is_ascii() { "application/octet-stream" } else { mime }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_holds_the_fields_then_the_file() {
        let file =
            FilePart { field: "content", file_name: "Verslag \"Q4\".pdf", mime: "application/pdf", bytes: b"%PDF-1" };
        let f = form(&[("parent_id", "0"), ("name", "Verslag")], &file);
        let boundary = f.content_type.strip_prefix("multipart/form-data; boundary=").unwrap_or_default().to_string();
        assert!(boundary.starts_with("koppel-"));
        let text = String::from_utf8_lossy(&f.body).to_string();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"parent_id\"\r\n\r\n0\r\n--{b}\r\nContent-Disposition: \
             form-data; name=\"name\"\r\n\r\nVerslag\r\n--{b}\r\nContent-Disposition: form-data; name=\"content\"; \
             filename=\"Verslag %22Q4%22.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1\r\n--{b}--\r\n",
            b = boundary
        );
        assert_eq!(text, expected);
        assert_eq!(header_safe("text/plain\r\nX: y"), "application/octet-stream");
        assert_eq!(header_safe(" "), "application/octet-stream");
    }
}
