//! The office's relations in list order (generated ones first, added ones at the end), with an
//! index by id. Pages are cut from the list as it stands at the call.

use serde_json::Value;
use std::collections::HashMap;

use super::generate;
use super::model::{Relation, Row};

#[derive(Debug, Default)]
pub struct Store {
    rows: Vec<Row>,
    index: HashMap<String, usize>,
}

impl Store {
    pub fn generate(seed: u64, relations: usize) -> Self {
        let mut store = Store { rows: Vec::with_capacity(relations), index: HashMap::with_capacity(relations) };
        for i in 1..=relations {
            let _ = store.add(generate::relation(seed, i));
        }
        store
    }

    /// Rows in the list, bad ones included.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Rows `from..from + size` as JSON.
    pub fn page(&self, from: usize, size: usize) -> Vec<Value> {
        self.rows.iter().skip(from).take(size).map(Row::to_json).collect()
    }

    /// Every row (as JSON) with a top-level text or number containing `needle` (lowercase).
    pub fn search(&self, needle: &str) -> Vec<Value> {
        self.rows
            .iter()
            .map(Row::to_json)
            .filter(|row| {
                row.as_object().is_some_and(|map| {
                    map.values().any(|v| match v {
                        Value::String(s) => s.to_lowercase().contains(needle),
                        Value::Number(n) => n.to_string().contains(needle),
                        _ => false,
                    })
                })
            })
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<Relation> {
        match self.rows.get(*self.index.get(id)?) {
            Some(Row::Relation(r)) => Some(r.as_ref().clone()),
            _ => None,
        }
    }

    pub fn relations(&self) -> Vec<Relation> {
        self.rows
            .iter()
            .filter_map(|r| match r {
                Row::Relation(r) => Some(r.as_ref().clone()),
                Row::Raw(_) => None,
            })
            .collect()
    }

    /// Changes one relation in place (its id stays); `false` when there is none with `id`.
    pub fn update(&mut self, id: &str, change: impl FnOnce(&mut Relation)) -> bool {
        let Some(&at) = self.index.get(id) else { return false };
        let Some(Row::Relation(r)) = self.rows.get_mut(at) else { return false };
        change(r);
        r.id = id.to_string();
        true
    }

    /// Appends a relation; an id already in use is refused.
    pub fn add(&mut self, relation: Relation) -> Result<(), String> {
        if self.index.contains_key(&relation.id) {
            return Err(format!("a relation with id {} exists already", relation.id));
        }
        self.index.insert(relation.id.clone(), self.rows.len());
        self.rows.push(Row::Relation(Box::new(relation)));
        Ok(())
    }

    /// Appends any JSON as a row (a bad row for a test).
    pub fn add_raw(&mut self, row: Value) {
        self.rows.push(Row::Raw(row));
    }

    /// Removes a relation; the rows after it move up one place.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(at) = self.index.remove(id) else { return false };
        self.rows.remove(at);
        for slot in self.index.values_mut() {
            if *slot > at {
                *slot -= 1;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_edits_and_bad_rows() {
        let mut s = Store::generate(7, 5);
        assert_eq!(s.len(), 5);
        assert_eq!(s.page(4, 10).len(), 1);
        assert!(s.page(5, 10).is_empty());
        let first = s.relations()[0].clone();
        assert!(s.update(&first.id, |r| r.name = "Nieuwe Naam BV".into()));
        assert_eq!(s.get(&first.id).map(|r| r.name), Some("Nieuwe Naam BV".to_string()));
        assert!(!s.update("nope", |_| {}));
        assert!(s.add(first.clone()).is_err(), "ids are unique");
        s.add_raw(json!({"name": "zonder id"}));
        assert_eq!((s.len(), s.relations().len()), (6, 5));
        assert_eq!(s.page(5, 1), vec![json!({"name": "zonder id"})]);
        let second = s.relations()[1].clone();
        assert!(s.remove(&first.id));
        assert_eq!(s.get(&second.id).map(|r| r.id), Some(second.id.clone()), "the index follows the move");
        assert_eq!(s.page(0, 1)[0]["id"], json!(second.id));
    }

    #[test]
    fn search_by_any_text_ignoring_case() {
        let s = Store::generate(7, 60);
        let first = s.relations()[0].clone();
        let by_number = s.search(&first.unique_identifier);
        assert_eq!(by_number.len(), 1);
        assert_eq!(by_number[0]["id"], json!(first.id));
        let word = first.name.split(' ').nth(1).unwrap_or_default().to_lowercase();
        let by_name = s.search(&word);
        assert!(!by_name.is_empty() && by_name.len() < 60, "{word}: {}", by_name.len());
        assert!(by_name.iter().all(|r| r.to_string().to_lowercase().contains(&word)));
        assert!(s.search("zzz-nothing").is_empty());
    }
}
