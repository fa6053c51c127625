//! Events with an index by id (listed newest-modified first), and the items clients create, with
//! indexes by event. Everything in memory; every operation is cheap enough for a benchmark.

use std::collections::{BTreeMap, HashMap};

use super::generate::{self, zoho_id};
use super::model::{Attachment, Counts, DriveFile, Event, Note, Task};

#[derive(Debug, Default)]
pub struct Store {
    /// Sorted by `modified` ascending; lists read it backwards.
    events: Vec<Event>,
    notes: BTreeMap<String, Note>,
    notes_by_event: HashMap<String, Vec<String>>,
    tasks: BTreeMap<String, Task>,
    attachments: BTreeMap<String, Attachment>,
    attachments_by_event: HashMap<String, Vec<String>>,
    drive: BTreeMap<String, DriveFile>,
    next: u64,
    pub counts: Counts,
}

impl Store {
    pub fn generate(seed: u64, events: usize) -> Self {
        Store { events: (1..=events).map(|i| generate::event(seed, i)).collect(), next: 1, ..Default::default() }
    }

    fn new_id(&mut self, kind: u64) -> String {
        self.next += 1;
        zoho_id(kind, self.next)
    }

    fn count(map: &mut BTreeMap<String, u64>, kind: &str) {
        *map.entry(kind.to_string()).or_default() += 1;
    }

    // ---- events ----

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    pub fn has_event(&self, id: &str) -> bool {
        self.event(id).is_some()
    }

    /// Newest-modified first, `matches` applied.
    pub fn events_where(&self, matches: impl Fn(&Event) -> bool) -> Vec<&Event> {
        self.events.iter().rev().filter(|e| matches(e)).collect()
    }

    pub fn events_len(&self) -> usize {
        self.events.len()
    }

    pub fn add_event(&mut self, mut event: Event) {
        event.modified = self.events.last().map_or(1, |e| e.modified + 1);
        self.events.retain(|e| e.id != event.id);
        self.events.push(event);
    }

    pub fn remove_event(&mut self, id: &str) -> bool {
        let before = self.events.len();
        self.events.retain(|e| e.id != id);
        before != self.events.len()
    }

    // ---- notes ----

    pub fn add_note(&mut self, parent_id: &str, parent_module: &str, title: &str, content: &str) -> String {
        let id = self.new_id(500);
        let note = Note {
            id: id.clone(),
            parent_id: parent_id.into(),
            parent_module: parent_module.into(),
            title: title.into(),
            content: content.into(),
            updates: 0,
        };
        self.notes.insert(id.clone(), note);
        self.notes_by_event.entry(parent_id.to_string()).or_default().push(id.clone());
        Self::count(&mut self.counts.created, "notes");
        id
    }

    pub fn update_note(&mut self, id: &str, title: Option<&str>, content: Option<&str>) -> bool {
        let Some(note) = self.notes.get_mut(id) else { return false };
        if let Some(t) = title {
            note.title = t.into();
        }
        if let Some(c) = content {
            note.content = c.into();
        }
        note.updates += 1;
        Self::count(&mut self.counts.updated, "notes");
        true
    }

    pub fn note(&self, id: &str) -> Option<&Note> {
        self.notes.get(id)
    }

    /// In creation order.
    pub fn notes_of(&self, event_id: &str) -> Vec<&Note> {
        self.notes_by_event
            .get(event_id)
            .map(|ids| ids.iter().filter_map(|i| self.notes.get(i)).collect())
            .unwrap_or_default()
    }

    pub fn delete_note(&mut self, id: &str) -> bool {
        let Some(note) = self.notes.remove(id) else { return false };
        if let Some(ids) = self.notes_by_event.get_mut(&note.parent_id) {
            ids.retain(|i| i != id);
        }
        Self::count(&mut self.counts.deleted, "notes");
        true
    }

    // ---- tasks ----

    pub fn add_task(&mut self, mut task: Task) -> String {
        task.id = self.new_id(600);
        let id = task.id.clone();
        self.tasks.insert(id.clone(), task);
        Self::count(&mut self.counts.created, "tasks");
        id
    }

