//! The Flexmail stand-in (`koppel-flexmail-sandbox`) as a child process with its rate limit
//! off, so the benchmark's memory and CPU figures are Koppel's alone; and its call counter
//! (`/_admin/stats`, read with a plain HTTP/1.1 request: no HTTP client dependency needed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

pub struct StandIn {
    child: Child,
    pub base_url: String,
}

impl StandIn {
    /// Start `binary --port 0 --contacts N --no-rate-limit` and read its first stdout line
    /// (`FLEXMAIL_BASE_URL=…`).
    pub fn start(binary: &str, contacts: usize) -> Result<Self, String> {
        let mut child = Command::new(binary)
            .args(["--port", "0", "--contacts", &contacts.to_string(), "--no-rate-limit"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!("could not start {binary} (build it with cargo build --release -p koppel-sandbox): {e}")
            })?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let Some(base_url) = first.strip_prefix("FLEXMAIL_BASE_URL=").map(str::to_string) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the stand-in's first line was {first:?}, not FLEXMAIL_BASE_URL=…"));
        };
        // Keep reading what else it prints, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Self { child, base_url })
    }

    /// One admin request; the response body.
    fn admin(&self, method: &str, path: &str) -> Result<String, String> {
        let host = self.base_url.trim_start_matches("http://").trim_end_matches('/');
        let mut tcp = TcpStream::connect(host).map_err(|e| format!("{host}: {e}"))?;
        let request = format!(
            "{method} /_admin/{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        tcp.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).map_err(|e| e.to_string())?;
        let (head, body) = answer.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
        if !head.starts_with("HTTP/1.1 2") {
            return Err(format!("{method} /_admin/{path}: {}", head.lines().next().unwrap_or_default()));
        }
        Ok(body.to_string())
    }

    /// Calls the stand-in counted since the last reset (`GET /_admin/stats`, field `total`).
    pub fn calls(&self) -> Result<u64, String> {
        let body = self.admin("GET", "stats")?;
        // The body may be chunked; `"total":N` is read where it stands.
        let at = body.find("\"total\":").ok_or_else(|| format!("no total in the stats: {body:.200}"))?;
        let digits: String = body[at + 8..].trim_start().chars().take_while(char::is_ascii_digit).collect();
        digits.parse().map_err(|_| format!("total is not a number: {body:.200}"))
    }

    pub fn reset_calls(&self) -> Result<(), String> {
        self.admin("POST", "stats/reset").map(drop)
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
