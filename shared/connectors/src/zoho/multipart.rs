//! A `multipart/form-data` body (RFC 7578), built in memory: Zoho's attachment and WorkDrive
//! uploads are multipart, and the workspace's `reqwest` is built without its `multipart` feature.
//! The bytes are kept so a retried attempt (429) sends the same body again.

/// A form being built. `finish` gives the `Content-Type` value and the body.
#[derive(Debug)]
pub struct Form {
    boundary: String,
    body: Vec<u8>,
}

impl Default for Form {
    fn default() -> Self {
        Self::new()
    }
}

impl Form {
    /// A random boundary (128 bits: it cannot occur in the parts by chance).
    pub fn new() -> Self {
        Self::with_boundary(&format!("koppel-{:032x}", rand::random::<u128>()))
    }

    pub fn with_boundary(boundary: &str) -> Self {
        Self { boundary: boundary.to_string(), body: Vec::new() }
    }

    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.head(name, None, None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub fn file(mut self, name: &str, file_name: &str, mime: &str, bytes: &[u8]) -> Self {
        self.head(name, Some(file_name), Some(mime));
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// `(content type, body)`.
    pub fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }

    fn head(&mut self, name: &str, file_name: Option<&str>, mime: Option<&str>) {
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape(name));
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", escape(file_name)));
        }
        head.push_str("\r\n");
        if let Some(mime) = mime {
            let mime =
                if mime.trim().is_empty() || mime.contains(['\r', '\n']) { "application/octet-stream" } else { mime };
            head.push_str(&format!("Content-Type: {}\r\n", mime.trim()));
        }
        head.push_str("\r\n");
        self.body.extend_from_slice(head.as_bytes());
    }
}

/// Quoted-string escaping as browsers do it (WHATWG): `"` → `%22`, CR → `%0D`, LF → `%0A`;
/// other characters (UTF-8 included) stay as they are.
fn escape(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_the_boundary() {
        let (content_type, body) = Form::with_boundary("XyZ")
            .text("parent_id", "f1")
            .file("content", "Verslag \"Q1\"\r\n é.pdf", "application/pdf", b"%PDF-1")
            .finish();
        assert_eq!(content_type, "multipart/form-data; boundary=XyZ");
        let expected = "--XyZ\r\nContent-Disposition: form-data; name=\"parent_id\"\r\n\r\nf1\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"content\"; filename=\"Verslag %22Q1%22%0D%0A é.pdf\"\r\n\
            Content-Type: application/pdf\r\n\r\n%PDF-1\r\n--XyZ--\r\n";
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn boundaries_are_random_and_mime_types_safe() {
        assert_ne!(Form::new().finish().0, Form::new().finish().0);
        let (_, body) = Form::with_boundary("b").file("file", "x", "bad\r\ntype", b"").finish();
        assert!(String::from_utf8_lossy(&body).contains("Content-Type: application/octet-stream\r\n"));
    }
}
