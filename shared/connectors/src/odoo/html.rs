//! What Koppel writes into Odoo: HTML bodies (chatter notes, activity notes) built from plain text
//! with everything escaped, the marker line, and base64 for attachment contents.

use chrono::{DateTime, Utc};
use koppel_core::ports::meeting::{ItemLink, PushItem};

use super::assumptions::MARKER_LABEL;

/// `& < > " '` → entities: the text is shown, never interpreted.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text → paragraphs: a blank line starts a new `<p>`, a single line break is a `<br>`.
pub fn paragraphs(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    let mut out = String::new();
    for block in normalised.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<String> = block.lines().map(|l| escape(l.trim_end())).collect();
        out.push_str("<p>");
        out.push_str(&lines.join("<br>"));
        out.push_str("</p>");
    }
    out
}

/// The last line of every body Koppel writes: where `find` recognises the item again.
pub fn marker_line(marker: &str, meeting_title: &str, meeting_at: DateTime<Utc>) -> String {
    format!(
        "<p><small>Sent by Koppel from the meeting {} of {} · {MARKER_LABEL} {}</small></p>",
        escape(&format!("\u{201c}{meeting_title}\u{201d}")),
        meeting_at.format("%Y-%m-%d"),
        escape(marker)
    )
}

/// A chatter note: the title in bold, the text, links to the meeting's reports, the marker line.
pub fn note_body(item: &PushItem) -> String {
    let mut body = format!("<p><strong>{}</strong></p>", escape(&item.title));
    body.push_str(&paragraphs(&item.text));
    body.push_str(&links(&item.links));
    body.push_str(&marker_line(&item.marker, &item.meeting_title, item.meeting_at));
    body
}

/// The chatter message that carries a report's attachment.
pub fn report_body(item: &PushItem, file_name: &str) -> String {
    let mut body = format!("<p>Report <strong>{}</strong> ({})</p>", escape(&item.title), escape(file_name));
    body.push_str(&paragraphs(&item.text));
    body.push_str(&marker_line(&item.marker, &item.meeting_title, item.meeting_at));
    body
}

/// A report attachment's description (plain text).
pub fn report_description(item: &PushItem) -> String {
    let mut text = item.title.trim().to_string();
    if !item.text.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(item.text.trim());
    }
    text.push_str(&format!("\n\n{MARKER_LABEL} {}", item.marker));
    text
}

/// An activity's note: the text and the marker line.
pub fn todo_note(item: &PushItem) -> String {
    let mut body = paragraphs(&item.text);
    body.push_str(&marker_line(&item.marker, &item.meeting_title, item.meeting_at));
    body
}

/// The feedback given when Koppel marks a to-do done (plain text, shown in the "done" message).
pub fn done_feedback(marker: &str) -> String {
    format!("{} ({MARKER_LABEL} {marker})", super::assumptions::DONE_FEEDBACK)
}

fn links(links: &[ItemLink]) -> String {
    let safe: Vec<&ItemLink> =
        links.iter().filter(|l| l.url.starts_with("https://") || l.url.starts_with("http://")).collect();
    if safe.is_empty() {
        return String::new();
    }
    let items: String = safe
        .iter()
        .map(|l| format!("<li><a href=\"{}\" target=\"_blank\">{}</a></li>", escape(&l.url), escape(&l.name)))
        .collect();
    format!("<p>Reports:</p><ul>{items}</ul>")
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4), for `ir.attachment.datas`.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextet = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn item() -> PushItem {
        PushItem {
            meeting_id: "m1".into(),
            item_id: "n1".into(),
            kind: koppel_core::ports::meeting::ItemKind::Note,
            marker: "koppel-0123456789abcdef0123".into(),
            title: "Fiscal <advice>".into(),
            text: "Line one\nline & two\n\nSecond \"para\"".into(),
            file: None,
            due: None,
            done: false,
            meeting_title: "Intake O'Brien".into(),
            meeting_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap_or_default(),
            parent: None,
            links: vec![
                ItemLink { name: "Report <1>".into(), url: "https://firm.odoo.com/web/content/7?download=true".into() },
                ItemLink { name: "evil".into(), url: "javascript:alert(1)".into() },
            ],
        }
    }

    #[test]
    fn text_is_escaped_and_split_in_paragraphs() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(paragraphs("a\r\nb<\n\n\n c \n\n"), "<p>a<br>b&lt;</p><p>c</p>");
        assert_eq!(paragraphs("  "), "");
    }

    #[test]
    fn a_note_carries_title_text_links_and_marker() {
        let body = note_body(&item());
        assert!(
            body.starts_with("<p><strong>Fiscal &lt;advice&gt;</strong></p><p>Line one<br>line &amp; two</p>"),
            "{body}"
        );
        assert!(body.contains("<p>Second &quot;para&quot;</p>"), "{body}");
        assert!(
            body.contains(
                r#"<a href="https://firm.odoo.com/web/content/7?download=true" target="_blank">Report &lt;1&gt;</a>"#
            ),
            "{body}"
        );
        assert!(!body.contains("javascript"), "only web links: {body}");
        assert!(body.ends_with("of 2026-03-02 · Koppel ref koppel-0123456789abcdef0123</small></p>"), "{body}");
        assert!(body.contains("O&#39;Brien"), "{body}");
    }

    #[test]
    fn report_texts_hold_the_marker() {
        let d = report_description(&item());
        assert!(
            d.starts_with("Fiscal <advice>\n\nLine one") && d.ends_with("Koppel ref koppel-0123456789abcdef0123"),
            "{d}"
        );
        let b = report_body(&item(), "v<1>.pdf");
        assert!(b.starts_with("<p>Report <strong>Fiscal &lt;advice&gt;</strong> (v&lt;1&gt;.pdf)</p>"), "{b}");
        assert!(todo_note(&item()).contains("koppel-0123456789abcdef0123"));
        assert_eq!(done_feedback("koppel-x"), "Done in Koppel (Koppel ref koppel-x)");
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
