//! A moto server (local AWS emulator) on 127.0.0.1 for the AWS adapters' tests.
//!
//! Each [`MotoServer`] is its own process on its own free port, so tests can run in parallel
//! without seeing each other's tables, secrets or schedules. The process is killed on drop.
//! The binary comes from `KOPPEL_MOTO_SERVER`, else `moto_server` on `PATH`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Environment variable naming the `moto_server` binary (set by `infra/test.sh`).
pub const MOTO_SERVER_ENV: &str = "KOPPEL_MOTO_SERVER";
/// The region the emulator's clients should use.
pub const REGION: &str = "eu-west-1";

const NOT_FOUND: &str = "moto_server not found: run infra/test.sh, which installs it";
const READY_WITHIN: Duration = Duration::from_secs(30);
const PORT_ATTEMPTS: usize = 5;

pub struct MotoServer {
    /// `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL` or an SDK config's `endpoint_url`.
    pub endpoint: String,
    pub port: u16,
    child: Child,
}

impl std::fmt::Debug for MotoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MotoServer").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

impl MotoServer {
    /// Start a server on a free port of 127.0.0.1 and wait until it answers.
    ///
    /// Panics when the binary is missing or the server does not come up: this is test setup.
    pub async fn start() -> MotoServer {
        let binary = binary();
        let mut last_problem = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port();
            let child = Command::new(&binary)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let child = match child {
                Ok(child) => child,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!("{NOT_FOUND}"),
                Err(e) => panic!("could not start {}: {e}", binary.display()),
            };
            let mut server = MotoServer { endpoint: format!("http://127.0.0.1:{port}"), port, child };
            match server.wait_until_ready().await {
                Ok(()) => return server,
                // Most likely the port was taken between choosing and binding it: try another.
                Err(problem) => last_problem = problem,
            }
        }
        panic!("moto_server did not start: {last_problem}");
    }

    /// Forget every resource (`POST /moto-api/reset`).
    pub async fn reset(&self) {
        match request(self.port, "POST", "/moto-api/reset").await {
            Ok(200) => {}
            Ok(status) => panic!("moto reset answered HTTP {status}"),
            Err(e) => panic!("moto reset failed: {e}"),
        }
    }

    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("moto_server exited with {status}"));
            }
            if let Ok(200) = request(self.port, "GET", "/moto-api/data.json").await {
                // Still ours? (Another server may have grabbed the port while ours failed.)
                return match self.child.try_wait() {
                    Ok(None) => Ok(()),
                    _ => Err("moto_server exited while starting".into()),
                };
            }
            if started.elapsed() > READY_WITHIN {
                return Err(format!("no answer on port {} within {READY_WITHIN:?}", self.port));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `KOPPEL_MOTO_SERVER`, else `moto_server` found on `PATH`.
fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os(MOTO_SERVER_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "{NOT_FOUND} ({MOTO_SERVER_ENV}={} does not exist)", path.display());
        return path;
    }
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|dir| dir.join("moto_server")).find(|p| p.is_file()))
        .unwrap_or_else(|| panic!("{NOT_FOUND}"))
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
    listener.local_addr().expect("local address").port()
}

/// One HTTP/1.1 request without a body; answers the status code.
async fn request(port: u16, method: &str, path: &str) -> std::io::Result<u16> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        let text = String::from_utf8_lossy(&answer);
        text.split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP answer"))
    };
    tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer within 5 s"))?
}
