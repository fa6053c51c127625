//! The SnelStart sandbox as a child process, so the benchmark's memory figures are the sync's alone.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::Args;

pub struct SandboxProcess {
    child: Child,
    pub base: String,
    pub subscription_key: String,
    pub client_key: String,
}

impl SandboxProcess {
    pub async fn start(args: &Args) -> Result<Self, String> {
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let child = Command::new(&args.sandbox)
            .args(["--port", &port.to_string(), "--customers", &args.customers.to_string()])
            .args(["--invoices", &args.invoices.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!("could not start {} (build it with cargo build --release -p koppel-sandbox): {e}", args.sandbox)
            })?;
        let me = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            subscription_key: "sandbox-subscription-key".into(),
            client_key: "sandbox-koppelsleutel".into(),
        };
        for _ in 0..600 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(me);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the sandbox did not start listening within 60 s".into())
    }

    pub fn api_base(&self) -> String {
        format!("{}/v2", self.base)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
