//! The server's settings. Flags and their `VOXRUN_*` twins are declared in [`crate::cli`];
//! this is the validated result that the rest of the crate reads.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything `voxrun serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub data_dir: PathBuf,
    pub api_addr: SocketAddr,
    pub control_addr: SocketAddr,
    /// Host put in control URLs and `api_address`; defaults to the control listener's host.
    pub public_host: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub js_threads_max: usize,
    pub sessions_per_thread: usize,
    pub session_idle_timeout: Duration,
    pub session_max_duration: Duration,
    pub max_concurrent_starts: usize,
    /// How long a Promise returned by an HttpRequest handler is awaited (then 504).
    pub event_reply_timeout: Duration,
    pub net_allow: Vec<String>,
    /// Largest Management API request body.
    pub api_body_limit: usize,
    /// Largest control-URL request body.
    pub control_body_limit: usize,
}

impl ServeConfig {
    /// Defaults for tests: a data dir, both listeners on 127.0.0.1 port 0.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        ServeConfig {
            data_dir,
            api_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            control_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_host: None,
            tls_cert: None,
            tls_key: None,
            js_threads_max: 32,
            sessions_per_thread: 64,
            session_idle_timeout: Duration::from_secs(60),
            session_max_duration: Duration::from_secs(3600),
            max_concurrent_starts: 200,
            event_reply_timeout: Duration::from_secs(30),
            net_allow: Vec::new(),
            api_body_limit: 4 * 1024 * 1024,
            control_body_limit: 1024 * 1024,
        }
    }

    /// The host to advertise for a listener bound to `addr`.
    pub fn advertised_host(&self, addr: SocketAddr) -> String {
        if let Some(h) = &self.public_host {
            return h.clone();
        }
        if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        }
    }
}
