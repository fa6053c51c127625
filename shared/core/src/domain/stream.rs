use serde::{Deserialize, Serialize};

/// A stream of records a connection synchronises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamKind {
    Customers,
    Invoices,
    Payments,
}

impl StreamKind {
    pub const ALL: [StreamKind; 3] = [StreamKind::Customers, StreamKind::Invoices, StreamKind::Payments];

    pub fn as_str(self) -> &'static str {
        match self {
            StreamKind::Customers => "customers",
            StreamKind::Invoices => "invoices",
            StreamKind::Payments => "payments",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for StreamKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
