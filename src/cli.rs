//! Command-line flags (each with a `VOXRUN_*` twin) and the commands behind them.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::api::Role;
use crate::config::ServeConfig;

#[derive(Debug, Parser)]
#[command(
    name = "voxrun",
    version,
    about = "A local, Voximplant-compatible scenario platform"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Management API and the session runtime.
    Serve(ServeArgs),
    /// Print the account of a data dir: id, name and the legacy API key (for curl).
    Account {
        #[arg(long, env = "VOXRUN_DATA_DIR", default_value = "./voxrun-data")]
        data_dir: PathBuf,
    },
    /// Run scenario files as one session, without a server or a store.
    Run(RunArgs),
    /// Manage service-account keys of a data dir (works while a server runs on it).
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// A worker process; started by `serve`, never by hand.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[arg(long)]
    pub js_threads_max: usize,
    #[arg(long)]
    pub sessions_per_thread: usize,
    #[arg(long)]
    pub stuck_after_ms: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where the database, certificate and credentials live.
    #[arg(long, env = "VOXRUN_DATA_DIR", default_value = "./voxrun-data")]
    pub data_dir: PathBuf,
    /// Management API listener (HTTPS and HTTP on one port).
    #[arg(long, env = "VOXRUN_API_ADDR", default_value = "127.0.0.1:8080")]
    pub api_addr: SocketAddr,
    /// Session control listener (HTTPS and HTTP on one port).
    #[arg(long, env = "VOXRUN_CONTROL_ADDR", default_value = "127.0.0.1:12092")]
    pub control_addr: SocketAddr,
    /// Host name put into control URLs and the API address (default: the listener's host).
    #[arg(long, env = "VOXRUN_PUBLIC_HOST")]
    pub public_host: Option<String>,
    /// PEM certificate (chain) to serve instead of the generated one.
    #[arg(long, env = "VOXRUN_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, env = "VOXRUN_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Worker processes that run scenario code (default: one per core, at least 2).
    #[arg(long, env = "VOXRUN_JS_WORKERS", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub js_workers: Option<u32>,
    /// Address-space cap of each worker process (e.g. 2G, 512M), enforced by the OS.
    #[arg(long, env = "VOXRUN_WORKER_MEMORY_MAX", default_value = "2G", value_parser = crate::config::parse_size)]
    pub worker_memory_max: u64,
    /// A worker whose RSS passes this takes no new sessions and is replaced once empty.
    #[arg(long, env = "VOXRUN_WORKER_RECYCLE_RSS", default_value = "1G", value_parser = crate::config::parse_size)]
    pub worker_recycle_rss: u64,
    /// Most JS threads in each worker process.
    #[arg(long, env = "VOXRUN_JS_THREADS_MAX", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub js_threads_max: u32,
    /// Most sessions on one JS worker thread.
    #[arg(long, env = "VOXRUN_SESSIONS_PER_THREAD", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=100000))]
    pub sessions_per_thread: u32,
    /// Seconds without events, timers or requests before a session ends with "Timeout".
    #[arg(long, env = "VOXRUN_SESSION_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub session_idle_timeout: u64,
    /// Seconds after which any session ends.
    #[arg(long, env = "VOXRUN_SESSION_MAX_DURATION", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=604800))]
    pub session_max_duration: u64,
    /// Seconds of script CPU time one session may use in all; then "JS session error".
    #[arg(long, env = "VOXRUN_SESSION_CPU_MAX", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub session_cpu_max: u64,
    /// Most open connections per listener; more wait to be accepted.
    #[arg(long, env = "VOXRUN_MAX_CONNECTIONS", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,
    /// Seconds a Promise returned by an HttpRequest handler is awaited before 504.
    #[arg(long, env = "VOXRUN_EVENT_REPLY_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub event_reply_timeout: u64,
    /// Most StartScenarios/StartConference calls at once; more get HTTP 429.
    #[arg(long, env = "VOXRUN_MAX_CONCURRENT_STARTS", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100000))]
    pub max_concurrent_starts: u32,
    /// Allow scripts' outbound requests only to these HOST[:PORT] (repeatable; default: all).
    #[arg(long, env = "VOXRUN_NET_ALLOW", value_delimiter = ',')]
    pub net_allow: Vec<String>,
    /// Log format on stderr.
    #[arg(long, env = "VOXRUN_LOG_FORMAT", value_enum, default_value = "human")]
    pub log_format: LogFormat,
    /// `virtual`: calls' media and far-end waits take no time, for test rigs (timers and the
    /// rest of the server stay on the system clock).
    #[arg(long, env = "VOXRUN_CLOCK", value_enum, default_value = "system")]
    pub clock: ClockArg,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files, evaluated in this order in one global scope.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The session's initial `VoxEngine.customData()`.
    #[arg(long, env = "VOXRUN_CUSTOM_DATA", default_value = "")]
    pub custom_data: String,
    /// `METHOD PATH [BODY]`: sent as an HttpRequest event after Started (repeatable).
    #[arg(long = "request")]
    pub requests: Vec<String>,
    /// Seconds before the run is stopped and fails.
    #[arg(long, env = "VOXRUN_RUN_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub timeout: Option<u64>,
    /// Place an inbound call to TO (from FROM, default +10000000000) right after Started.
    #[arg(long, value_name = "TO[,FROM]")]
    pub call_in: Option<String>,
    /// The inbound caller's peer script (JSON file).
    #[arg(long, value_name = "PEER.json")]
    pub caller: Option<PathBuf>,
    /// Number patterns to peer scripts for outbound calls (JSON file).
    #[arg(long, value_name = "PEERS.json")]
    pub peers: Option<PathBuf>,
    /// `virtual`: no wait is real (the default with --call-in or --peers); `system`.
    #[arg(long, value_enum)]
    pub clock: Option<ClockArg>,
    /// Print the transcript as JSON lines (`-`: stdout, after the log) or write it to PATH.
    #[arg(long, value_name = "PATH|-")]
    pub transcript: Option<String>,
    /// Allow the script's outbound requests only to these HOST[:PORT] (repeatable).
    #[arg(long, value_delimiter = ',')]
    pub net_allow: Vec<String>,
    /// Run the session in this process (what the child process of `voxrun run` does).
    #[arg(long, hide = true)]
    pub in_process: bool,
}

