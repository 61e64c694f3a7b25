//! Command-line flags (each with a `VOXRUN_*` twin) and the commands behind them.
//!
//! One file per command family: `serve`, `run`, `keys` (and `account`).

mod client;
mod keys;
mod run;
mod serve;
mod server_file;
mod sessions;
mod test;

pub use sessions::{SessionOutputArgs, SessionsAction, SessionsArgs};

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "voxrun",
    version,
    about = "A local, Voximplant-compatible scenario platform",
    arg_required_else_help = true
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
    /// Run scenario tests (`*.test.js`) on the virtual clock, several files at once.
    Test(TestArgs),
    /// Manage service-account keys of a data dir (works while a server runs on it).
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// List the live sessions of the server on a data dir (`stop ID` ends one).
    Sessions(SessionsArgs),
    /// Print a session's log, live or stored (`--follow`: until the session ends).
    Logs(SessionOutputArgs),
    /// Print a session's transcript as JSON lines (`--follow`: until the session ends).
    Transcript(SessionOutputArgs),
    /// A worker process; started by `serve`, never by hand.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test files, or folders searched for `*.test.js` (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Run only the tests whose names contain this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Also write the results as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Run again whenever a file under the paths changes.
    #[arg(long)]
    pub watch: bool,
    /// Test files run at once (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub jobs: Option<u32>,
    /// Seconds of real time a test file may take before its process is killed.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub timeout: u64,
    /// Run this one file here and print JSON lines (what each child process does).
    #[arg(long, hide = true, value_name = "FILE")]
    pub in_process: Option<PathBuf>,
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
    /// The account's name, as in full application names `APP.NAME.voximplant.com`
    /// (default on a new data dir: voxrun). An existing data dir is renamed.
    #[arg(long, env = "VOXRUN_ACCOUNT_NAME", value_name = "NAME")]
    pub account_name: Option<String>,
    /// A voxengine-ci project folder (`voxfiles`) to load at start and watch: its
    /// applications, rules and scenarios are kept in the store.
    #[arg(long, env = "VOXRUN_VOXFILES", value_name = "DIR")]
    pub voxfiles: Option<PathBuf>,
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
    /// Threads of the supervisor's listeners and API (default: half the cores, at least 1).
    #[arg(long, env = "VOXRUN_IO_THREADS", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub io_threads: Option<u32>,
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

/// Run a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Serve(args) => serve::serve(args),
        Command::Keys { action } => keys::keys(action),
        Command::Run(args) => return run::run_files(args),
        Command::Test(args) => return test::test(args),
        Command::Account { data_dir } => keys::account(&data_dir),
        Command::Sessions(args) => sessions::sessions(args),
        Command::Logs(args) => sessions::logs(args),
        Command::Transcript(args) => sessions::transcript(args),
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
