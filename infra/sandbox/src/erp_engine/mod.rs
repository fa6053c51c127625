//! A test client that plays SuperOffice's ERP sync engine against Koppel's connector.
