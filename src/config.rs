//! The server's settings. Flags and their `VOXRUN_*` twins are declared in [`crate::cli`];
//! this is the validated result that the rest of the crate reads.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything `voxrun serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub data_dir: PathBuf,
    /// The account's name (`--account-name`); `None` keeps the data dir's.
    pub account_name: Option<String>,
    /// A voxengine-ci project folder kept loaded into the store (`--voxfiles`).
    pub voxfiles: Option<PathBuf>,
    pub api_addr: SocketAddr,
    pub control_addr: SocketAddr,
    /// Host put in control URLs and `api_address`; defaults to the control listener's host.
    pub public_host: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Worker processes that run scenario code (docs/isolation.md).
    pub js_workers: usize,
    /// `RLIMIT_AS` of each worker, bytes.
    pub worker_memory_max: u64,
    /// A worker past this RSS (bytes) is replaced once its sessions have ended.
    pub worker_recycle_rss: u64,
    /// The binary started as `voxrun worker`; `None`: this process's own executable.
    pub worker_exe: Option<PathBuf>,
    /// JS threads per worker process.
    pub js_threads_max: usize,
    pub sessions_per_thread: usize,
    pub session_idle_timeout: Duration,
    pub session_max_duration: Duration,
    /// Total script CPU of one session.
    pub session_cpu_max: Duration,
    /// Open connections per listener.
    pub max_connections: usize,
    pub max_concurrent_starts: usize,
    /// How long a Promise returned by an HttpRequest handler is awaited (then 504).
    pub event_reply_timeout: Duration,
    pub net_allow: Vec<String>,
    /// `--clock virtual`: calls' media and far-end waits take no time (timers stay real).
    pub instant_media: bool,
    /// Largest Management API request body.
    pub api_body_limit: usize,
    /// Largest control-URL request body.
    pub control_body_limit: usize,
}

const GIB: u64 = 1024 * 1024 * 1024;

/// One worker per core, at least two (so that one crash never leaves the server without one).
pub fn default_js_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .max(2)
}

/// The supervisor's runtime threads: half the cores, at least one. The workers' JS threads
/// do the heavy work on the other cores, and on 2 cores a second supervisor thread cost
/// more in cross-thread wake-ups than it gave (BENCHMARKS.md, "The supervisor's threads").
pub fn default_io_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .div_ceil(2)
        .max(1)
}

/// `2G`, `512M`, `512MiB`, `64k` or a plain number of bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (num, unit) = lower.split_at(digits_end);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{text:?} is not a size (say 512M or 2G)"))?;
    let mult: u64 = match unit.trim() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => GIB,
        _ => return Err(format!("{text:?} is not a size (say 512M or 2G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("{text:?} is too large"))
}

impl ServeConfig {
    /// Defaults for tests: a data dir, both listeners on 127.0.0.1 port 0.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        ServeConfig {
            data_dir,
            account_name: None,
            voxfiles: None,
            api_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            control_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_host: None,
            tls_cert: None,
            tls_key: None,
            js_workers: default_js_workers(),
            worker_memory_max: 2 * GIB,
            worker_recycle_rss: GIB,
            worker_exe: None,
            js_threads_max: 32,
            sessions_per_thread: 64,
            session_idle_timeout: Duration::from_secs(60),
            session_max_duration: Duration::from_secs(3600),
            session_cpu_max: Duration::from_secs(60),
            max_connections: 10_000,
            max_concurrent_starts: 200,
            event_reply_timeout: Duration::from_secs(30),
            net_allow: Vec::new(),
            instant_media: false,
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

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_the_usual_suffixes() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }
}
