//! Arguments of the `koppel-brokercloud-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::config::BrokercloudConfig;

pub const DEFAULT_PORT: u16 = 9404;

pub const USAGE: &str = "koppel-brokercloud-sandbox — a local Brokercloud API stand-in

USAGE: koppel-brokercloud-sandbox [--port 9404] [--host 127.0.0.1] [--parties 400] [--seed 7]
                                  [--access-token TOKEN]... [--oauth]

  --port 0 picks a free port. On start the first stdout line is BROKERCLOUD_BASE_URL=http://HOST:PORT.
  --access-token may be given several times (default: sandbox-brokercloud-token), sent as Bearer.
  --oauth: also serve /oauth/v2/auth and /oauth/v2/token (generic OAuth stand-in, demo client) and
           accept the access tokens it issues.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: BrokercloudConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = BrokercloudConfig::default();
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
            "--port" | "--host" | "--parties" | "--seed" | "--access-token" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--parties" => {
                config.parties = usize::try_from(number("--parties")?).map_err(|_| "--parties is too large")?
            }
            "--seed" => config.seed = number("--seed")?,
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
    use crate::brokercloud::config::DEMO_ACCESS_TOKEN;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!((addr.port(), config.parties, config.seed, config.oauth), (9404, 400, 7, false));
        assert_eq!(config.access_tokens, vec![DEMO_ACCESS_TOKEN.to_string()]);
        let parsed = parse(args(&["--port", "0", "--parties", "5000", "--access-token", "a", "--oauth"]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.parties, config.oauth), (0, 5_000, true));
        assert_eq!(config.access_tokens, vec!["a".to_string()]);
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [&["--port"][..], &["--parties", "x"], &["--what"], &["--access-token", " "]] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