/// `voxrun run --clock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClockArg {
    Virtual,
    System,
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a key and write its key file.
    Create {
        /// Owner, Developer or Support.
        #[arg(long, value_parser = ["Owner", "Developer", "Support"])]
        role: String,
        /// Where to write the key file.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, env = "VOXRUN_DATA_DIR", default_value = "./voxrun-data")]
        data_dir: PathBuf,
    },
    /// List the keys (ids, roles, state; never secrets).
    List {
        #[arg(long, env = "VOXRUN_DATA_DIR", default_value = "./voxrun-data")]
        data_dir: PathBuf,
    },
    /// Revoke a key; the server refuses it from the next request on.
    Revoke {
        key_id: String,
        #[arg(long, env = "VOXRUN_DATA_DIR", default_value = "./voxrun-data")]
        data_dir: PathBuf,
    },
}

impl ServeArgs {
    pub fn to_config(&self) -> ServeConfig {
        let mut c = ServeConfig::for_data_dir(self.data_dir.clone());
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

/// Run a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Keys { action } => keys(action),
        Command::Run(args) => return run_files(args),
        Command::Account { data_dir } => account(&data_dir),
        Command::Worker(args) => {
            return crate::worker::main(crate::worker::WorkerOptions {
                js_threads_max: args.js_threads_max.max(1),
                sessions_per_thread: args.sessions_per_thread.max(1),
                stuck_after: std::time::Duration::from_millis(args.stuck_after_ms),
            })
        }
    };
    match result {
        Ok(()) => 0,
        Err(msg) => {
            eprintln!("voxrun: {msg}");
            1
        }
    }
}

/// `voxrun run`: the log goes to stdout, the exit code tells the outcome. The session runs
/// in a child process (SPEC §11), so that a crash in Boa (a native stack overflow, a refused
/// allocation) is reported instead of taking the command down without a word, and so that
/// `--timeout` holds even while the script is stuck inside a native builtin.
fn run_files(args: RunArgs) -> i32 {
    if args.in_process {
        return run_files_here(args);
    }
    match run_files_in_child(args.timeout.map(std::time::Duration::from_secs)) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("voxrun: {msg}");
            1
        }
    }
}

/// The session's child process may use this much address space.
const RUN_MEMORY_MAX: u64 = 2 * 1024 * 1024 * 1024;
/// How long past `--timeout` the child may take to end the session itself before it is
/// killed (its Terminating handler gets this long).
const RUN_TIMEOUT_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

fn run_files_in_child(timeout: Option<std::time::Duration>) -> Result<i32, String> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the voxrun binary: {e}"))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(std::env::args_os().skip(1)).arg("--in-process");
    // SAFETY: confine_child only calls async-signal-safe functions.
    unsafe {
        cmd.pre_exec(|| crate::worker::confine_child(RUN_MEMORY_MAX));
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start the session process: {e}"))?;
    let deadline = timeout.map(|t| std::time::Instant::now() + t + RUN_TIMEOUT_GRACE);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("cannot wait for the session process: {e}")),
        }
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            let _ = child.kill();
            let _ = child.wait();
            eprintln!(
                "voxrun: timeout: the session did not end within --timeout (the script did not return control, and its process was killed)"
            );
            return Ok(2);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Ok(match status.code() {
        Some(code) => code,
        None => {
            eprintln!(
                "voxrun: the session crashed: its process {}",
                crate::worker::describe_exit(status)
            );
            1
        }
    })
}

