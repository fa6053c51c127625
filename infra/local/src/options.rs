//! Command-line options of the local runner.

use std::path::PathBuf;

pub const USAGE: &str = "usage: koppel-local [--demo] [--demo-flexmail] [--demo-import] [--demo-meetings] [--port PORT] [--data-dir DIR] [--demo-customers N] [--demo-invoices N] [--exit-after-demo]

  --demo              start a SnelStart sandbox, seed tenant 'demo-firm' with platform customers and a
                      SnelStart connection against the sandbox, and run Sync all
  --demo-flexmail     start a Flexmail stand-in, seed tenant 'demo-firm' with platform contacts and an
                      active Flexmail connection (webhooks registered at this runner), run Sync all,
                      then fire an unsubscribe and a click from the stand-in (combines with --demo)
  --demo-import       start AdminPulse (OAuth) and Admin IS stand-ins and, through this runner's API: connect
                      AdminPulse with OAuth and import, rename a relation and sync again, connect Admin IS
                      with a key and an http:// office address, and import a spreadsheet with bad rows
  --demo-meetings     start AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin and Zoho stand-ins and,
                      through this runner's API: connect all six (three with OAuth), store a meeting with a
                      target per connection, send it, send it again (nothing new), change a note and send
  --port PORT         API port on 127.0.0.1 (default 8080)
  --data-dir DIR      where the embedded store, secrets and schedules live (default .koppel)
  --exit-after-demo   stop after the demo(s) finished (used by tests)";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub port: u16,
    pub data_dir: PathBuf,
    pub demo: bool,
    /// `--demo-flexmail`: the Flexmail demo (with `--demo` too, it runs after the SnelStart one).
    pub demo_flexmail: bool,
    /// `--demo-import`: the import demo (issue 4), after the other demos when combined.
    pub demo_import: bool,
    /// `--demo-meetings`: the meeting-push demo (issue 5), last when combined.
    pub demo_meetings: bool,
    pub demo_customers: u32,
    pub demo_invoices: u32,
    pub exit_after_demo: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            port: 8080,
            data_dir: PathBuf::from(".koppel"),
            demo: false,
            demo_flexmail: false,
            demo_import: false,
            demo_meetings: false,
            demo_customers: 200,
            demo_invoices: 600,
            exit_after_demo: false,
        }
    }
}

impl Options {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut o = Options::default();
        let mut args = args.peekable();
        while let Some(a) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match a.as_str() {
                "--demo" => o.demo = true,
                "--demo-flexmail" => o.demo_flexmail = true,
                "--demo-import" => o.demo_import = true,
                "--demo-meetings" => o.demo_meetings = true,
                "--exit-after-demo" => o.exit_after_demo = true,
                "--port" => o.port = value("--port")?.parse().map_err(|_| "--port must be a number".to_string())?,
                "--data-dir" => o.data_dir = PathBuf::from(value("--data-dir")?),
                "--demo-customers" => {
                    o.demo_customers =
                        value("--demo-customers")?.parse().map_err(|_| "--demo-customers must be a number")?
                }
                "--demo-invoices" => {
                    o.demo_invoices =
                        value("--demo-invoices")?.parse().map_err(|_| "--demo-invoices must be a number")?
                }
                "-h" | "--help" => return Err("help".into()),
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags_and_refuses_unknown_ones() {
        let o = Options::parse(["--demo", "--port", "9000"].into_iter().map(String::from)).unwrap();
        assert!(o.demo);
        assert!(!o.demo_flexmail);
        assert_eq!(o.port, 9000);
        let o =
            Options::parse(["--demo-flexmail", "--demo", "--exit-after-demo"].into_iter().map(String::from)).unwrap();
        assert!(o.demo && o.demo_flexmail && o.exit_after_demo);
        assert!(!o.demo_import);
        let o = Options::parse(["--demo-import", "--data-dir", "/tmp/x"].into_iter().map(String::from)).unwrap();
        assert!(o.demo_import && !o.demo && !o.demo_flexmail);
        assert_eq!(o.data_dir, PathBuf::from("/tmp/x"));
        assert!(Options::parse(["--port"].into_iter().map(String::from)).is_err());
        assert!(Options::parse(["--port", "x"].into_iter().map(String::from)).is_err());
        assert!(Options::parse(["--nope"].into_iter().map(String::from)).is_err());
    }
}
