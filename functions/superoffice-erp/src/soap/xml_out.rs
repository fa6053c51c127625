//! Writing XML text: escaping and a minimal element writer.

/// Escapes text for element content and attribute values: `& < > " '`, `\r` kept as `&#xD;`,
/// and every character XML 1.0 cannot carry (C0 controls other than tab and newline, U+FFFE,
/// U+FFFF, lone surrogates cannot occur in `str`) replaced by U+FFFD.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends elements to a string. Names are Koppel's constants (never input); text and
/// attribute values are escaped.
pub struct Xml {
    pub out: String,
}

impl Xml {
    pub fn new() -> Self {
        Self { out: String::with_capacity(1024) }
    }

    /// `<name a="v" …>`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        self
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: &str) -> &mut Self {
        self.open(name, &[]);
        escape_into(&mut self.out, text);
        self.close(name)
    }

    /// `<name i:nil="true"/>` (the `i` prefix must be declared by an ancestor).
    pub fn nil(&mut self, name: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" i:nil=\"true\"/>");
        self
    }

    pub fn raw(&mut self, text: &str) -> &mut Self {
        self.out.push_str(text);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_replaces_what_xml_cannot_carry() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(escape("line\r\nnext\ttab"), "line&#xD;\nnext\ttab");
        assert_eq!(escape("nul\u{0}bell\u{7}\u{FFFF}"), "nul\u{FFFD}bell\u{FFFD}\u{FFFD}");
        assert_eq!(escape("Zoë ✓ 😀"), "Zoë ✓ 😀");
    }

    #[test]
    fn writes_elements() {
        let mut x = Xml::new();
        x.open("a:R", &[("xmlns:a", "urn:x&y")]).leaf("a:K", "1 < 2").nil("a:N").close("a:R");
        assert_eq!(x.out, r#"<a:R xmlns:a="urn:x&amp;y"><a:K>1 &lt; 2</a:K><a:N i:nil="true"/></a:R>"#);
    }
}
