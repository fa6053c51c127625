//! What Koppel writes into Silverfin: the text of a note or to-do remark and the name of a report
//! document, each carrying the item's marker where `find` reads it back (K, see the assumptions).

use koppel_core::ports::meeting::{ItemKind, PushItem};

use super::assumptions::{DOCUMENT_MARKER_CLOSE, DOCUMENT_MARKER_OPEN, DUE_LINE_PREFIX, REMARK_MARKER_PREFIX};

/// The remark text of a note or to-do: title, text, due date (to-dos), links to the meeting's
/// reports (notes), the meeting it came from, and the marker on the last line. Plain text.
pub fn remark_text(item: &PushItem) -> String {
    let mut blocks: Vec<String> = Vec::new();
    if !item.title.trim().is_empty() {
        blocks.push(item.title.trim().to_string());
    }
    let mut body = item.text.trim().to_string();
    if item.kind == ItemKind::Todo
        && let Some(due) = item.due
    {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&format!("{DUE_LINE_PREFIX}{}", due.format("%Y-%m-%d")));
    }
    if !body.is_empty() {
        blocks.push(body);
    }
    if !item.links.is_empty() {
        let lines: Vec<String> = item.links.iter().map(|l| format!("- {}: {}", l.name.trim(), l.url.trim())).collect();
        blocks.push(format!("Reports:\n{}", lines.join("\n")));
    }
    let from = format!("From the meeting \"{}\" on {}.", item.meeting_title.trim(), item.meeting_at.format("%Y-%m-%d"));
    blocks.push(format!("{from}\n{REMARK_MARKER_PREFIX}{}", item.marker));
    blocks.join("\n\n")
}

/// The same text as Silverfin may hand it back: line breaks as `\n`, no trailing spaces per line,
/// no blank lines at either end. Two texts that normalise alike are the same remark text.
pub fn normalised(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The permanent document's name: `{file stem} [{marker}].{ext}` (path separators and line breaks
/// replaced). Without a file name the title is the stem.
pub fn document_name(item: &PushItem, file_name: &str) -> String {
    let file_name = clean(file_name);
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.trim().is_empty() && !ext.is_empty() && !ext.contains(' ') => {
            (stem.trim().to_string(), Some(ext.to_string()))
        }
        _ => (file_name.trim().to_string(), None),
    };
    let stem = if stem.is_empty() { clean(item.title.trim()) } else { stem };
    let stem = if stem.trim().is_empty() { "Report".to_string() } else { stem };
    let marked = format!("{stem}{DOCUMENT_MARKER_OPEN}{}{DOCUMENT_MARKER_CLOSE}", item.marker);
    match ext {
        Some(ext) => format!("{marked}.{ext}"),
        None => marked,
    }
}

fn clean(text: &str) -> String {
    text.chars().map(|c| if matches!(c, '/' | '\\' | '\r' | '\n') { '-' } else { c }).collect()
}

/// Whether `text` (a remark text or a document name) carries `marker`. Markers have a fixed
/// length, so one marker never contains another.
pub fn carries(text: &str, marker: &str) -> bool {
    !marker.is_empty() && text.contains(marker)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use koppel_core::ports::meeting::ItemLink;

    fn item(kind: ItemKind) -> PushItem {
        PushItem {
            meeting_id: "m1".into(),
            item_id: "i1".into(),
            kind,
            marker: "koppel-0123456789abcdef0123".into(),
            title: "Jaarafsluiting".into(),
            text: "Balans nakijken.\n".into(),
            file: None,
            due: NaiveDate::from_ymd_opt(2026, 12, 1),
            done: false,
            meeting_title: "Overleg Q4".into(),
            meeting_at: Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).single().unwrap_or_default(),
            parent: None,
            links: vec![],
        }
    }

    #[test]
    fn a_todo_text_has_its_due_date_and_the_marker_last() {
        let text = remark_text(&item(ItemKind::Todo));
        assert_eq!(
            text,
            "Jaarafsluiting\n\nBalans nakijken.\nDue: 2026-12-01\n\nFrom the meeting \"Overleg Q4\" on 2026-11-21.\n\
             Koppel ref: koppel-0123456789abcdef0123"
        );
        assert!(carries(&text, "koppel-0123456789abcdef0123"));
        assert!(!carries(&text, ""));
    }

    #[test]
    fn a_note_lists_its_report_links_and_has_no_due_date() {
        let mut note = item(ItemKind::Note);
        note.links = vec![ItemLink { name: "Verslag".into(), url: "https://x/1".into() }];
        note.title = " ".into();
        let text = remark_text(&note);
        assert!(text.starts_with("Balans nakijken.\n\nReports:\n- Verslag: https://x/1\n\nFrom the meeting"), "{text}");
        assert!(!text.contains("Due:"));
        assert_eq!(normalised(&text.replace('\n', "  \r\n")), text);
    }

    #[test]
    fn document_names_carry_the_marker_before_the_extension() {
        let report = item(ItemKind::Report);
        assert_eq!(
            document_name(&report, "Verslag 2026-11-21.pdf"),
            "Verslag 2026-11-21 [koppel-0123456789abcdef0123].pdf"
        );
        assert_eq!(document_name(&report, "a/b.txt"), "a-b [koppel-0123456789abcdef0123].txt");
        assert_eq!(document_name(&report, ".pdf"), ".pdf [koppel-0123456789abcdef0123]");
        assert_eq!(document_name(&report, ""), "Jaarafsluiting [koppel-0123456789abcdef0123]");
    }
}
