//! koppel-aws
