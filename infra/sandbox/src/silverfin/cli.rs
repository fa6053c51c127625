//! Arguments of the `koppel-silverfin-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::config::SilverfinConfig;

pub const DEFAULT_PORT: u16 = 9406;

pub const USAGE: &str = "koppel-silverfin-sandbox — a local Silverfin API (v4) stand-in

USAGE: koppel-silverfin-sandbox [--port 9406] [--host 127.0.0.1] [--companies 450] [--seed 7]
                                [--firm-id 4242] [--firm-name NAME] [--other-firm ID]...
                                [--years 2023-2027] [--access-token TOKEN]... [--oauth]

  --port 0 picks a free port. On start the first stdout line is SILVERFIN_BASE_URL=http://HOST:PORT.
  --access-token may be given several times (default: sandbox-silverfin-token), sent as Bearer.
  --other-firm serves one more firm (a few companies each); other firm ids answer 404.
  --oauth: also serve /oauth/authorize, /oauth/token and /f/{firm}/oauth/token (generic OAuth
           stand-in as Silverfin plays it: authorized_firm_id in the callback, single-use refresh
           tokens; demo client) and accept the access tokens it issues.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: SilverfinConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = SilverfinConfig::default();
    let mut tokens: Vec<String> = Vec::new();
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--oauth" => {
                config.oauth = true;
                continue;
            }
            "--port" | "--host" | "--companies" | "--seed" | "--firm-id" | "--firm-name" | "--other-firm"
            | "--years" | "--access-token" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let plain_id = |what: &str| {
            if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric()) {
                Ok(value.clone())
            } else {
                Err(format!("{what} must be letters and digits, got '{value}'"))
            }
        };
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--companies" => {
                config.companies =
                    value.parse().map_err(|_| format!("--companies must be a whole number, got '{value}'"))?
            }
            "--seed" => {
                config.seed = value.parse().map_err(|_| format!("--seed must be a whole number, got '{value}'"))?
            }
            "--firm-id" => config.firm_id = plain_id("--firm-id")?,
            "--firm-name" => config.firm_name = value,
            "--other-firm" => {
                let id = plain_id("--other-firm")?;
                config.other_firms.push((id.clone(), format!("Firm {id}")));
            }
            "--years" => {
                let (a, b) =
                    value.split_once('-').ok_or_else(|| format!("--years must be FIRST-LAST, got '{value}'"))?;
                let (a, b) = (a.trim().parse::<i32>(), b.trim().parse::<i32>());
                match (a, b) {
                    (Ok(a), Ok(b)) if (1900..=2100).contains(&a) && a <= b && b <= 2100 => {
                        (config.first_year, config.last_year) = (a, b)
                    }
                    _ => return Err(format!("--years must be FIRST-LAST between 1900 and 2100, got '{value}'")),
                }
            }
            _ if value.trim().is_empty() => return Err("--access-token may not be empty".into()),
            _ => tokens.push(value),
        }
    }
    if !tokens.is_empty() {
        config.access_tokens = tokens;
    }
    Ok(Command::Run { addr: SocketAddr::new(host, port), config })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::silverfin::config::{DEMO_ACCESS_TOKEN, DEMO_FIRM_ID};

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!((addr.port(), config.companies, config.firm_id.as_str()), (9406, 450, DEMO_FIRM_ID));
        assert_eq!((config.access_tokens, config.oauth), (vec![DEMO_ACCESS_TOKEN.to_string()], false));
        let parsed = parse(args(&[
            "--port",
            "0",
            "--companies",
            "1000",
            "--seed",
            "3",
            "--firm-id",
            "77",
            "--other-firm",
            "78",
            "--years",
            "2020-2030",
            "--access-token",
            "a",
            "--access-token",
            "b",
            "--oauth",
        ]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.companies, config.seed, config.firm_id.as_str()), (0, 1_000, 3, "77"));
        assert_eq!((config.first_year, config.last_year), (2020, 2030));
        assert_eq!(config.other_firms, vec![("78".to_string(), "Firm 78".to_string())]);
        assert_eq!(config.access_tokens, vec!["a".to_string(), "b".to_string()]);
        assert!(config.oauth);
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [
            &["--port"][..],
            &["--companies", "-1"],
            &["--what"],
            &["--access-token", " "],
            &["--firm-id", "a/b"],
            &["--years", "2030-2020"],
            &["--years", "x"],
        ] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
