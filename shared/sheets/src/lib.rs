//! koppel-sheets: spreadsheet rows for the customer import.
