//! The office's data: clients (generated from the seed), their folders, and the documents
//! uploaded to "documents to approve" with their bytes.

use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

use crate::rng::Stream;

const TAG_CLIENT: u64 = 501;
const KINDS: [&str; 8] =
    ["Bakkerij", "Garage", "Bouwbedrijf", "Architectenbureau", "Apotheek", "Schrijnwerkerij", "Frituur", "Kapsalon"];
const NAMES: [&str; 12] = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois",
    "Lambert",
];
const FORMS: [&str; 4] = ["BV", "NV", "VOF", "CommV"];
const FOLDERS: [&str; 6] = ["Permanent dossier", "Boekhouding 2026", "BTW", "Lonen", "Jaarrekening", "Correspondentie"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Client {
    pub id: u64,
    pub name: String,
    #[serde(rename = "clientNumber")]
    pub client_number: String,
    #[serde(rename = "vatNumber", skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub id: u64,
    #[serde(rename = "clientId")]
    pub client_id: u64,
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    ToApprove,
    Approved,
}

/// A document as stored: what Koppel sent, readable by tests.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub id: u64,
    pub client_id: u64,
    pub folder_id: Option<u64>,
    pub file_name: String,
    pub content_type: String,
    pub description: String,
    /// The file's bytes (empty when the stand-in keeps no contents; `size` tells the length).
    pub bytes: Vec<u8>,
    pub size: usize,
    pub status: DocumentStatus,
}

impl std::fmt::Debug for StoredDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredDocument")
            .field("id", &self.id)
            .field("client_id", &self.client_id)
            .field("folder_id", &self.folder_id)
            .field("file_name", &self.file_name)
            .field("size", &self.size)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl StoredDocument {
    /// The API's view (no bytes).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "clientId": self.client_id,
            "folderId": self.folder_id,
            "fileName": self.file_name,
            "contentType": self.content_type,
            "description": self.description,
            "size": self.size,
            "status": self.status,
        })
    }
}

#[derive(Debug, Default)]
pub struct Store {
    clients: Vec<Client>,
    index: HashMap<u64, usize>,
    folders: HashMap<u64, Vec<Folder>>,
    documents: BTreeMap<u64, StoredDocument>,
    next_client: u64,
    next_document: u64,
}

/// The id of generated client `i` (1-based).
pub fn client_id(i: usize) -> u64 {
    10_000 + i as u64
}

impl Store {
    pub fn generate(seed: u64, clients: usize) -> Self {
        let mut store = Store { next_client: client_id(clients) + 1, next_document: 1, ..Store::default() };
        for i in 1..=clients {
            let mut rng = Stream::new(seed, TAG_CLIENT, i as u64);
            let name = format!("{} {} {}", rng.pick(&KINDS), rng.pick(&NAMES), rng.pick(&FORMS));
            let vat = rng.chance(80).then(|| format!("BE0{}", 200_000_000 + i % 700_000_000));
            let folders = 3 + rng.below(4) as usize;
            store.insert(client_id(i), name, vat, folders);
        }
        store
    }

    fn insert(&mut self, id: u64, name: String, vat_number: Option<String>, folders: usize) {
        let client_number = format!("K{:05}", id % 100_000);
        let list = FOLDERS
            .iter()
            .take(folders)
            .enumerate()
            .map(|(j, f)| Folder {
                id: id * 100 + j as u64 + 1,
                client_id: id,
                name: f.to_string(),
                path: format!("{client_number}/{f}"),
            })
            .collect();
        self.folders.insert(id, list);
        self.index.insert(id, self.clients.len());
        self.clients.push(Client { id, name, client_number, vat_number });
    }

    /// A new client at the end of the list with the first `folders` standard folders.
    pub fn add_client(&mut self, name: &str, folders: usize) -> u64 {
        let id = self.next_client;
        self.next_client += 1;
        self.insert(id, name.to_string(), None, folders.min(FOLDERS.len()));
        id
    }

    /// Someone deletes a client in Fid-Manager (its folders go too; documents stay).
    pub fn remove_client(&mut self, id: u64) -> bool {
        let Some(at) = self.index.remove(&id) else { return false };
        self.clients.remove(at);
        self.folders.remove(&id);
        self.index = self.clients.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        true
    }

    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    pub fn client(&self, id: u64) -> Option<&Client> {
        self.clients.get(*self.index.get(&id)?)
    }

    /// Clients whose name, number or VAT number contains `search` (case-insensitive), in order.
    pub fn clients(&self, search: Option<&str>) -> Vec<&Client> {
        let wanted = search.map(str::to_lowercase);
        self.clients
            .iter()
            .filter(|c| {
                wanted.as_deref().is_none_or(|w| {
                    c.name.to_lowercase().contains(w)
                        || c.client_number.to_lowercase().contains(w)
                        || c.vat_number.as_deref().is_some_and(|v| v.to_lowercase().contains(w))
                })
            })
            .collect()
    }

    pub fn folders(&self, client: u64) -> Option<&[Folder]> {
        self.folders.get(&client).map(Vec::as_slice)
    }

    /// Stores a new document to approve; its id.
    pub fn add_document(&mut self, mut document: StoredDocument) -> u64 {
        document.id = self.next_document;
        self.next_document += 1;
        let id = document.id;
        self.documents.insert(id, document);
        id
    }

    pub fn document(&self, id: u64) -> Option<&StoredDocument> {
        self.documents.get(&id)
    }

    pub fn document_mut(&mut self, id: u64) -> Option<&mut StoredDocument> {
        self.documents.get_mut(&id)
    }

    pub fn remove_document(&mut self, id: u64) -> Option<StoredDocument> {
        self.documents.remove(&id)
    }

    /// Every document, oldest first.
    pub fn documents(&self) -> impl Iterator<Item = &StoredDocument> {
        self.documents.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_clients_are_deterministic_and_searchable() {
        let a = Store::generate(7, 50);
        let b = Store::generate(7, 50);
        assert_eq!(a.clients(None), b.clients(None));
        assert_eq!(a.client_count(), 50);
        let first = a.client(client_id(1)).map(|c| c.name.clone()).unwrap_or_default();
        let word = first.split(' ').nth(1).unwrap_or_default().to_uppercase();
        assert!(a.clients(Some(&word)).iter().any(|c| c.name == first), "{word}");
        assert!(a.clients(Some("K10001")).iter().any(|c| c.id == client_id(1)));
        let folders = a.folders(client_id(1)).map(<[Folder]>::len).unwrap_or_default();
        assert!((3..=6).contains(&folders), "{folders}");
    }

    #[test]
    fn clients_come_and_go() {
        let mut s = Store::generate(7, 3);
        let id = s.add_client("Nieuw BV", 2);
        assert_eq!(s.folders(id).map(<[Folder]>::len), Some(2));
        assert!(s.remove_client(client_id(2)));
        assert!(s.client(client_id(2)).is_none() && s.folders(client_id(2)).is_none());
        assert_eq!(s.client(id).map(|c| c.name.as_str()), Some("Nieuw BV"));
        assert!(!s.remove_client(client_id(2)));
    }
}
