//! The customer fields a column can be mapped to, and the mapping suggested from the headers
//! (Dutch, French and English names as accounting packages and people write them).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::matching_key::MatchingKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerField {
    Name,
    CustomerNumber,
    VatNumber,
    Email,
    Phone,
    CocNumber,
    Street,
    Postcode,
    City,
}

impl CustomerField {
    pub const ALL: [CustomerField; 9] = [
        CustomerField::Name,
        CustomerField::CustomerNumber,
        CustomerField::VatNumber,
        CustomerField::Email,
        CustomerField::Phone,
        CustomerField::CocNumber,
        CustomerField::Street,
        CustomerField::Postcode,
        CustomerField::City,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerField::Name => "name",
            CustomerField::CustomerNumber => "customer_number",
            CustomerField::VatNumber => "vat_number",
            CustomerField::Email => "email",
            CustomerField::Phone => "phone",
            CustomerField::CocNumber => "coc_number",
            CustomerField::Street => "street",
            CustomerField::Postcode => "postcode",
            CustomerField::City => "city",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Every field name, for messages: "name, customer_number, …".
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// The field a matching key reads.
    pub fn of_key(key: MatchingKey) -> Self {
        match key {
            MatchingKey::CustomerNumber => CustomerField::CustomerNumber,
            MatchingKey::VatNumber => CustomerField::VatNumber,
            MatchingKey::Email => CustomerField::Email,
            MatchingKey::Name => CustomerField::Name,
        }
    }

    /// Header names (folded, see [`fold`]) that mean this field.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            CustomerField::Name => &[
                "naam",
                "klantnaam",
                "bedrijfsnaam",
                "bedrijf",
                "firmanaam",
                "firma",
                "relatienaam",
                "relatie",
                "organisatie",
                "nom",
                "raisonsociale",
                "societe",
                "entreprise",
                "nomclient",
                "nomdelentreprise",
                "name",
                "customername",
                "companyname",
                "company",
                "customer",
                "organisation",
                "organization",
            ],
            CustomerField::CustomerNumber => &[
                "klantnummer",
                "klantnr",
                "klantcode",
                "klantid",
                "relatienummer",
                "relatienr",
                "relatiecode",
                "debiteurnummer",
                "debiteurnr",
                "debiteur",
                "numeroclient",
                "numerodeclient",
                "noclient",
                "nclient",
                "codeclient",
                "refclient",
                "customernumber",
                "customerno",
                "customernr",
                "customerid",
                "customercode",
                "accountnumber",
                "clientnumber",
                "clientid",
            ],
            CustomerField::VatNumber => &[
                "btwnummer",
                "btwnr",
                "btw",
                "btwid",
                "btwidentificatienummer",
                "btwno",
                "tva",
                "ntva",
                "notva",
                "numerotva",
                "numerodetva",
                "tvaintracommunautaire",
                "vat",
                "vatnumber",
                "vatno",
                "vatnr",
                "vatid",
                "vatregistrationnumber",
            ],
            CustomerField::Email => &[
                "email",
                "emailadres",
                "mail",
                "mailadres",
                "emailaddress",
                "courriel",
                "adresseemail",
                "adressemail",
                "adressecourriel",
            ],
            CustomerField::Phone => &[
                "telefoon",
                "telefoonnummer",
                "telefoonnr",
                "tel",
                "telnr",
                "gsm",
                "gsmnummer",
                "mobiel",
                "mobielnummer",
                "telephone",
                "numerodetelephone",
                "portable",
                "phone",
                "phonenumber",
                "mobile",
            ],
            CustomerField::CocNumber => &[
                "kvk",
                "kvknummer",
                "kvknr",
                "kamervankoophandel",
                "ondernemingsnummer",
                "kbo",
                "kbonummer",
                "numerodentreprise",
                "numeroentreprise",
                "bce",
                "numerobce",
                "coc",
                "cocnumber",
                "chamberofcommerce",
                "companynumber",
                "registrationnumber",
            ],
            CustomerField::Street => &[
                "straat",
                "straatnaam",
                "straatenhuisnummer",
                "adres",
                "rue",
                "adresse",
                "street",
                "address",
                "streetaddress",
                "addressline1",
            ],
            CustomerField::Postcode => &["postcode", "postnummer", "codepostal", "cp", "postalcode", "zip", "zipcode"],
            CustomerField::City => &[
                "gemeente",
                "plaats",
                "woonplaats",
                "stad",
                "vestigingsplaats",
                "localite",
                "ville",
                "commune",
                "city",
                "town",
            ],
        }
    }
}

