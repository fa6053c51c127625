//! Is a VAT number plausible? Belgian numbers are checked in full (10 digits, modulo-97 check);
//! Dutch ones by shape (9 digits, `B`, 2 digits: two check-digit schemes are in use, so the
//! digits are not checked); numbers of other countries need a known country prefix.

/// Country prefixes accepted for VAT numbers other than BE and NL (EU members, `EL` for Greece,
/// `XI` for Northern Ireland, and the neighbours firms here trade with).
const OTHER_PREFIXES: [&str; 30] = [
    "AT", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
    "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CH", "NO", "LI",
];

/// `Ok` when the value can be a VAT number; otherwise why not, in words a person can act on.
pub fn check(raw: &str) -> Result<(), String> {
    let s: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    let shown = raw.trim();
    if let Some(rest) = s.strip_prefix("BE") {
        return belgian(rest).map_err(|why| format!("{shown:?} is not a Belgian VAT number: {why}"));
    }
    if let Some(rest) = s.strip_prefix("NL") {
        return dutch(rest).then_some(()).ok_or_else(|| {
            format!("{shown:?} is not a Dutch VAT number: it has 9 digits, a B and 2 digits (NL123456789B01)")
        });
    }
    if s.chars().all(|c| c.is_ascii_digit()) && s.len() == 10 {
        // A Belgian enterprise number written without BE.
        return belgian(&s).map_err(|why| format!("{shown:?} is not a Belgian VAT number: {why}"));
    }
    if dutch(&s) {
        return Ok(());
    }
    let foreign = s.len() >= 4
        && s.len() <= 15
        && OTHER_PREFIXES.contains(&&s[..2])
        && s[2..].chars().any(|c| c.is_ascii_digit());
    if foreign {
        return Ok(());
    }
    Err(format!("{shown:?} is not a VAT number: it starts with the country code, e.g. BE0123456749 or NL123456789B01"))
}

fn belgian(digits: &str) -> Result<(), &'static str> {
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("it has 10 digits (BE0123.456.749)");
    }
    if !digits.starts_with('0') && !digits.starts_with('1') {
        return Err("it starts with 0 or 1 after BE");
    }
    let body: u64 = digits[..8].parse().map_err(|_| "it has 10 digits (BE0123.456.749)")?;
    let check: u64 = digits[8..].parse().map_err(|_| "it has 10 digits (BE0123.456.749)")?;
    if 97 - body % 97 == check { Ok(()) } else { Err("the check digits do not match; look for a typing error") }
}

fn dutch(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() == 12 && b[..9].iter().all(u8::is_ascii_digit) && b[9] == b'B' && b[10..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn belgian_numbers_are_checked_in_full() {
        for ok in ["BE0202239951", "BE 0417.497.106", "be0403170701", "0202.239.951"] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        let typo = check("BE0202239952").err().unwrap_or_default();
        assert!(typo.contains("check digits"), "{typo}");
        let short = check("BE020223995").err().unwrap_or_default();
        assert!(short.contains("10 digits"), "{short}");
        let start = check("BE2202239951").err().unwrap_or_default();
        assert!(start.contains("starts with 0 or 1"), "{start}");
    }

    #[test]
    fn dutch_numbers_are_checked_by_shape() {
        for ok in ["NL888888888B01", "nl 8888.88.888.b01", "888888888B01"] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        let bad = check("NL88888888B01").err().unwrap_or_default();
        assert!(bad.contains("Dutch") && bad.contains("NL123456789B01"), "{bad}");
    }

    #[test]
    fn other_countries_need_a_known_prefix() {
        assert_eq!(check("DE123456789"), Ok(()));
        assert_eq!(check("FR 12 345678901"), Ok(()));
        for bad in ["n.v.t.", "onbekend", "12345", "XX123456789"] {
            let why = check(bad).err().unwrap_or_default();
            assert!(why.contains("country code"), "{bad}: {why}");
        }
    }
}
