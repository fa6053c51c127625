//! Table keys of meetings and pushes (see `crate::keys` for the whole layout).
//!
//! | Item | PK | SK |
//! |---|---|---|
//! | meeting | `T#{t}` | `MTG#{meeting}` |
//! | a report's content | `T#{t}` | `MTGF#{meeting}#{report}` |
//! | push ledger entry | `T#{t}#C#{c}` | `PUSH#{meeting}#{item}` |
//! | push lease (one send per connection and meeting) | `T#{t}#C#{c}` | `PUSHLEASE#{meeting}` |
//! | cached target list, one generation | `T#{t}#C#{c}#TG#{kind}#{generation}` | `T#{target}` |
//! | which generation is current | `T#{t}#C#{c}` | `TGMETA#{kind}` |

pub fn meeting_sk(meeting: &str) -> String {
    format!("MTG#{meeting}")
}
pub fn report_prefix(meeting: &str) -> String {
    format!("MTGF#{meeting}#")
}
pub fn report_sk(meeting: &str, report: &str) -> String {
    format!("MTGF#{meeting}#{report}")
}
pub fn ledger_prefix(meeting: &str) -> String {
    format!("PUSH#{meeting}#")
}
pub fn ledger_sk(meeting: &str, item: &str) -> String {
    format!("PUSH#{meeting}#{item}")
}
pub fn lease_sk(meeting: &str) -> String {
    format!("PUSHLEASE#{meeting}")
}
pub fn targets_pk(tenant: &str, conn: &str, kind: &str, generation: &str) -> String {
    format!("T#{tenant}#C#{conn}#TG#{kind}#{generation}")
}
pub fn target_sk(id: &str) -> String {
    format!("T#{id}")
}
pub fn targets_meta_sk(kind: &str) -> String {
    format!("TGMETA#{kind}")
}