    pub fn update_task(&mut self, id: &str, change: impl FnOnce(&mut Task)) -> bool {
        let Some(task) = self.tasks.get_mut(id) else { return false };
        change(task);
        task.id = id.into();
        task.updates += 1;
        Self::count(&mut self.counts.updated, "tasks");
        true
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.get(id)
    }

    pub fn tasks_where(&self, matches: impl Fn(&Task) -> bool) -> Vec<&Task> {
        self.tasks.values().filter(|t| matches(t)).collect()
    }

    pub fn delete_task(&mut self, id: &str) -> bool {
        let gone = self.tasks.remove(id).is_some();
        if gone {
            Self::count(&mut self.counts.deleted, "tasks");
        }
        gone
    }

    // ---- attachments ----

    pub fn add_attachment(
        &mut self,
        event_id: &str,
        file_name: &str,
        content_type: Option<String>,
        bytes: Vec<u8>,
    ) -> String {
        let id = self.new_id(700);
        let a =
            Attachment { id: id.clone(), event_id: event_id.into(), file_name: file_name.into(), content_type, bytes };
        self.attachments.insert(id.clone(), a);
        self.attachments_by_event.entry(event_id.to_string()).or_default().push(id.clone());
        Self::count(&mut self.counts.created, "attachments");
        id
    }

    pub fn attachments_of(&self, event_id: &str) -> Vec<&Attachment> {
        self.attachments_by_event
            .get(event_id)
            .map(|ids| ids.iter().filter_map(|i| self.attachments.get(i)).collect())
            .unwrap_or_default()
    }

    /// `false` when the event has no such attachment.
    pub fn delete_attachment(&mut self, event_id: &str, id: &str) -> bool {
        if self.attachments.get(id).is_none_or(|a| a.event_id != event_id) {
            return false;
        }
        self.attachments.remove(id);
        if let Some(ids) = self.attachments_by_event.get_mut(event_id) {
            ids.retain(|i| i != id);
        }
        Self::count(&mut self.counts.deleted, "attachments");
        true
    }

    // ---- WorkDrive ----

    /// Uploads into `folder`: with `override_existing` a live file of the same name gets a new
    /// version (same id); otherwise a new file (its name made unique). `link` makes the permalink.
    pub fn upload(
        &mut self,
        folder: &str,
        name: &str,
        bytes: Vec<u8>,
        override_existing: bool,
        link: impl Fn(&str) -> String,
    ) -> DriveFile {
        let existing = self.drive.values_mut().find(|f| f.folder == folder && f.name == name && !f.trashed);
        if let Some(file) = existing
            && override_existing
        {
            file.versions.push(bytes);
            let file = file.clone();
            Self::count(&mut self.counts.updated, "workdrive");
            return file;
        }
        let taken = self.drive.values().any(|f| f.folder == folder && f.name == name && !f.trashed);
        self.next += 1;
        let id = format!("kpl{:022x}", self.next);
        let name = if taken { format!("{name} ({})", self.next) } else { name.to_string() };
        let file = DriveFile {
            id: id.clone(),
            folder: folder.into(),
            name,
            permalink: link(&id),
            trashed: false,
            versions: vec![bytes],
        };
        self.drive.insert(id, file.clone());
        Self::count(&mut self.counts.created, "workdrive");
        file
    }

    pub fn drive_file(&self, id: &str) -> Option<&DriveFile> {
        self.drive.get(id)
    }

    /// Live files of a folder in upload order.
    pub fn folder_files(&self, folder: &str) -> Vec<&DriveFile> {
        let mut files: Vec<&DriveFile> = self.drive.values().filter(|f| f.folder == folder && !f.trashed).collect();
        files.sort_by(|a, b| a.id.cmp(&b.id));
        files
    }

    pub fn trash(&mut self, id: &str) -> bool {
        let Some(file) = self.drive.get_mut(id) else { return false };
        file.trashed = true;
        Self::count(&mut self.counts.deleted, "workdrive");
        true
    }
}
