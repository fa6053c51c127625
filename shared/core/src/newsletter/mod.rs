//! Newsletter connections (Flexmail): setup, the call budget, the two-way sync and webhooks.
//!
//! Every provider call goes through [`caller::Caller`], which counts it against the
//! connection's budget (calls per minute and per month) *before* it is made.

pub mod apply;
pub mod budget;
pub mod caller;
pub mod calls;
pub mod census;
pub mod ctx;
pub mod desired;
pub mod form;
pub mod mirror;
pub mod push;
pub mod receive;
pub mod reconcile;
pub mod run;
pub mod send;
pub mod send_one;
pub mod setup;
pub mod test;
pub mod webhooks;
