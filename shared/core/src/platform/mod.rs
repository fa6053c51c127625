//! Platform records in the table: customers with their match index, invoices and payments.

pub mod contacts;
pub mod customers;
pub mod records;
