use serde::{Deserialize, Serialize};

/// A stream of records a connection synchronises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamKind {
    Customers,
    Invoices,
    Payments,
    /// Newsletter: read the provider's whole list, repair differences (unsubscribes, opt-in creates).
    Reconciliation,
    /// Newsletter: send changed platform contacts to the provider.
    Contacts,
}

impl StreamKind {
    /// The accounting streams (SnelStart).
    pub const ALL: [StreamKind; 3] = [StreamKind::Customers, StreamKind::Invoices, StreamKind::Payments];
    /// The newsletter streams (Flexmail), in the order a run takes them.
    pub const NEWSLETTER: [StreamKind; 2] = [StreamKind::Reconciliation, StreamKind::Contacts];

    pub fn as_str(self) -> &'static str {
        match self {
            StreamKind::Customers => "customers",
            StreamKind::Invoices => "invoices",
            StreamKind::Payments => "payments",
            StreamKind::Reconciliation => "reconciliation",
            StreamKind::Contacts => "contacts",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().chain(Self::NEWSLETTER).find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for StreamKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
