//! Who looks at connections: a user with groups (from the verified token), or a service call.

use crate::domain::connection::Connection;

/// The caller as link visibility sees it. A caller without a user id is a service call (no
/// `sub` claim) and sees every connection of its tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    pub user: Option<String>,
    pub groups: Vec<String>,
}

impl Viewer {
    /// A service call: sees everything.
    pub fn service() -> Self {
        Self::default()
    }

    pub fn user(user: impl Into<String>, groups: Vec<String>) -> Self {
        Self { user: Some(user.into()), groups }
    }

    /// Whether the link of `conn` is visible to this caller (connections without rules are).
    pub fn sees(&self, conn: &Connection) -> bool {
        conn.link.as_ref().is_none_or(|l| l.visibility.allows(self.user.as_deref(), &self.groups))
    }
}
