//! Arguments of the `koppel-adminis-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use super::config::AdminIsConfig;

pub const DEFAULT_PORT: u16 = 9402;

pub const USAGE: &str = "koppel-adminis-sandbox — a local Admin IS / Admin Consult (Syneton) API stand-in

USAGE: koppel-adminis-sandbox [--port 9402] [--host 127.0.0.1] [--customers 1000] [--seed 7]
                              [--rate-limit 120 | --no-rate-limit] [--max-per-page 500] [--api-key KEY]

  --port 0 picks a free port. On start the first stdout line is ADMINIS_BASE_URL=http://HOST:PORT.
  --no-rate-limit still reports --rate-limit in /api/v1/apisettings, but never throttles.";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: AdminIsConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = AdminIsConfig { customers: 1_000, ..AdminIsConfig::default() };
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--no-rate-limit" => {
                config.enforce_rate_limit = false;
                continue;
            }
            "--port" | "--host" | "--customers" | "--seed" | "--rate-limit" | "--max-per-page" | "--api-key" => {}
            other => return Err(format!("unknown option {other}")),
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        let small =
            |what: &str| number(what).and_then(|n| u32::try_from(n).map_err(|_| format!("{what} is too large")));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--customers" => {
                config.customers = usize::try_from(number("--customers")?).map_err(|_| "--customers is too large")?
            }
            "--seed" => config.seed = number("--seed")?,
            "--rate-limit" => config.rate_limit = small("--rate-limit")?,
            "--max-per-page" => config.max_per_page = small("--max-per-page")?.max(1),
            _ => config.api_key = value,
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
            (addr.port(), config.customers, config.rate_limit, config.enforce_rate_limit),
            (9402, 1_000, 120, true)
        );
        let parsed = parse(args(&["--port", "0", "--customers", "50000", "--no-rate-limit", "--max-per-page", "250"]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!(
            (addr.port(), config.customers, config.enforce_rate_limit, config.max_per_page),
            (0, 50_000, false, 250)
        );
        let Ok(Command::Run { config, .. }) = parse(args(&["--api-key", "k", "--rate-limit", "30"])) else {
            panic!("parses")
        };
        assert_eq!((config.api_key.as_str(), config.rate_limit), ("k", 30));
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in
            [&["--port"][..], &["--port", "x"], &["--customers", "-1"], &["--what"], &["--rate-limit", "99999999999"]]
        {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
