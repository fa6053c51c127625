//! What the import demo shows a person: every line goes to stdout and is kept, so that a test can
//! read it back. Values that must never be shown (the stand-ins' keys, the OAuth client secret,
//! codes, tokens, the `state`) are registered with [`Transcript::watch`] and compared against the
//! kept lines; they are held as [`SecretString`] and never printed themselves.

use std::sync::{Arc, Mutex, PoisonError};

use secrecy::{ExposeSecret, SecretString};

#[derive(Default)]
struct Inner {
    lines: Vec<String>,
    watched: Vec<SecretString>,
}

/// The demo's printed output. Cheap to clone; clones share the lines.
#[derive(Clone, Default)]
pub struct Transcript {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Transcript").field("lines", &inner.lines.len()).field("watched", &inner.watched.len()).finish()
    }
}

impl Transcript {
    pub fn new() -> Self {
        Self::default()
    }

    /// Print one line (or several, split on `\n`) and keep it.
    pub fn say(&self, text: impl Into<String>) {
        let text = text.into();
        println!("{text}");
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.lines.extend(text.split('\n').map(str::to_string));
    }

    /// Every line shown so far.
    pub fn lines(&self) -> Vec<String> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).lines.clone()
    }

    /// Every line shown so far, joined with `\n`.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// Values that must never appear in the output. Empty values and very short ones (which
    /// would match by chance) are ignored.
    pub fn watch(&self, secrets: impl IntoIterator<Item = String>) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        for s in secrets.into_iter().filter(|s| s.len() >= 8) {
            inner.watched.push(SecretString::from(s));
        }
    }

    /// How many values are watched.
    pub fn watched(&self) -> usize {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).watched.len()
    }

    /// The numbers (1-based) of the lines that hold a watched value; empty when nothing leaked.
    pub fn leaks(&self) -> Vec<usize> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| inner.watched.iter().any(|s| line.contains(s.expose_secret())))
            .map(|(n, _)| n + 1)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_value_in_a_line_is_found_by_line_number_only() {
        let t = Transcript::new();
        t.say("first\nsecond with tok-12345678 inside");
        t.say("third");
        assert!(t.leaks().is_empty(), "nothing watched yet");
        t.watch(["tok-12345678".to_string(), "short".to_string(), String::new()]);
        assert_eq!(t.watched(), 1, "empty and short values are not watched");
        assert_eq!(t.leaks(), vec![2]);
        assert_eq!(t.lines().len(), 3);
        assert!(!format!("{t:?}").contains("tok-12345678"));
    }
}