fn run_files_here(args: RunArgs) -> i32 {
    let calls = match run_calls(&args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("voxrun: {msg}");
            return 2;
        }
    };
    let virtual_clock = match args.clock {
        Some(c) => c == ClockArg::Virtual,
        None => args.call_in.is_some() || args.peers.is_some(),
    };
    let mut limits = crate::runtime::Limits::default();
    if !args.net_allow.is_empty() {
        limits.net_allow = Some(args.net_allow.clone());
    }
    let opts = crate::runtime::RunOptions {
        files: args.files,
        custom_data: args.custom_data,
        requests: args.requests,
        timeout: args.timeout.map(std::time::Duration::from_secs),
        limits,
        calls,
        virtual_clock,
        transcript: args.transcript.map(|t| {
            if t == "-" {
                crate::runtime::TranscriptOut::Stdout
            } else {
                crate::runtime::TranscriptOut::File(PathBuf::from(t))
            }
        }),
    };
    let report = crate::runtime::run_files_blocking(opts);
    if report.exit_code != 0 {
        eprintln!("voxrun: {}", report.message);
    }
    report.exit_code
}

/// The calls of a `voxrun run`: the peer files, validated before anything runs.
fn run_calls(args: &RunArgs) -> Result<crate::runtime::CallSetup, String> {
    use crate::telephony::peer::{PeerScript, PeerTable};
    let read = |flag: &str, path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| format!("{flag} {}: {e}", path.display()))
    };
    let mut setup = crate::runtime::CallSetup::default();
    if let Some(path) = &args.peers {
        let text = read("--peers", path)?;
        setup.peers =
            PeerTable::parse_str(&text).map_err(|e| format!("--peers {}: {e}", path.display()))?;
    }
    let caller = match &args.caller {
        Some(path) => {
            let text = read("--caller", path)?;
            PeerScript::parse_str(&text).map_err(|e| format!("--caller {}: {e}", path.display()))?
        }
        None => PeerScript::default(),
    };
    if let Some(spec) = &args.call_in {
        let (to, from) = match spec.split_once(',') {
            Some((to, from)) => (to.trim(), from.trim()),
            None => (spec.trim(), crate::telephony::DEFAULT_CALLER),
        };
        if to.is_empty() || from.is_empty() {
            return Err(format!("--call-in {spec:?}: expected TO[,FROM]"));
        }
        setup.inbound = Some(crate::telephony::Inbound {
            to: to.to_string(),
            from: from.to_string(),
            caller,
            ..Default::default()
        });
    } else if args.caller.is_some() {
        return Err("--caller needs --call-in".to_string());
    }
    Ok(setup)
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

fn serve(args: ServeArgs) -> Result<(), String> {
    init_tracing(args.log_format);
    let config = args.to_config();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    rt.block_on(async move {
        // Handlers first, so a signal that arrives right after the ready lines is caught.
        let signals = Signals::install()?;
        let server = crate::app::Server::bind(config).await?;
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
        server.serve(rx).await
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

/// Shell-friendly `name=value` lines, so `eval "$(voxrun account)"` works.
fn account(data_dir: &std::path::Path) -> Result<(), String> {
    let data = existing_data_dir(data_dir)?;
    println!("VOXRUN_ACCOUNT_ID={}", data.account.id);
    println!("VOXRUN_ACCOUNT_NAME={}", data.account.name);
    println!("VOXRUN_API_KEY={}", data.account.api_key);
    Ok(())
}

/// A data dir a server has created: a typo must not make a new account silently.
fn existing_data_dir(path: &std::path::Path) -> Result<crate::app::DataDir, String> {
    if !path.join("voxrun.db").exists() {
        return Err(format!(
            "no voxrun data dir at {} (run `voxrun serve --data-dir {}` once first)",
            path.display(),
            path.display()
        ));
    }
    crate::app::open_data_dir(path)
}

fn keys(action: KeysAction) -> Result<(), String> {
    match action {
        KeysAction::Create {
            role,
            out,
            data_dir,
        } => {
            let role = Role::parse(&role).ok_or_else(|| format!("unknown role {role}"))?;
            let data = existing_data_dir(&data_dir)?;
            let file = crate::keys::create(data.store.blocking(), &data.account, role, &out)?;
            println!(
                "created key {} ({}) in {}",
                file.key_id,
                role.as_str(),
                out.display()
            );
        }
        KeysAction::List { data_dir } => {
            let data = existing_data_dir(&data_dir)?;
            let keys = data.store.blocking().keys().map_err(|e| e.to_string())?;
            for k in keys {
                let state = if k.revoked { "revoked" } else { "active" };
                let created = crate::api::params::format_datetime(k.created);
                println!("{}\t{}\t{}\t{}", k.key_id, k.role, state, created);
            }
        }
        KeysAction::Revoke { key_id, data_dir } => {
            let data = existing_data_dir(&data_dir)?;
            if !data
                .store
                .blocking()
                .revoke_key(&key_id)
                .map_err(|e| e.to_string())?
            {
                return Err(format!("no key {key_id}"));
            }
            println!("revoked {key_id}");
        }
    }
    Ok(())
}
