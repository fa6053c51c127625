//! A `multipart/form-data` body (RFC 7578), built by hand: the workspace's reqwest has no
//! `multipart` feature, and a body that is plain bytes can be sent again as it is. Used by the
//! Fid-Manager and Brokercloud uploads.

/// A form being built; [`Form::finish`] gives the `Content-Type` and the body.
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
    /// A random boundary (128 bits): the chance that a file holds it is nil.
    pub fn new() -> Self {
        Self::with_boundary(format!("koppel-{:032x}", rand::random::<u128>()))
    }

    /// A fixed boundary (tests).
    pub fn with_boundary(boundary: String) -> Self {
        Self { boundary, body: Vec::new() }
    }

    /// A text field.
    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.open(name, None, None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// A file field.
    pub fn file(mut self, name: &str, file_name: &str, mime: &str, bytes: &[u8]) -> Self {
        self.open(name, Some(file_name), Some(mime));
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// `(content type, body)`.
    pub fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }

    fn open(&mut self, name: &str, file_name: Option<&str>, mime: Option<&str>) {
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape(name));
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", escape(file_name)));
        }
        head.push_str("\r\n");
        if let Some(mime) = mime {
            let mime = if mime.trim().is_empty() || mime.contains(['\r', '\n']) {
                "application/octet-stream"
            } else {
                mime.trim()
            };
            head.push_str(&format!("Content-Type: {mime}\r\n"));
        }
        head.push_str("\r\n");
        self.body.extend_from_slice(head.as_bytes());
    }
}

/// Names and file names as browsers send them (HTML's form encoding): `"`, CR and LF
/// percent-encoded, everything else (UTF-8 included) as it is.
fn escape(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_fields_and_files() {
        let (content_type, body) = Form::with_boundary("XyZ".into())
            .text("clientId", "42")
            .file("file", "Verslag \"mei\".pdf", "application/pdf", b"%PDF-1.7")
            .finish();
        assert_eq!(content_type, "multipart/form-data; boundary=XyZ");
        let expected = "--XyZ\r\nContent-Disposition: form-data; name=\"clientId\"\r\n\r\n42\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Verslag %22mei%22.pdf\"\r\n\
            Content-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--XyZ--\r\n";
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn header_injection_is_impossible() {
        let (_, body) = Form::with_boundary("b".into()).file("f", "a\r\nX: y", "text/plain\r\nX: y", b"").finish();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("filename=\"a%0D%0AX: y\""), "{text}");
        assert!(text.contains("Content-Type: application/octet-stream\r\n"), "{text}");
        assert!(!text.contains("\r\nX: y"), "{text}");
    }

    #[test]
    fn boundaries_differ() {
        assert_ne!(Form::new().finish().0, Form::new().finish().0);
    }
}
