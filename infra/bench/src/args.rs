//! Benchmark options.

#[derive(Debug, Clone)]
pub struct Args {
    pub customers: usize,
    pub invoices: usize,
    /// The sandbox binary (built by `cargo build --release -p koppel-sandbox`).
    pub sandbox: String,
}

impl Args {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut a = Args { customers: 100_000, invoices: 100_000, sandbox: "target/release/koppel-sandbox".into() };
        let mut it = args;
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--customers" => a.customers = value()?.parse().map_err(|_| "--customers must be a number")?,
                "--invoices" => a.invoices = value()?.parse().map_err(|_| "--invoices must be a number")?,
                "--sandbox" => a.sandbox = value()?,
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(a)
    }
}
