//! `voxrun serve`: flags to configuration, tracing, signals, the server.

use super::{ClockArg, LogFormat, ServeArgs};
use crate::config::ServeConfig;

impl ServeArgs {
    pub fn to_config(&self) -> ServeConfig {
        let mut c = ServeConfig::for_data_dir(self.data_dir.clone());
        c.account_name = self.account_name.clone();
        c.voxfiles = self.voxfiles.clone();
        c.api_addr = self.api_addr;
        c.control_addr = self.control_addr;
        c.public_host = self.public_host.clone();
        c.tls_cert = self.tls_cert.clone();
        c.tls_key = self.tls_key.clone();
        if let Some(n) = self.js_workers {
            c.js_workers = n as usize;
        }
        c.worker_memory_max = self.worker_memory_max;
        c.worker_recycle_rss = self.worker_recycle_rss;
        c.session_cpu_max = std::time::Duration::from_secs(self.session_cpu_max);
        c.max_connections = self.max_connections as usize;
        c.js_threads_max = self.js_threads_max as usize;
        c.sessions_per_thread = self.sessions_per_thread as usize;
        c.session_idle_timeout = std::time::Duration::from_secs(self.session_idle_timeout);
        c.session_max_duration = std::time::Duration::from_secs(self.session_max_duration);
        c.max_concurrent_starts = self.max_concurrent_starts as usize;
        c.event_reply_timeout = std::time::Duration::from_secs(self.event_reply_timeout);
        c.net_allow = self.net_allow.clone();
        c.instant_media = self.clock == ClockArg::Virtual;
        c
    }
}

/// Logs on stderr: `RUST_LOG` (default `info`), colours only when stderr is a terminal
/// (and `NO_COLOR` is unset), so a pipe or a file gets plain text.
fn init_tracing(format: LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

pub(super) fn serve(args: ServeArgs) -> Result<(), String> {
    init_tracing(args.log_format);
    let config = args.to_config();
    let io_threads = args
        .io_threads
        .map_or_else(crate::config::default_io_threads, |n| n as usize);
    // One thread: tokio's single-thread scheduler, whose task polls and wake-ups cost less
    // than a one-thread pool's, and which also runs the main future on that thread
    // (BENCHMARKS.md, session 17).
    let mut builder = if io_threads == 1 {
        let mut b = tokio::runtime::Builder::new_current_thread();
        // While a worker owes an answer, poll for it briefly before sleeping
        // (crate::worker::spin). Measured with this one thread only: in a pool, every idle
        // thread would spin on the one I/O driver.
        b.on_thread_park(crate::session::awaited::before_park);
        b
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(io_threads);
        b
    };
    let rt = builder
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    crate::session::awaited::watch_runtime();
    rt.block_on(async move {
        // Handlers first, so a signal that arrives right after the ready lines is caught.
        let signals = Signals::install()?;
        let server = crate::app::Server::bind(config).await?;
        // Before the ready lines: whoever waits for them can use the session tools at once.
        let data_dir = server.data.path.clone();
        super::server_file::ServerFile::write(&data_dir, server.api_addr)?;
        println!(
            "voxrun API listening on https://{0} and http://{0}",
            server.api_addr
        );
        println!(
            "voxrun control listening on https://{0} and http://{0}",
            server.control_addr
        );
        println!("credentials: {}", server.data.credentials.display());
        println!("certificate: {}", server.cert_path.display());
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            signals.wait().await;
            tracing::info!("shutting down");
            let _ = tx.send(true);
        });
        let served = server.serve(rx).await;
        super::server_file::ServerFile::remove_own(&data_dir);
        served
    })
}

/// SIGINT and SIGTERM.
struct Signals {
    int: tokio::signal::unix::Signal,
    term: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> Result<Self, String> {
        use tokio::signal::unix::{signal, SignalKind};
        let int =
            signal(SignalKind::interrupt()).map_err(|e| format!("cannot handle SIGINT: {e}"))?;
        let term =
            signal(SignalKind::terminate()).map_err(|e| format!("cannot handle SIGTERM: {e}"))?;
        Ok(Signals { int, term })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }
}
