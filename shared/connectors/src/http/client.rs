//! The one `reqwest::Client` builder for provider calls.

use std::time::Duration;

/// How the provider client behaves on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Whole-request limit (connect, send, headers and body). A slower answer is a transport
    /// error that the retry policy may retry.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub user_agent: String,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: format!("Koppel/{} (+integration backend)", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// A client with rustls, the given timeouts, no redirects (a redirect would carry the
/// `Authorization` header somewhere we did not choose) and Koppel's user agent.
pub fn client(options: &ClientOptions) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(options.user_agent.clone())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_with_defaults() {
        let options = ClientOptions::default();
        assert!(options.user_agent.starts_with("Koppel/"));
        assert!(client(&options).is_ok());
    }
}
