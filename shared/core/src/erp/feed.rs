//! The actor feed: a sequence number per change of a Koppel connection's customer mirror, read by SuperOffice's `GetActorsByTimestamp`.
