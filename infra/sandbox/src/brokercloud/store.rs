//! The broker office's data: parties (generated from the seed) and the files stored under them.

use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

use crate::rng::Stream;

const TAG_PARTY: u64 = 601;
const COMPANIES: [&str; 6] = ["Transport", "Bouwwerken", "Bakkerij", "Garage", "Immo", "Consult"];
const FIRST: [&str; 8] = ["An", "Jan", "Els", "Pieter", "Sofie", "Koen", "Lien", "Marc"];
const LAST: [&str; 10] =
    ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "Dubois"];
const CITIES: [&str; 8] = ["Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen", "Kortrijk", "Aalst"];
const PREFIXES: [&str; 3] = ["A", "B", "P"];

/// A party as Brokercloud lists it (`id`, `office_id`, `prefix`, `number`, `suffix` [C]; the
/// rest [U]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub id: u64,
    pub office_id: u64,
    pub prefix: String,
    pub number: u64,
    pub suffix: u64,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    pub city: String,
}

impl Party {
    /// `A21/1`.
    pub fn reference(&self) -> String {
        format!("{}{}/{}", self.prefix, self.number, self.suffix)
    }
}

/// A file as stored: what Koppel sent, readable by tests.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: u64,
    pub party_id: u64,
    pub filename: String,
    pub mime_type: String,
    pub description: String,
    /// The file's bytes (empty when the stand-in keeps no contents; `size` tells the length).
    pub bytes: Vec<u8>,
    pub size: usize,
    /// A locked file cannot be deleted (409).
    pub locked: bool,
}

impl std::fmt::Debug for StoredFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredFile")
            .field("id", &self.id)
            .field("party_id", &self.party_id)
            .field("filename", &self.filename)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl StoredFile {
    /// The API's view (no bytes).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "party_id": self.party_id,
            "filename": self.filename,
            "mime_type": self.mime_type,
            "size": self.size,
            "description": self.description,
        })
    }
}

#[derive(Debug, Default)]
pub struct Store {
    parties: Vec<Party>,
    index: HashMap<u64, usize>,
    files: BTreeMap<u64, StoredFile>,
    next_party: u64,
    next_file: u64,
}

/// The id of generated party `i` (1-based).
pub fn party_id(i: usize) -> u64 {
    5_000 + i as u64
}

fn party(seed: u64, i: usize) -> Party {
    let mut rng = Stream::new(seed, TAG_PARTY, i as u64);
    let last = rng.pick(&LAST).to_string();
    let (name, first_name, last_name) = if rng.chance(60) {
        let first = rng.pick(&FIRST).to_string();
        (format!("{last} {first}"), Some(first), Some(last))
    } else {
        (format!("{} {last} BV", rng.pick(&COMPANIES)), None, None)
    };
    Party {
        id: party_id(i),
        office_id: 1 + rng.below(3),
        prefix: rng.pick(&PREFIXES).to_string(),
        number: i as u64,
        suffix: 1 + rng.below(3),
        name,
        first_name,
        last_name,
        city: rng.pick(&CITIES).to_string(),
    }
}

impl Store {
    pub fn generate(seed: u64, parties: usize) -> Self {
        let mut store = Store { next_party: party_id(parties) + 1, next_file: 1, ..Store::default() };
        for i in 1..=parties {
            store.push(party(seed, i));
        }
        store
    }

    fn push(&mut self, party: Party) {
        self.index.insert(party.id, self.parties.len());
        self.parties.push(party);
    }

    /// A new company party at the end of the list; its id.
    pub fn add_party(&mut self, name: &str) -> u64 {
        let id = self.next_party;
        self.next_party += 1;
        let number = id - 5_000;
        let p = Party {
            id,
            office_id: 1,
            prefix: "A".into(),
            number,
            suffix: 1,
            name: name.into(),
            first_name: None,
            last_name: None,
            city: "Gent".into(),
        };
        self.push(p);
        id
    }

    /// Someone deletes a party in Brokercloud (its files stay in the store for tests to read).
    pub fn remove_party(&mut self, id: u64) -> bool {
        let Some(at) = self.index.remove(&id) else { return false };
        self.parties.remove(at);
        self.index = self.parties.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        true
    }

    pub fn party_count(&self) -> usize {
        self.parties.len()
    }

    pub fn party(&self, id: u64) -> Option<&Party> {
        self.parties.get(*self.index.get(&id)?)
    }

    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    pub fn add_file(&mut self, mut file: StoredFile) -> u64 {
        file.id = self.next_file;
        self.next_file += 1;
        let id = file.id;
        self.files.insert(id, file);
        id
    }

    pub fn file(&self, id: u64) -> Option<&StoredFile> {
        self.files.get(&id)
    }

    pub fn file_mut(&mut self, id: u64) -> Option<&mut StoredFile> {
        self.files.get_mut(&id)
    }

    pub fn remove_file(&mut self, id: u64) -> Option<StoredFile> {
        self.files.remove(&id)
    }

    /// Every file, oldest first.
    pub fn files(&self) -> impl Iterator<Item = &StoredFile> {
        self.files.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_parties_are_deterministic() {
        let (a, b) = (Store::generate(7, 40), Store::generate(7, 40));
        assert_eq!(a.parties(), b.parties());
        assert_ne!(a.parties(), Store::generate(8, 40).parties());
        let p = a.party(party_id(21)).cloned().unwrap_or_else(|| party(0, 0));
        assert_eq!(p.number, 21);
        assert!(p.reference().contains("21/"), "{}", p.reference());
        assert!(
            a.parties().iter().any(|p| p.first_name.is_some()) && a.parties().iter().any(|p| p.first_name.is_none())
        );
    }

    #[test]
    fn parties_come_and_go() {
        let mut s = Store::generate(7, 3);
        let id = s.add_party("Nieuw BV");
        assert!(s.remove_party(party_id(2)) && !s.remove_party(party_id(2)));
        assert_eq!((s.party_count(), s.party(id).map(|p| p.name.as_str())), (3, Some("Nieuw BV")));
    }
}
