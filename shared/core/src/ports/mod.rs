//! Narrow traits the use-cases depend on. Each has a production adapter (AWS) and an
//! embedded one, and `koppel-conformance` runs one suite against both.

pub mod bus;
pub mod clock;
pub mod detail_type;
pub mod meeting;
pub mod newsletter;
pub mod oauth;
pub mod scheduler;
pub mod secrets;
pub mod source;
pub mod store;

pub use bus::{BusError, DomainEvent, EventBus};
pub use clock::{Clock, IdGen, SystemClock, UlidGen};
pub use detail_type::check_detail_type;
pub use meeting::{MeetingApi, MeetingFactory};
pub use newsletter::{NewsletterApi, NewsletterFactory};
pub use oauth::{OAuthClient, OAuthError};
pub use scheduler::{Schedule, Scheduler, SchedulerError};
pub use secrets::{SecretName, SecretStore, SecretsError};
pub use source::{ConnectorError, SourceFactory, SourceSession};
pub use store::{Cond, Item, ItemStore, Page, StoreError, TxOp, WriteOp};
