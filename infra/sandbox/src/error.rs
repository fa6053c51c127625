//! What can go wrong when driving the sandbox (never while serving a request).

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("unknown resource '{0}' (use relaties or verkoopfacturen)")]
    UnknownResource(String),
    #[error("no {resource} record with id {id}")]
    UnknownRecord { resource: &'static str, id: String },
    #[error("field {field} cannot be set: {reason}")]
    InvalidField { field: String, reason: String },
}
