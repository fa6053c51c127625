//! brokercloud stand-in (being written).
