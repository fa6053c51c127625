//! ERP link rules on a tenant's connections (`Connection.link`, type in
//! [`crate::domain::link_rules`]): reading and saving them (validated per provider, only after a
//! passed test), who may see a connection, and the sync priority between connections that
//! feed the same platform customer. The sync applies the rules in
//! [`crate::platform::customers::apply_ruled`]; `docs/link-rules.md` describes the whole.

pub mod fields;
pub mod get;
pub mod input;
pub mod priority;
pub mod save;
pub mod validate;
pub mod viewer;

pub use priority::Priorities;
pub use viewer::Viewer;
