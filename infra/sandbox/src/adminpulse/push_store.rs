//! Interactions, their notes, documents and to-dos, indexed by relation (and notes by
//! interaction) so that a relation's list costs no scan of everything. In memory; cheap enough
//! for the benchmark's thousands of meetings.

use std::collections::HashMap;

use super::push_model::{Document, Interaction, InteractionNote, Todo};

#[derive(Debug, Default)]
pub struct PushStore {
    next_id: u64,
    interactions: HashMap<u64, Interaction>,
    interactions_by_relation: HashMap<String, Vec<u64>>,
    notes: HashMap<u64, InteractionNote>,
    notes_by_interaction: HashMap<u64, Vec<u64>>,
    documents: HashMap<u64, Document>,
    documents_by_relation: HashMap<String, Vec<u64>>,
    todos: HashMap<u64, Todo>,
    todos_by_relation: HashMap<String, Vec<u64>>,
}

/// The records of `ids` in `map`, in the order of `ids`.
fn listed<T: Clone>(map: &HashMap<u64, T>, ids: Option<&Vec<u64>>) -> Vec<T> {
    ids.map(|ids| ids.iter().filter_map(|id| map.get(id).cloned()).collect()).unwrap_or_default()
}

impl PushStore {
    /// A new id (numbers from 1001 up, shared by every kind).
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        1_000 + self.next_id
    }

    pub fn add_interaction(&mut self, i: Interaction) {
        self.interactions_by_relation.entry(i.relation_id.clone()).or_default().push(i.id);
        self.interactions.insert(i.id, i);
    }
    pub fn interaction(&self, id: u64) -> Option<&Interaction> {
        self.interactions.get(&id)
    }
    pub fn interaction_mut(&mut self, id: u64) -> Option<&mut Interaction> {
        self.interactions.get_mut(&id)
    }
    pub fn interactions_of(&self, relation: &str) -> Vec<Interaction> {
        listed(&self.interactions, self.interactions_by_relation.get(relation))
    }
    /// Removes an interaction and its notes (someone deletes it in AdminPulse).
    pub fn remove_interaction(&mut self, id: u64) -> bool {
        let Some(i) = self.interactions.remove(&id) else { return false };
        if let Some(ids) = self.interactions_by_relation.get_mut(&i.relation_id) {
            ids.retain(|x| *x != id);
        }
        for note in self.notes_by_interaction.remove(&id).unwrap_or_default() {
            self.notes.remove(&note);
        }
        true
    }

    pub fn add_note(&mut self, n: InteractionNote) {
        self.notes_by_interaction.entry(n.interaction_id).or_default().push(n.id);
        self.notes.insert(n.id, n);
    }
    pub fn note_mut(&mut self, id: u64) -> Option<&mut InteractionNote> {
        self.notes.get_mut(&id)
    }
    pub fn notes_of(&self, interaction: u64) -> Vec<InteractionNote> {
        listed(&self.notes, self.notes_by_interaction.get(&interaction))
    }

    pub fn add_document(&mut self, d: Document) {
        self.documents_by_relation.entry(d.relation_id.clone()).or_default().push(d.id);
        self.documents.insert(d.id, d);
    }
    pub fn document(&self, id: u64) -> Option<&Document> {
        self.documents.get(&id)
    }
    pub fn documents_of(&self, relation: &str) -> Vec<Document> {
        listed(&self.documents, self.documents_by_relation.get(relation))
    }
    pub fn remove_document(&mut self, id: u64) -> bool {
        let Some(d) = self.documents.remove(&id) else { return false };
        if let Some(ids) = self.documents_by_relation.get_mut(&d.relation_id) {
            ids.retain(|x| *x != id);
        }
        true
    }

    pub fn add_todo(&mut self, t: Todo) {
        self.todos_by_relation.entry(t.relation_id.clone()).or_default().push(t.id);
        self.todos.insert(t.id, t);
    }
    pub fn todo_mut(&mut self, id: u64) -> Option<&mut Todo> {
        self.todos.get_mut(&id)
    }
    pub fn todos_of(&self, relation: &str) -> Vec<Todo> {
        listed(&self.todos, self.todos_by_relation.get(relation))
    }
    pub fn remove_todo(&mut self, id: u64) -> bool {
        let Some(t) = self.todos.remove(&id) else { return false };
        if let Some(ids) = self.todos_by_relation.get_mut(&t.relation_id) {
            ids.retain(|x| *x != id);
        }
        true
    }

    /// How many of each there are: (interactions, notes, documents, to-dos).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (self.interactions.len(), self.notes.len(), self.documents.len(), self.todos.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interaction(store: &mut PushStore, relation: &str) -> u64 {
        let id = store.next_id();
        store.add_interaction(Interaction {
            id,
            relation_id: relation.into(),
            subject: "s".into(),
            date: "2026-11-21T09:00:00Z".into(),
            text: "t".into(),
            kind: None,
            created_at: String::new(),
            updated_at: None,
        });
        id
    }

    #[test]
    fn lists_by_relation_and_removal_with_notes() {
        let mut s = PushStore::default();
        let a = interaction(&mut s, "r1");
        let b = interaction(&mut s, "r1");
        interaction(&mut s, "r2");
        assert_eq!(s.interactions_of("r1").iter().map(|i| i.id).collect::<Vec<_>>(), vec![a, b]);
        let id = s.next_id();
        s.add_note(InteractionNote {
            id,
            interaction_id: a,
            text: "n".into(),
            created_at: String::new(),
            updated_at: None,
        });
        assert_eq!(s.notes_of(a).len(), 1);
        assert!(s.remove_interaction(a));
        assert!(!s.remove_interaction(a));
        assert_eq!((s.notes_of(a).len(), s.interactions_of("r1").len()), (0, 1));
        assert_eq!(s.counts(), (2, 0, 0, 0));
        assert!(s.interactions_of("nope").is_empty());
    }
}
