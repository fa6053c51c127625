//! Arguments of the `koppel-adminpulse-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::config::AdminPulseConfig;

pub const DEFAULT_PORT: u16 = 9403;

pub const USAGE: &str = "koppel-adminpulse-sandbox — a local AdminPulse API stand-in

USAGE: koppel-adminpulse-sandbox [--port 9403] [--host 127.0.0.1] [--relations 1000] [--seed 7]
                                 [--rate-limit 480 | --no-rate-limit] [--documents-rate-limit 50]
                                 [--api-key KEY]... [--not-ready-secs 300] [--oauth]

  --port 0 picks a free port. On start the first stdout line is ADMINPULSE_BASE_URL=http://HOST:PORT.
  --no-rate-limit turns off both limits; --documents-rate-limit 0 only that of documents/add.
  --api-key may be given several times (default: sandbox-adminpulse-key).
  --not-ready-secs: every key answers \"not ready yet\" (409) for that long after its first call.
  --oauth: also serve /oauth/authorize and /oauth/token (generic OAuth stand-in, demo client) and
           accept the access tokens it issues.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: AdminPulseConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = AdminPulseConfig { relations: 1_000, ..AdminPulseConfig::default() };
    let mut keys: Vec<String> = Vec::new();
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--no-rate-limit" => {
                config.rate_limit_per_minute = None;
                config.documents_per_minute = None;
                continue;
            }
            "--oauth" => {
                config.oauth = true;
                continue;
            }
            "--port"
            | "--host"
            | "--relations"
            | "--seed"
            | "--rate-limit"
            | "--documents-rate-limit"
            | "--api-key"
            | "--not-ready-secs" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--relations" => {
                config.relations = usize::try_from(number("--relations")?).map_err(|_| "--relations is too large")?
            }
            "--seed" => config.seed = number("--seed")?,
            "--rate-limit" => {
                let n = u32::try_from(number("--rate-limit")?).map_err(|_| "--rate-limit is too large")?;
                config.rate_limit_per_minute = (n > 0).then_some(n);
            }
            "--documents-rate-limit" => {
                let n = u32::try_from(number("--documents-rate-limit")?)
                    .map_err(|_| "--documents-rate-limit is too large")?;
                config.documents_per_minute = (n > 0).then_some(n);
            }
            "--not-ready-secs" => {
                let secs = number("--not-ready-secs")?;
                config.not_ready_after_first_use = (secs > 0).then(|| Duration::from_secs(secs));
            }
            _ if value.trim().is_empty() => return Err("--api-key may not be empty".into()),
            _ => keys.push(value),
        }
    }
    if !keys.is_empty() {
        config.api_keys = keys;
    }
    Ok(Command::Run { addr: SocketAddr::new(host, port), config })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adminpulse::config::DEMO_API_KEY;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!(
            (addr.port(), config.relations, config.seed, config.rate_limit_per_minute),
            (9403, 1_000, 7, Some(480))
        );
        assert_eq!((config.api_keys, config.not_ready_after_first_use), (vec![DEMO_API_KEY.to_string()], None));
        assert!(!config.oauth);
        assert_eq!(config.documents_per_minute, Some(50));
        let parsed = parse(args(&[
            "--port",
            "0",
            "--relations",
            "50000",
            "--seed",
            "3",
            "--no-rate-limit",
            "--api-key",
            "a",
            "--api-key",
            "b",
            "--not-ready-secs",
            "300",
            "--oauth",
        ]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.relations, config.seed, config.rate_limit_per_minute), (0, 50_000, 3, None));
        assert_eq!(config.api_keys, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(config.not_ready_after_first_use, Some(Duration::from_secs(300)));
        assert!(config.oauth);
        assert_eq!(config.documents_per_minute, None, "--no-rate-limit turns off both");
        let Ok(Command::Run { config, .. }) = parse(args(&["--rate-limit", "0"])) else { panic!("parses") };
        assert_eq!(config.rate_limit_per_minute, None, "0 means off");
        let Ok(Command::Run { config, .. }) = parse(args(&["--documents-rate-limit", "5"])) else { panic!("parses") };
        assert_eq!((config.rate_limit_per_minute, config.documents_per_minute), (Some(480), Some(5)));
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [&["--port"][..], &["--port", "x"], &["--relations", "-1"], &["--what"], &["--api-key", " "]] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
