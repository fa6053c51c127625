//! A meeting as the platform sends it (`PUT /meetings/{id}`), checked before anything is stored.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::valid_id;
use crate::domain::meeting::{MeetingNote, MeetingTodo};
use crate::domain::settings_input::FieldProblem;
use crate::ports::meeting::TargetRef;

/// A report's content is kept in one store item: at most this many bytes (larger documents need
/// an upload route, see docs/pushes.md).
pub const MAX_REPORT_BYTES: usize = 256 * 1024;
pub const MAX_ITEMS: usize = 50;
const MAX_TEXT: usize = 32 * 1024;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    pub id: String,
    pub title: String,
    pub file_name: String,
    #[serde(default = "pdf")]
    pub mime: String,
    /// The document, base64.
    pub content_base64: String,
}

fn pdf() -> String {
    "application/pdf".into()
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TodoInput {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MeetingInput {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub reports: Vec<ReportInput>,
    #[serde(default)]
    pub notes: Vec<MeetingNote>,
    #[serde(default)]
    pub todos: Vec<TodoInput>,
    /// The target picked per connection id (checked against the connection's provider).
    #[serde(default)]
    pub targets: BTreeMap<String, TargetRef>,
}

/// A checked report with its decoded bytes.
pub struct CheckedReport {
    pub id: String,
    pub title: String,
    pub file_name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

pub struct Checked {
    pub reports: Vec<CheckedReport>,
    pub notes: Vec<MeetingNote>,
    pub todos: Vec<MeetingTodo>,
}

/// Everything wrong with the input, field by field; nothing is stored when there is anything.
pub fn check(input: MeetingInput, problems: &mut Vec<FieldProblem>) -> Checked {
    if input.title.trim().is_empty() {
        problems.push(FieldProblem::new("title", "the meeting needs a title"));
    }
    text("summary", &input.summary, problems);
    let count = input.reports.len() + input.notes.len() + input.todos.len();
    if count > MAX_ITEMS {
        problems
            .push(FieldProblem::new("reports", format!("a meeting holds at most {MAX_ITEMS} items; it has {count}")));
    }
    let mut seen = BTreeSet::new();
    let mut id = |field: String, value: &str, problems: &mut Vec<FieldProblem>| {
        if !valid_id(value) {
            problems.push(FieldProblem::new(
                &field,
                format!("{value:?} is not a usable id: 1 to 64 letters, digits, '-', '_' or '.'"),
            ));
        } else if value == "meeting" || !seen.insert(value.to_string()) {
            problems.push(FieldProblem::new(&field, format!("id {value:?} is used twice (or is the reserved 'meeting'); item ids must be unique within a meeting")));
        }
    };
    let mut reports = Vec::new();
    for (i, r) in input.reports.into_iter().enumerate() {
        let field = |f: &str| format!("reports[{i}].{f}");
        id(field("id"), &r.id, problems);
        if r.title.trim().is_empty() || r.file_name.trim().is_empty() {
            problems.push(FieldProblem::new(&field("file_name"), "a report needs a title and a file name"));
        }
        if !r.mime.contains('/') {
            problems.push(FieldProblem::new(
                &field("mime"),
                format!("{:?} is not a MIME type like application/pdf", r.mime),
            ));
        }
        match base64::engine::general_purpose::STANDARD.decode(r.content_base64.trim()) {
            Ok(bytes) if bytes.is_empty() => {
                problems.push(FieldProblem::new(&field("content_base64"), "the report is empty"))
            }
            Ok(bytes) if bytes.len() > MAX_REPORT_BYTES => problems.push(FieldProblem::new(
                &field("content_base64"),
                format!(
                    "the report is {} KiB; at most {} KiB can be sent",
                    bytes.len() / 1024,
                    MAX_REPORT_BYTES / 1024
                ),
            )),
            Ok(bytes) => reports.push(CheckedReport {
                id: r.id,
                title: r.title.trim().into(),
                file_name: r.file_name.trim().into(),
                mime: r.mime,
                bytes,
            }),
            Err(e) => problems.push(FieldProblem::new(&field("content_base64"), format!("not base64 ({e})"))),
        }
    }
    for (i, n) in input.notes.iter().enumerate() {
        id(format!("notes[{i}].id"), &n.id, problems);
        text(&format!("notes[{i}].text"), &n.text, problems);
        if n.text.trim().is_empty() && n.title.trim().is_empty() {
            problems.push(FieldProblem::new(&format!("notes[{i}].text"), "the note is empty"));
        }
    }
    let mut todos = Vec::new();
    for (i, t) in input.todos.into_iter().enumerate() {
        id(format!("todos[{i}].id"), &t.id, problems);
        text(&format!("todos[{i}].text"), &t.text, problems);
        if t.title.trim().is_empty() {
            problems.push(FieldProblem::new(&format!("todos[{i}].title"), "a to-do needs a title"));
        }
        todos.push(MeetingTodo { id: t.id, title: t.title.trim().into(), text: t.text, due: t.due, done: t.done });
    }
    Checked { reports, notes: input.notes, todos }
}

fn text(field: &str, value: &str, problems: &mut Vec<FieldProblem>) {
    if value.len() > MAX_TEXT {
        problems.push(FieldProblem::new(
            field,
            format!("the text is {} KiB; at most {} KiB", value.len() / 1024, MAX_TEXT / 1024),
        ));
    }
}
