//! The generated database: contacts (companies and people; every 40th archived) and calendar
//! meetings, each a pure function of (seed, index), plus the technical rows Koppel looks up
//! (`ir.model`, the to-do activity type, the note subtype, the bot user).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::config::{BOT_PARTNER_ID, BOT_UID};
use super::model::{self, Row, Table};
use crate::rng::Stream;

const TAG_PARTNER: u64 = 501;
const TAG_EVENT: u64 = 502;
/// Contact `i` (1-based) has id `PARTNER_BASE + i`.
pub const PARTNER_BASE: i64 = 1_000;
/// Meeting `i` (1-based) has id `EVENT_BASE + i`.
pub const EVENT_BASE: i64 = 5_000;
/// `ir.model` ids of the models activities hang on.
pub const PARTNER_MODEL_ID: i64 = 78;
pub const EVENT_MODEL_ID: i64 = 163;
/// The to-do activity type (`mail.mail_activity_data_todo`).
pub const TODO_TYPE_ID: i64 = 4;
/// `mail.mt_comment`, `mail.mt_note`, `mail.mt_activities`.
pub const SUBTYPE_COMMENT: i64 = 1;
pub const SUBTYPE_NOTE: i64 = 2;
pub const SUBTYPE_ACTIVITIES: i64 = 3;

const KINDS: [&str; 8] =
    ["Bakkerij", "Garage", "Bouwbedrijf", "Architectenbureau", "Apotheek", "Schrijnwerkerij", "Brouwerij", "Kapsalon"];
const NAMES: [&str; 12] = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois",
    "Lambert",
];
const FIRST: [&str; 8] = ["An", "Bram", "Els", "Jan", "Lotte", "Pieter", "Sofie", "Tom"];
const FORMS: [&str; 4] = ["BV", "NV", "VOF", "CommV"];
const CITIES: [&str; 6] = ["Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen"];
const TOPICS: [&str; 6] = ["Intake", "Jaarafsluiting", "Fiscaal advies", "Verzekeringsgesprek", "Opvolging", "Offerte"];

fn row(v: Value) -> Row {
    v.as_object().cloned().unwrap_or_default()
}

/// Contact `i` (1-based): a company (two in three) or a person.
pub fn partner(seed: u64, i: usize) -> Row {
    let mut s = Stream::new(seed, TAG_PARTNER, i as u64);
    let family = *s.pick(&NAMES);
    let company = s.below(3) < 2;
    let name = if company {
        format!("{} {family} {}", s.pick(&KINDS), s.pick(&FORMS))
    } else {
        format!("{} {family}", s.pick(&FIRST))
    };
    let slug: String = family.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    let email = if s.chance(80) { json!(format!("info{i}@{slug}.be")) } else { json!(false) };
    let vat = if company && s.chance(85) { json!(format!("BE0{}", s.digits(9))) } else { json!(false) };
    row(json!({
        "name": name,
        "email": email,
        "vat": vat,
        "is_company": company,
        "phone": format!("+32 3 {} {}", s.digits(3), s.digits(2)),
        "city": *s.pick(&CITIES),
        "active": !i.is_multiple_of(40),
    }))
}

/// Meeting `i` (1-based), starting between a year before `around` and 60 days after it.
pub fn event(seed: u64, i: usize, around: DateTime<Utc>, partners: usize) -> Row {
    let mut s = Stream::new(seed, TAG_EVENT, i as u64);
    let day = around.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let start = day + Duration::days(s.below(426) as i64 - 365) + Duration::minutes(30 * (16 + s.below(18) as i64));
    let attendee = PARTNER_BASE + 1 + s.below(partners.max(1) as u64) as i64;
    let format = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    row(json!({
        "name": format!("{} {}", s.pick(&TOPICS), s.pick(&NAMES)),
        "start": format(start),
        "stop": format(start + Duration::hours(1)),
        "allday": false,
        "partner_ids": if partners > 0 { json!([BOT_PARTNER_ID, attendee]) } else { json!([BOT_PARTNER_ID]) },
        "user_id": BOT_UID,
        "description": false,
        "location": false,
        "active": true,
    }))
}

/// Every table of one database.
pub fn tables(seed: u64, partners: usize, events: usize, around: DateTime<Utc>) -> Vec<(&'static str, Table)> {
    let mut partner_table = Table::starting_at(PARTNER_BASE + 1);
    for i in 1..=partners {
        partner_table.insert(partner(seed, i));
    }
    let mut event_table = Table::starting_at(EVENT_BASE + 1);
    for i in 1..=events {
        event_table.insert(event(seed, i, around, partners));
    }
    let mut ir_model = Table::default();
    ir_model.insert_at(PARTNER_MODEL_ID, row(json!({"model": model::PARTNER, "name": "Contact"})));
    ir_model.insert_at(EVENT_MODEL_ID, row(json!({"model": model::EVENT, "name": "Calendar Event"})));
    let mut types = Table::starting_at(1);
    for name in ["Email", "Call", "Meeting", "To-Do", "Upload Document"] {
        types.insert(row(json!({"name": name, "category": "default"})));
    }
    let mut subtypes = Table::starting_at(SUBTYPE_COMMENT);
    for name in ["Discussions", "Note", "Activities"] {
        subtypes.insert(row(json!({"name": name})));
    }
    let mut users = Table::starting_at(BOT_UID);
    users.insert(row(json!({"name": "Koppel Bot", "login": "koppel-bot", "partner_id": BOT_PARTNER_ID})));
    vec![
        (model::PARTNER, partner_table),
        (model::EVENT, event_table),
        (model::IR_MODEL, ir_model),
        (model::ACTIVITY_TYPE, types),
        (model::SUBTYPE, subtypes),
        (model::USERS, users),
        (model::MESSAGE, Table::starting_at(10_001)),
        (model::ATTACHMENT, Table::starting_at(20_001)),
        (model::ACTIVITY, Table::starting_at(30_001)),
    ]
}
