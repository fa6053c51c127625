//! Arguments of the `koppel-fid-manager-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::config::{ApiUser, DEMO_PASSWORD, DEMO_USERNAME, FidManagerConfig};

pub const DEFAULT_PORT: u16 = 9410;

pub const USAGE: &str = "koppel-fid-manager-sandbox — a local Fid-Manager office stand-in

USAGE: koppel-fid-manager-sandbox [--port 9410] [--host 127.0.0.1] [--clients 300] [--seed 7]
                                  [--username NAME --password PASSWORD] [--partner-code CODE]...
                                  [--session-secs 1800]

  --port 0 picks a free port. On start the first stdout line is FID_MANAGER_BASE_URL=http://HOST:PORT
  (the connection's office address).
  Defaults: user koppel-api with the demo password and partner code SANDBOX-PARTNER (see
  docs/connectors/fid-manager.md); --partner-code may be given several times.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: FidManagerConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = FidManagerConfig::default();
    let (mut username, mut password) = (None, None);
    let mut codes: Vec<String> = Vec::new();
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--port" | "--host" | "--clients" | "--seed" | "--username" | "--password" | "--partner-code"
            | "--session-secs" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--clients" => {
                config.clients = usize::try_from(number("--clients")?).map_err(|_| "--clients is too large")?
            }
            "--seed" => config.seed = number("--seed")?,
            "--session-secs" => match number("--session-secs")? {
                0 => return Err("--session-secs must be at least 1".into()),
                s => config.session_ttl = Duration::from_secs(s),
            },
            _ if value.trim().is_empty() => return Err(format!("{flag} may not be empty")),
            "--username" => username = Some(value),
            "--password" => password = Some(value),
            _ => codes.push(value),
        }
    }
    if username.is_some() || password.is_some() {
        config.users = vec![ApiUser {
            username: username.unwrap_or_else(|| DEMO_USERNAME.into()),
            password: password.unwrap_or_else(|| DEMO_PASSWORD.into()),
        }];
    }
    if !codes.is_empty() {
        config.partner_codes = codes;
    }
    Ok(Command::Run { addr: SocketAddr::new(host, port), config })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fid_manager::config::DEMO_PARTNER_CODE;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!((addr.port(), config.clients, config.seed), (9410, 300, 7));
        assert_eq!(config.partner_codes, vec![DEMO_PARTNER_CODE.to_string()]);
        let parsed = parse(args(&[
            "--port",
            "0",
            "--clients",
            "5000",
            "--username",
            "u",
            "--partner-code",
            "A",
            "--partner-code",
            "B",
            "--session-secs",
            "60",
        ]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.clients, config.session_ttl), (0, 5_000, Duration::from_secs(60)));
        assert_eq!((config.users[0].username.as_str(), config.users[0].password.as_str()), ("u", DEMO_PASSWORD));
        assert_eq!(config.partner_codes, vec!["A".to_string(), "B".to_string()]);
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [&["--port"][..], &["--clients", "x"], &["--what"], &["--password", " "], &["--session-secs", "0"]] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
