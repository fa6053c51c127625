//! Arguments of the `koppel-flexmail-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::config::FlexmailConfig;

pub const DEFAULT_PORT: u16 = 9401;

pub const USAGE: &str = "koppel-flexmail-sandbox — a local Flexmail REST API stand-in

USAGE: koppel-flexmail-sandbox [--port 9401] [--host 127.0.0.1] [--contacts 1000] [--seed 7]
                               [--rate-limit 60 | --no-rate-limit] [--account-id 100200] [--token TOKEN]

  --port 0 picks a free port. On start the first stdout line is FLEXMAIL_BASE_URL=http://HOST:PORT.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: FlexmailConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = FlexmailConfig { contacts: 1_000, ..FlexmailConfig::default() };
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--no-rate-limit" => {
                config.rate_limit_per_minute = None;
                continue;
            }
            "--port" | "--host" | "--contacts" | "--seed" | "--rate-limit" | "--account-id" | "--token" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--contacts" => {
                config.contacts = usize::try_from(number("--contacts")?).map_err(|_| "--contacts is too large")?
            }
            "--seed" => config.seed = number("--seed")?,
            "--rate-limit" => {
                let n = u32::try_from(number("--rate-limit")?).map_err(|_| "--rate-limit is too large")?;
                config.rate_limit_per_minute = (n > 0).then_some(n);
            }
            "--account-id" => config.account_id = value,
            _ => config.token = value,
        }
    }
    Ok(Command::Run { addr: SocketAddr::new(host, port), config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run { addr, config }) = parse(args(&[])) else { panic!("parses") };
        assert_eq!(
            (addr.port(), config.contacts, config.seed, config.rate_limit_per_minute),
            (9401, 1_000, 7, Some(60))
        );
        let parsed = parse(args(&["--port", "0", "--contacts", "100000", "--seed", "3", "--rate-limit", "120"]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!(
            (addr.port(), config.contacts, config.seed, config.rate_limit_per_minute),
            (0, 100_000, 3, Some(120))
        );
        let Ok(Command::Run { config, .. }) = parse(args(&["--no-rate-limit", "--token", "t"])) else {
            panic!("parses")
        };
        assert_eq!((config.rate_limit_per_minute, config.token.as_str()), (None, "t"));
        let Ok(Command::Run { config, .. }) = parse(args(&["--rate-limit", "0"])) else { panic!("parses") };
        assert_eq!(config.rate_limit_per_minute, None, "0 means off");
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--contacts", "-1"],
            &["--what", "1"],
            &["--what"],
            &["--rate-limit", "x"],
        ] {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
