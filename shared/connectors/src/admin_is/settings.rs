//! `GET /api/v1/apisettings` → `DefaultRecordsPerPage`, `MaxRecordsPerPage`, `DurationToken`,
//! `RateLimit` (S). Read once per session, before the first data call.

use serde_json::Value;

use super::assumptions::FALLBACK_PER_PAGE;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiSettings {
    pub default_per_page: Option<u32>,
    pub max_per_page: Option<u32>,
    /// As the install reports it (unit unconfirmed; not used for the token, whose answer carries
    /// its own `TimeToLive`).
    pub duration_token: Option<u64>,
    /// Calls per ~60 s; `None` or 0 = no limit.
    pub rate_limit: Option<u32>,
}

impl ApiSettings {
    /// The page size Koppel asks for: `MaxRecordsPerPage`, else `DefaultRecordsPerPage`, else
    /// [`FALLBACK_PER_PAGE`].
    pub fn per_page(&self) -> u32 {
        self.max_per_page.or(self.default_per_page).filter(|n| *n > 0).unwrap_or(FALLBACK_PER_PAGE)
    }

    /// One sentence for the Test API result.
    pub fn describe(&self) -> String {
        let limit = match self.rate_limit.filter(|l| *l > 0) {
            Some(l) => format!("at most {l} calls a minute"),
            None => "no call limit".to_string(),
        };
        format!("{limit}, {} customers per page", self.per_page())
    }
}

/// Reads the settings object (keys in any case; numbers as numbers or digit strings). A body that
/// is not an object is an error; missing fields are `None`.
pub fn parse(body: &str) -> Result<ApiSettings, String> {
    let value = serde_json::from_str::<Value>(body).map_err(|_| "the API settings are not JSON".to_string())?;
    let map = value.as_object().ok_or_else(|| "the API settings are not a JSON object".to_string())?;
    let number = |name: &str| -> Option<u64> {
        let v = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)?;
        match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let small = |name: &str| number(name).map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    Ok(ApiSettings {
        default_per_page: small("DefaultRecordsPerPage"),
        max_per_page: small("MaxRecordsPerPage"),
        duration_token: number("DurationToken"),
        rate_limit: small("RateLimit"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_settings() {
        let s = parse(r#"{"DefaultRecordsPerPage":50,"MaxRecordsPerPage":500,"DurationToken":20,"RateLimit":120}"#);
        assert_eq!(
            s,
            Ok(ApiSettings {
                default_per_page: Some(50),
                max_per_page: Some(500),
                duration_token: Some(20),
                rate_limit: Some(120)
            })
        );
        assert_eq!(
            s.map(|s| (s.per_page(), s.describe())),
            Ok((500, "at most 120 calls a minute, 500 customers per page".into()))
        );
        let strings = parse(r#"{"maxrecordsperpage":"250","RateLimit":"0"}"#);
        assert_eq!(strings.map(|s| (s.per_page(), s.rate_limit)), Ok((250, Some(0))));
        assert_eq!(parse(r#"{"DefaultRecordsPerPage":40}"#).map(|s| s.per_page()), Ok(40));
        assert_eq!(
            parse("{}").map(|s| (s.per_page(), s.describe())),
            Ok((100, "no call limit, 100 customers per page".into()))
        );
        assert!(parse("[]").is_err());
        assert!(parse("nope").is_err());
    }
}
