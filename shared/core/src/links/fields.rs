//! The fields a link rule may name, per provider — the one place that lists them.

use crate::domain::catalog;
use crate::domain::stream::StreamKind;

/// The SuperOffice ERP link's provider id.
pub const SUPEROFFICE: &str = catalog::SUPEROFFICE;

pub const NAME: &str = "name";
pub const CUSTOMER_NUMBER: &str = "customer_number";
pub const VAT_NUMBER: &str = "vat_number";
pub const EMAIL: &str = "email";
pub const PHONE: &str = "phone";
pub const COC_NUMBER: &str = "coc_number";
pub const STREET: &str = "street";
pub const POSTCODE: &str = "postcode";
pub const CITY: &str = "city";
/// SuperOffice's person (FIRSTNAME/LASTNAME) ↔ the provider's contact-person text.
pub const CONTACT_PERSON: &str = "contact_person";

/// The platform customer's fields, the ones a sync writes.
pub const CUSTOMER_FIELDS: [&str; 9] =
    [NAME, CUSTOMER_NUMBER, VAT_NUMBER, EMAIL, PHONE, COC_NUMBER, STREET, POSTCODE, CITY];

const SUPEROFFICE_FIELDS: [&str; 10] =
    [NAME, CUSTOMER_NUMBER, VAT_NUMBER, EMAIL, PHONE, COC_NUMBER, STREET, POSTCODE, CITY, CONTACT_PERSON];

/// The field names a link rule of a `provider` connection may name.
pub fn known(provider: &str) -> &'static [&'static str] {
    match provider {
        SUPEROFFICE => &SUPEROFFICE_FIELDS,
        _ => &CUSTOMER_FIELDS,
    }
}

/// Whether the provider's sync creates platform customers: then a rule that stops the name
/// flowing to the platform needs a default name (a platform customer always has one).
pub fn creates_platform_customers(provider: &str) -> bool {
    catalog::find(provider).is_some_and(|c| c.streams.contains(&StreamKind::Customers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superoffice_adds_the_contact_person() {
        assert!(known(SUPEROFFICE).contains(&CONTACT_PERSON));
        assert!(!known(catalog::SNELSTART).contains(&CONTACT_PERSON));
        assert!(CUSTOMER_FIELDS.iter().all(|f| known(SUPEROFFICE).contains(f)));
        assert!(creates_platform_customers(catalog::SNELSTART));
        assert!(!creates_platform_customers(catalog::FLEXMAIL));
    }
}
