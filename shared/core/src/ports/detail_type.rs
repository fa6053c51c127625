//! The event naming rule `koppel.<entity>.<past_tense>.v<N>`.
//! Both buses (EventBridge and in-process) apply it before publishing: a real bus rule would
//! never match an event named otherwise.

use super::bus::BusError;

/// Refuse detail types not shaped `koppel.<entity>.<past_tense>.v<N>`: lower-case words
/// (`a-z`, `0-9`, `_`, starting with a letter) and a version `N >= 1`.
pub fn check_detail_type(detail_type: &str) -> Result<(), BusError> {
    let parts: Vec<&str> = detail_type.split('.').collect();
    let ok = match parts.as_slice() {
        ["koppel", entity, past, version] => is_word(entity) && is_word(past) && is_version(version),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(BusError::Rejected(format!("detail type {detail_type:?} is not shaped koppel.<entity>.<past_tense>.v<N>")))
    }
}

fn is_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_version(s: &str) -> bool {
    s.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && !n.starts_with('0') && n.len() <= 6 && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::bus::{SYNC_COMPLETED, SYNC_REQUESTED};

    #[test]
    fn accepts_the_documented_shape() {
        for ok in [SYNC_REQUESTED, SYNC_COMPLETED, "koppel.connection.deleted.v2", "koppel.oauth_state.used.v10"] {
            assert_eq!(check_detail_type(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "koppel",
            "koppel.sync.requested",
            "koppel.sync.requested.v",
            "koppel.sync.requested.v0",
            "koppel.sync.requested.v01",
            "koppel.sync.requested.1",
            "koppel.Sync.requested.v1",
            "koppel..requested.v1",
            "koppel.sync.requested.v1.extra",
            "other.sync.requested.v1",
            "koppel.sync.re-quested.v1",
            "koppel.1sync.requested.v1",
            " koppel.sync.requested.v1",
        ] {
            assert!(matches!(check_detail_type(bad), Err(BusError::Rejected(_))), "{bad:?} was accepted");
        }
    }
}
