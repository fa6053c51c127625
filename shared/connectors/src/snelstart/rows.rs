//! SnelStart rows → Koppel records. A row that cannot be read becomes a `RecordProblem`
//! naming the field; it never fails the page.

use koppel_core::domain::records::{Address, RemoteCustomer, RemoteInvoice, RemotePayment};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{RecordProblem, RemoteRecord};
use serde_json::Value;

use super::assumptions::CONTACT_PERSON_READ_ORDER;
use super::fields::{FieldResult, Fields, lower_keys};

/// Reads one row (any key case) of the given stream.
pub fn read_row(stream: StreamKind, row: Value) -> Result<RemoteRecord, RecordProblem> {
    let row = lower_keys(row);
    let result = Fields::of(&row).and_then(|f| match stream {
        StreamKind::Customers => customer(&f).map(RemoteRecord::Customer),
        StreamKind::Invoices => invoice(&f).map(RemoteRecord::Invoice),
        StreamKind::Payments => payment(&f).map(RemoteRecord::Payment),
        StreamKind::Reconciliation | StreamKind::Contacts => Err("not a SnelStart stream".into()),
    });
    result.map_err(|reason| RecordProblem { remote_id: remote_id(&row), reason: format!("{}: {reason}", noun(stream)) })
}

fn noun(stream: StreamKind) -> &'static str {
    match stream {
        StreamKind::Customers => "relatie",
        StreamKind::Invoices | StreamKind::Payments => "verkoopfactuur",
        StreamKind::Reconciliation | StreamKind::Contacts => "contact",
    }
}

fn remote_id(row: &Value) -> Option<String> {
    row.get("id").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn customer(f: &Fields<'_>) -> FieldResult<RemoteCustomer> {
    let soort = f.string_list("relatiesoort")?;
    let address = match f.object("vestigingsadres")? {
        Some(a) if has_address(&a)? => a,
        _ => match f.object("correspondentieadres")? {
            Some(a) => a,
            None => return customer_with(f, soort, Address::default()),
        },
    };
    let address =
        Address { street: address.text("straat")?, postcode: address.text("postcode")?, city: address.text("plaats")? };
    customer_with(f, soort, address)
}

fn has_address(a: &Fields<'_>) -> FieldResult<bool> {
    Ok(a.text("straat")?.is_some() || a.text("postcode")?.is_some() || a.text("plaats")?.is_some())
}

fn customer_with(f: &Fields<'_>, soort: Vec<String>, address: Address) -> FieldResult<RemoteCustomer> {
    Ok(RemoteCustomer {
        contact_person: contact_person(f)?,
        remote_id: f.required_text("id")?,
        modified_on: f.datetime("modifiedon")?,
        customer_number: f.code("relatiecode")?,
        name: f.required_text("naam")?,
        email: f.text("email")?,
        vat_number: f.text("btwnummer")?,
        coc_number: f.text("kvknummer")?,
        phone: match f.text("telefoon")? {
            Some(phone) => Some(phone),
            None => f.text("mobieletelefoon")?,
        },
        address,
        is_customer: soort.iter().any(|s| s.eq_ignore_ascii_case("klant")),
        inactive: f.flag("nonactief")?,
    })
}

/// The first `contactpersoon` of the addresses in `CONTACT_PERSON_READ_ORDER`.
fn contact_person(f: &Fields<'_>) -> FieldResult<Option<String>> {
    for key in CONTACT_PERSON_READ_ORDER {
        if let Some(person) = f.object(key)?.map(|a| a.text("contactpersoon")).transpose()?.flatten() {
            return Ok(Some(person));
        }
    }
    Ok(None)
}

fn invoice(f: &Fields<'_>) -> FieldResult<RemoteInvoice> {
    Ok(RemoteInvoice {
        remote_id: f.required_text("id")?,
        modified_on: f.datetime("modifiedon")?,
        number: f.required_code("factuurnummer")?,
        invoice_date: f.required_date("factuurdatum")?,
        due_date: f.date("vervaldatum")?,
        amount_cents: f.required_cents("factuurbedrag")?,
        outstanding_cents: f.required_cents("openstaandsaldo")?,
        customer_remote_id: f.reference_id("relatie")?,
    })
}

fn payment(f: &Fields<'_>) -> FieldResult<RemotePayment> {
    let invoice = invoice(f)?;
    Ok(RemotePayment {
        invoice_remote_id: invoice.remote_id,
        modified_on: invoice.modified_on,
        invoice_number: invoice.number,
        customer_remote_id: invoice.customer_remote_id,
        amount_cents: invoice.amount_cents,
        outstanding_cents: invoice.outstanding_cents,
        due_date: invoice.due_date,
    })
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