/// A header as compared: lower-case, accents folded, only letters and digits ("N° TVA" → "ntva",
/// "E-mail" → "email", "Téléphone" → "telephone").
pub fn fold(header: &str) -> String {
    header
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The mapping suggested from the headers: each field gets the first column whose header is one
/// of its names; a column is suggested for one field at most.
pub fn suggest(headers: &[String]) -> BTreeMap<CustomerField, String> {
    let mut out = BTreeMap::new();
    for header in headers {
        let folded = fold(header);
        if folded.is_empty() {
            continue;
        }
        let field = CustomerField::ALL.into_iter().find(|f| !out.contains_key(f) && f.synonyms().contains(&&*folded));
        if let Some(f) = field {
            out.insert(f, header.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn folds_punctuation_case_and_accents() {
        assert_eq!(fold(" N° TVA "), "ntva");
        assert_eq!(fold("E-mail"), "email");
        assert_eq!(fold("Téléphone"), "telephone");
        assert_eq!(fold("BTW-nummer"), "btwnummer");
        assert_eq!(fold("Localité"), "localite");
    }

    #[test]
    fn suggests_dutch_french_and_english_headers() {
        let nl = suggest(&headers(&[
            "Klantnummer",
            "Naam",
            "BTW-nummer",
            "E-mail",
            "Telefoon",
            "Straat",
            "Postcode",
            "Gemeente",
            "Opmerking",
        ]));
        assert_eq!(nl.get(&CustomerField::Name).map(String::as_str), Some("Naam"));
        assert_eq!(nl.get(&CustomerField::CustomerNumber).map(String::as_str), Some("Klantnummer"));
        assert_eq!(nl.get(&CustomerField::VatNumber).map(String::as_str), Some("BTW-nummer"));
        assert_eq!(nl.get(&CustomerField::Email).map(String::as_str), Some("E-mail"));
        assert_eq!(nl.get(&CustomerField::Phone).map(String::as_str), Some("Telefoon"));
        assert_eq!(nl.get(&CustomerField::City).map(String::as_str), Some("Gemeente"));
        assert_eq!(nl.len(), 8, "Opmerking is not a customer field: {nl:?}");

        let fr = suggest(&headers(&["Nom", "N° TVA", "Courriel", "Téléphone", "Rue", "Code postal", "Localité"]));
        let got: Vec<_> = fr.keys().map(|f| f.as_str()).collect();
        assert_eq!(got, ["name", "vat_number", "email", "phone", "street", "postcode", "city"]);

        let en = suggest(&headers(&["Customer number", "Name", "VAT", "Email", "Phone", "City", "Plaats"]));
        assert_eq!(en.get(&CustomerField::City).map(String::as_str), Some("City"), "the first city column wins");
        assert_eq!(en.get(&CustomerField::CustomerNumber).map(String::as_str), Some("Customer number"));
    }

    #[test]
    fn unknown_and_blank_headers_suggest_nothing() {
        assert!(suggest(&headers(&["", "Kolom1", "Omzet 2024"])).is_empty());
    }

    #[test]
    fn every_key_has_its_field() {
        for key in MatchingKey::ALL {
            assert_eq!(CustomerField::of_key(key).as_str(), key.as_str());
        }
        for f in CustomerField::ALL {
            assert_eq!(CustomerField::parse(f.as_str()), Some(f));
        }
    }
}
