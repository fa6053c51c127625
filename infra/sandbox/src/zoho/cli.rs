//! Arguments of the `koppel-zoho-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::config::ZohoConfig;

pub const DEFAULT_PORT: u16 = 9406;

pub const USAGE: &str = "koppel-zoho-sandbox — a local Zoho CRM (v8) + WorkDrive stand-in

USAGE: koppel-zoho-sandbox [--port 9406] [--host 127.0.0.1] [--events 500] [--seed 7]
                           [--access-token TOKEN]... [--workdrive-folder ID]... [--oauth]

  --port 0 picks a free port. On start the first stdout line is ZOHO_BASE_URL=http://HOST:PORT
  (a connection's api_domain).
  --access-token may be given several times (default: the demo token, see docs/connectors/zoho.md).
  --workdrive-folder may be given several times (default: kpl0demo0workdrive0folder).
  --oauth: also serve /oauth/v2/auth and /oauth/v2/token (generic OAuth stand-in, Zoho flavour:
           accounts-server and api_domain point here) and accept the access tokens it issues.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: ZohoConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = ZohoConfig::default();
    let (mut tokens, mut folders) = (Vec::new(), Vec::new());
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
            "--port" | "--host" | "--events" | "--seed" | "--access-token" | "--workdrive-folder" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--events" => config.events = usize::try_from(number("--events")?).map_err(|_| "--events is too large")?,
            "--seed" => config.seed = number("--seed")?,
            _ if value.trim().is_empty() => return Err(format!("{flag} may not be empty")),
            "--access-token" => tokens.push(value),
            _ => folders.push(value),
        }
    }
    if !tokens.is_empty() {
        config.access_tokens = tokens;
    }
    if !folders.is_empty() {
        config.workdrive_folders = folders;
    }
    Ok(Command::Run { addr: SocketAddr::new(host, port), config })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zoho::config::{DEMO_ACCESS_TOKEN, DEMO_WORKDRIVE_FOLDER};

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!((addr.port(), config.events, config.seed, config.oauth), (9406, 500, 7, false));
        assert_eq!(config.access_tokens, vec![DEMO_ACCESS_TOKEN.to_string()]);
        assert_eq!(config.workdrive_folders, vec![DEMO_WORKDRIVE_FOLDER.to_string()]);
        let parsed = parse(args(&[
            "--port",
            "0",
            "--events",
            "3000",
            "--seed",
            "3",
            "--access-token",
            "a",
            "--access-token",
            "b",
            "--workdrive-folder",
            "f1",
            "--oauth",
        ]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.events, config.seed, config.oauth), (0, 3_000, 3, true));
        assert_eq!(config.access_tokens, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(config.workdrive_folders, vec!["f1".to_string()]);
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [&["--port"][..], &["--port", "x"], &["--events", "-1"], &["--what"], &["--access-token", " "]] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
