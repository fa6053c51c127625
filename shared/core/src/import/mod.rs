//! Spreadsheet import of platform customers: column mapping, preview (dry run) with per-row
//! problems, import. See `docs/import.md`.
//!
//! The file is read through [`source::SheetSource`] (the `koppel-sheets` crate reads .xlsx and
//! .csv), one row at a time; nothing here knows a file format.
//!
//! - [`fields`]: the customer fields and the mapping suggested from headers;
//! - [`mapping`]: the mapping in force and the key rows are matched by;
//! - [`row`] / [`vat`]: one row's values or the reasons it cannot be imported;
//! - [`index`]: platform customers by key, read once per pass;
//! - [`pass`]: check, match and decide each row, writing chunk by chunk;
//! - [`preview`] / [`run`]: the two use-cases; [`record`]: the import item.

pub mod fields;
pub mod index;
pub mod mapping;
pub mod pass;
pub mod preview;
pub mod record;
pub mod row;
pub mod run;
pub mod source;
pub mod vat;

#[cfg(test)]
mod test_store;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_run;

pub use fields::CustomerField;
pub use mapping::MappingRequest;
pub use pass::Ports;
pub use preview::{Preview, PreviewOptions, preview};
pub use record::{Counts, ImportDetail, ImportRecord, ImportStatus};
pub use row::RowProblem;
pub use run::{ImportOptions, import};
pub use source::{MemorySheet, ReadError, RowReader, SheetInfo, SheetRow, SheetSource};
