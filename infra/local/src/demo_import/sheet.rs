//! Step 5: a spreadsheet of customers (.csv) written to the data folder, previewed (a dry run
//! with per-row problems) and imported through the API; the bad rows are listed with the reason.

use std::path::Path;

use koppel_core::import::{Counts, ImportDetail, RowProblem};
use serde::Deserialize;

use super::admin_is::KNOWN_CUSTOMER_NUMBER;
use super::api::Api;
use super::{SHEET_FILE, Transcript, demo_err};
use crate::wiring::LocalError;

/// The query both routes get: rows find their platform customer by customer number.
pub const QUERY: &str = "matching_key=customer_number";
/// The file's rows that are wrong (CSV line numbers; the header is line 1).
pub const BAD_EMAIL_ROW: u64 = 5;
pub const NO_NAME_ROW: u64 = 6;

/// Six customers; one with an e-mail address that is not one, one without a name, one that is
/// already on the platform (`known_name`, imported from Admin IS) with a new e-mail address.
pub fn csv(known_name: &str) -> String {
    [
        "Klantnummer;Naam;BTW-nummer;E-mail;Gemeente".to_string(),
        "20001;Drukkerij Verbeke BV;BE 0202.239.951;info@drukkerij-verbeke.be;Gent".into(),
        "20002;Schrijnwerkerij Hermans;;hermans@schrijnwerk-demo.be;Leuven".into(),
        format!("{KNOWN_CUSTOMER_NUMBER};{known_name};;boekhouding@klant-10003-demo.be;Antwerpen"),
        "20003;Frituur De Gouden Friet;;info(at)goudenfriet.be;Brugge".into(),
        "20004;;;contact@naamloos-demo.be;Hasselt".into(),
        "20005;Kapsalon Lies;;lies@kapsalon-demo.be;Mechelen".into(),
    ]
    .join("\r\n")
}

/// The preview as far as the demo shows it.
#[derive(Debug, Deserialize)]
struct PreviewView {
    headers: Vec<String>,
    counts: Counts,
    problems_total: u64,
    problems: Vec<RowProblem>,
}

/// What step 5 left behind.
pub struct Outcome {
    pub import_id: String,
    /// Rows created or updated.
    pub imported: u64,
    pub bad_rows: u64,
}

fn problem_line(p: &RowProblem) -> String {
    format!("     row {} ({}): {}", p.row, p.column.as_deref().unwrap_or("-"), p.message)
}

pub async fn run(api: &Api, data_dir: &Path, known_name: &str, out: &Transcript) -> Result<Outcome, LocalError> {
    let file = csv(known_name);
    let path = data_dir.join(SHEET_FILE);
    std::fs::write(&path, &file).map_err(|e| LocalError::Demo(format!("writing {}: {e}", path.display())))?;
    let rows = file.lines().count().saturating_sub(1);
    out.say(format!("\n5. Spreadsheet {} ({rows} customers; text/csv, separated by ;)", path.display()));

    let (_, preview): (_, PreviewView) =
        api.post_file(&format!("/imports/customers/preview?{QUERY}"), "text/csv", file.clone().into_bytes()).await?;
    let c = &preview.counts;
    out.say(format!(
        "   POST /imports/customers/preview?{QUERY} (dry run; columns {}) → would create {}, update {}, leave {} \
         unchanged; {} invalid rows, {} problem(s):",
        preview.headers.join(", "),
        c.created,
        c.updated,
        c.unchanged,
        c.invalid,
        preview.problems_total
    ));
    for p in &preview.problems {
        out.say(problem_line(p));
    }

    let (status, detail): (_, ImportDetail) =
        api.post_file(&format!("/imports/customers?{QUERY}"), "text/csv", file.into_bytes()).await?;
    let i = &detail.import;
    let c = &i.counts;
    out.say(format!(
        "   POST /imports/customers?{QUERY} → {}: import {} {}; created {}, updated {}, unchanged {}, invalid {}",
        status.as_u16(),
        i.id,
        serde_json::to_value(i.status).map_err(demo_err)?.as_str().unwrap_or("?"),
        c.created,
        c.updated,
        c.unchanged,
        c.invalid
    ));
    out.say("   Not imported (GET /imports/{id} lists them too):".replace("{id}", &i.id));
    for p in &detail.problems {
        out.say(problem_line(p));
    }
    Ok(Outcome { import_id: i.id.clone(), imported: c.created + c.updated, bad_rows: c.invalid })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bad_rows_are_where_the_constants_say() {
        let file = csv("Bakkerij Peeters 3 BV");
        let lines: Vec<&str> = file.lines().collect();
        assert_eq!(lines.len(), 7);
        assert!(lines[(BAD_EMAIL_ROW - 1) as usize].contains("info(at)"));
        assert!(lines[(NO_NAME_ROW - 1) as usize].starts_with("20004;;"));
        assert!(lines[3].starts_with("10003;Bakkerij Peeters 3 BV;"), "the known customer keeps its name");
    }
}
