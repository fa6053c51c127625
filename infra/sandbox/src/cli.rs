//! Arguments of the `koppel-sandbox` binary.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::config::SandboxConfig;

pub const USAGE: &str = "koppel-sandbox — a local SnelStart B2B API stand-in

USAGE: koppel-sandbox [--port 9400] [--host 127.0.0.1] [--customers 1000] [--invoices 3000]
                      [--seed 7] [--token-ttl 3599] [--subscription-key KEY] [--client-key KEY]";

#[derive(Debug)]
pub enum Command {
    Run { addr: SocketAddr, config: SandboxConfig },
    Help,
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut config = SandboxConfig { customers: 1_000, invoices: 3_000, ..SandboxConfig::default() };
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port: u16 = 9400;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if matches!(flag.as_str(), "-h" | "--help") {
            return Ok(Command::Help);
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |what: &str| value.parse::<u64>().map_err(|_| format!("{what} must be a whole number, got '{value}'"));
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0-65535, got '{value}'"))?,
            "--host" => host = value.parse().map_err(|_| format!("--host must be an IP address, got '{value}'"))?,
            "--customers" => {
                config.customers = u32::try_from(number("--customers")?).map_err(|_| "--customers is too large")?
            }
            "--invoices" => {
                config.invoices = u32::try_from(number("--invoices")?).map_err(|_| "--invoices is too large")?
            }
            "--seed" => config.seed = number("--seed")?,
            "--token-ttl" => config.token_ttl = Duration::from_secs(number("--token-ttl")?),
            "--subscription-key" => config.subscription_key = value,
            "--client-key" => config.client_key = value,
            other => return Err(format!("unknown option {other}")),
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
        assert_eq!((addr.port(), config.customers, config.invoices, config.seed), (9400, 1_000, 3_000, 7));
        let parsed = parse(args(&[
            "--port",
            "9500",
            "--customers",
            "10",
            "--invoices",
            "20",
            "--seed",
            "3",
            "--token-ttl",
            "5",
        ]));
        let Ok(Command::Run { addr, config }) = parsed else { panic!("parses") };
        assert_eq!((addr.port(), config.customers, config.invoices, config.seed), (9500, 10, 20, 3));
        assert_eq!(config.token_ttl, Duration::from_secs(5));
    }

    #[test]
    fn mistakes_are_explained() {
        assert!(matches!(parse(args(&["--help"])), Ok(Command::Help)));
        for bad in [&["--port"][..], &["--port", "x"], &["--customers", "-1"], &["--what", "1"], &["--host", "nohost"]]
        {
            assert!(parse(args(bad)).is_err(), "{bad:?}");
        }
    }
}
