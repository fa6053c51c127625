//! Arguments of the `koppel-odoo-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::config::{OdooConfig, OdooKey};

pub const DEFAULT_PORT: u16 = 9405;

pub const USAGE: &str = "koppel-odoo-sandbox — a local Odoo JSON-2 API stand-in (Odoo 19)

USAGE: koppel-odoo-sandbox [--port 9405] [--host 127.0.0.1] [--partners 300] [--events 200] [--seed 7]
                           [--database koppel-demo] [--api-key KEY] [--version 19.0]

  --port 0 picks a free port. On start the first stdout line is ODOO_BASE_URL=http://HOST:PORT.
  --database: the database served (default koppel-demo); --api-key: the key it accepts
  (default: the demo key in docs/connectors/odoo.md). Both may be given several times, in pairs.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: OdooConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = OdooConfig::default();
    let (mut databases, mut keys): (Vec<String>, Vec<String>) = (vec![], vec![]);
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--port" | "--host" | "--partners" | "--events" | "--seed" | "--database" | "--api-key" | "--version" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<usize>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--partners" => config.partners = number("--partners")?,
            "--events" => config.events = number("--events")?,
            "--seed" => {
                config.seed = value.parse().map_err(|_| format!("--seed must be a whole number, got '{value}'"))?
            }
            "--version" => config.version = value,
            _ if value.trim().is_empty() => return Err(format!("{flag} may not be empty")),
            "--database" => databases.push(value),
            _ => keys.push(value),
        }
    }
    if !databases.is_empty() || !keys.is_empty() {
        if databases.len() != keys.len() {
            return Err("give --database and --api-key in pairs".into());
        }
        config.keys = databases.iter().zip(&keys).map(|(d, k)| OdooKey::new(d, k)).collect();
        databases.dedup();
        config.databases = databases;
    }
    Ok(Command::Run { addr: SocketAddr::new(host, port), config })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odoo::config::{DEMO_API_KEY, DEMO_DATABASE};

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!((addr.port(), config.partners, config.events, config.seed), (9405, 300, 200, 7));
        assert_eq!(config.databases, vec![DEMO_DATABASE.to_string()]);
        assert_eq!(config.keys, vec![OdooKey::new(DEMO_DATABASE, DEMO_API_KEY)]);
        let parsed = parse(args(&[
            "--port",
            "0",
            "--partners",
            "5000",
            "--events",
            "9",
            "--seed",
            "3",
            "--database",
            "a",
            "--api-key",
            "k1",
            "--database",
            "b",
            "--api-key",
            "k2",
            "--version",
            "saas~19.1",
        ]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.partners, config.events, config.seed), (0, 5000, 9, 3));
        assert_eq!(config.databases, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(config.keys, vec![OdooKey::new("a", "k1"), OdooKey::new("b", "k2")]);
        assert_eq!(config.version, "saas~19.1");
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--partners", "-1"],
            &["--what"],
            &["--api-key", " "],
            &["--database", "a"],
        ] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
