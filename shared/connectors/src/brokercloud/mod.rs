//! brokercloud meeting connector (being written).
