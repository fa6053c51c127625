//! Reading back what meetings left in the stand-in, and changing it as a user of AdminPulse
//! would (deleting an interaction or a document) — for tests, the demo and the benchmark.

use super::handles::AdminPulseData;
use super::push_model::{Document, Interaction, InteractionNote, Todo};
use crate::state::lock;

/// How many of each the stand-in holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushCounts {
    pub interactions: usize,
    pub notes: usize,
    pub documents: usize,
    pub todos: usize,
}

impl AdminPulseData {
    /// A relation's interactions, oldest first.
    pub fn interactions(&self, relation_id: &str) -> Vec<Interaction> {
        lock(&self.shared.push).interactions_of(relation_id)
    }
    pub fn interaction(&self, id: u64) -> Option<Interaction> {
        lock(&self.shared.push).interaction(id).cloned()
    }
    /// An interaction's notes, oldest first.
    pub fn notes(&self, interaction_id: u64) -> Vec<InteractionNote> {
        lock(&self.shared.push).notes_of(interaction_id)
    }
    /// A relation's documents with their bytes, oldest first.
    pub fn documents(&self, relation_id: &str) -> Vec<Document> {
        lock(&self.shared.push).documents_of(relation_id)
    }
    pub fn document(&self, id: u64) -> Option<Document> {
        lock(&self.shared.push).document(id).cloned()
    }
    /// A relation's to-dos, oldest first.
    pub fn todos(&self, relation_id: &str) -> Vec<Todo> {
        lock(&self.shared.push).todos_of(relation_id)
    }
    pub fn push_counts(&self) -> PushCounts {
        let (interactions, notes, documents, todos) = lock(&self.shared.push).counts();
        PushCounts { interactions, notes, documents, todos }
    }
    /// Someone deletes an interaction (and with it its notes) in AdminPulse.
    pub fn delete_interaction(&self, id: u64) -> bool {
        lock(&self.shared.push).remove_interaction(id)
    }
    /// Someone deletes a document in AdminPulse.
    pub fn delete_document(&self, id: u64) -> bool {
        lock(&self.shared.push).remove_document(id)
    }
    /// Someone deletes a to-do in AdminPulse.
    pub fn delete_todo(&self, id: u64) -> bool {
        lock(&self.shared.push).remove_todo(id)
    }
}
