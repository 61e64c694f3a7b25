//! The running server: prepares the data dir (store, account, credentials, certificate),
//! binds the listeners and serves until told to stop.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::api::{ApiService, ApiState, Role};
use crate::config::ServeConfig;
use crate::control::ControlService;
use crate::names::{check_account_name, DEFAULT_ACCOUNT_NAME};
use crate::runtime::{FinishReason, Limits};
use crate::server::{self, ListenerConfig};
use crate::session::workers::WorkerSettings;
use crate::session::{SessionConfig, SessionManager};
use crate::store::{Account, SqliteStore, StoreHandle};
use crate::tls::{self, TlsPaths};

/// A prepared data dir.
pub struct DataDir {
    pub path: PathBuf,
    pub store: StoreHandle,
    pub account: Account,
    /// The Owner key file written on first start.
    pub credentials: PathBuf,
}

/// Open (creating on first use) the data dir: store, account and Owner key file.
/// `account_name`: the account's name; a data dir made under another name is renamed.
/// `None` keeps the name a data dir has ([`DEFAULT_ACCOUNT_NAME`] on a new one).
pub fn open_data_dir(path: &Path, account_name: Option<&str>) -> Result<DataDir, String> {
    if let Some(name) = account_name {
        check_account_name(name)?;
    }
    owner_only_files();
    let existed = path.exists();
    std::fs::create_dir_all(path)
        .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    #[cfg(unix)]
    if !existed {
        // The database holds the API key and session logs: owner only.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    }
    let path = path
        .canonicalize()
        .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    let store = SqliteStore::open(&path.join("voxrun.db"))
        .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    let store = StoreHandle::new(Arc::new(store));
    let api_key = hex::encode(rand::random::<[u8; 24]>());
    let initial_name = account_name.unwrap_or(DEFAULT_ACCOUNT_NAME);
    let mut account = store
        .blocking()
        .init_account(initial_name, "admin@voxrun.local", &api_key)
        .map_err(|e| e.to_string())?;
    if let Some(name) = account_name.filter(|name| *name != account.name) {
        store
            .blocking()
            .rename_account(account.id, name)
            .map_err(|e| format!("cannot rename the account to {name:?}: {e}"))?;
        tracing::info!(from = %account.name, to = %name, "account renamed");
        account.name = name.to_string();
    }
    let credentials = path.join("credentials.json");
    if !credentials.exists() {
        crate::keys::create(store.blocking(), &account, Role::Owner, &credentials)?;
    }
    Ok(DataDir {
        path,
        store,
        account,
        credentials,
    })
}

/// Everything this process creates from now on is owner-only (0600 files, 0700 dirs), so
/// the database, its WAL, logs, keys and certificates are, whatever the data dir's mode.
fn owner_only_files() {
    // SAFETY: umask has no preconditions; it only changes this process's creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

/// The data dir's lock: held (an OS `flock`) while a server runs on it; released by the OS
/// when the process ends, however it ends.
pub struct DataDirLock {
    _file: std::fs::File,
}

impl DataDirLock {
    /// Take the lock, or say that another server has it.
    pub fn acquire(dir: &Path) -> Result<Self, String> {
        use std::os::fd::AsRawFd;
        owner_only_files();
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("data dir {} is unusable: {e}", dir.display()))?;
        let path = dir.join("voxrun.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        // SAFETY: flock on a descriptor this function owns.
        let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if r != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Err(format!(
                    "another voxrun server is already running on the data dir {}",
                    dir.display()
                ));
            }
            return Err(format!("cannot lock {}: {err}", path.display()));
        }
        Ok(DataDirLock { _file: file })
    }
}

/// Bound listeners, ready to serve.
pub struct Server {
    pub config: ServeConfig,
    pub data: DataDir,
    pub api_listener: TcpListener,
    pub api_addr: SocketAddr,
    pub control_listener: TcpListener,
    pub control_addr: SocketAddr,
    pub cert_path: PathBuf,
    tls: Arc<rustls::ServerConfig>,
    _lock: DataDirLock,
}

impl Server {
    /// Prepare the data dir and certificate and bind the API listener.
    pub async fn bind(config: ServeConfig) -> Result<Server, String> {
        // Before anything else touches the data dir: a second server must not take over the
        // first one's rows.
        // Flags that are wrong stop the server before it creates anything.
        if let Some(name) = &config.account_name {
            check_account_name(name)?;
        }
        if let Some(root) = &config.voxfiles {
            crate::voxfiles::check_root(root)?;
        }
        let lock = DataDirLock::acquire(&config.data_dir)?;
        let data = open_data_dir(&config.data_dir, config.account_name.as_deref())?;
        let paths = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => TlsPaths {
                cert: cert.clone(),
                key: key.clone(),
            },
            (None, None) => {
                let paths = TlsPaths::in_data_dir(&data.path);
                let mut hosts = Vec::new();
                if let Some(h) = &config.public_host {
                    hosts.push(h.clone());
                }
                tls::ensure_generated(&paths, &hosts)?;
                paths
            }
            _ => return Err("--tls-cert and --tls-key go together".to_string()),
        };
        let tls = tls::server_config(&paths)?;
        let api_listener = TcpListener::bind(config.api_addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.api_addr))?;
        let api_addr = api_listener.local_addr().map_err(|e| e.to_string())?;
        let control_listener = TcpListener::bind(config.control_addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.control_addr))?;
        let control_addr = control_listener.local_addr().map_err(|e| e.to_string())?;
        // Rows a crash left running can never finish now.
        let closed = data
            .store
            .blocking()
            .close_running_sessions(FinishReason::Admin.as_str())
            .map_err(|e| e.to_string())?;
        if closed > 0 {
            tracing::warn!(
                sessions = closed,
                "closed sessions left running by an unclean stop"
            );
        }
        Ok(Server {
            config,
            data,
            api_listener,
            api_addr,
            control_listener,
            control_addr,
            cert_path: paths.cert,
            tls,
            _lock: lock,
        })
    }

    /// The session runtime's settings from the server's.
    fn session_config(&self) -> SessionConfig {
        let c = &self.config;
        let control_host = c.advertised_host(self.control_addr);
        let api_host = c.advertised_host(self.api_addr);
        let limits = Limits {
            idle_timeout: c.session_idle_timeout,
            max_duration: c.session_max_duration,
            cpu_max: c.session_cpu_max,
            event_reply_timeout: c.event_reply_timeout,
            net_allow: (!c.net_allow.is_empty()).then(|| c.net_allow.clone()),
            ..Limits::default()
        };
        let workers = WorkerSettings {
            exe: c
                .worker_exe
                .clone()
                .or_else(|| std::env::current_exe().ok())
                .unwrap_or_else(|| PathBuf::from("voxrun")),
            count: c.js_workers,
            memory_max: c.worker_memory_max,
            recycle_rss: c.worker_recycle_rss,
            js_threads_max: c.js_threads_max,
            sessions_per_thread: c.sessions_per_thread,
            stuck_after: limits.per_event + WATCHDOG_SLACK,
        };
        SessionConfig {
            limits,
            queue_len: SESSION_QUEUE_LEN,
            workers,
            control_base: format!("http://{control_host}:{}", self.control_addr.port()),
            control_secure_base: format!("https://{control_host}:{}", self.control_addr.port()),
            api_secure_base: format!("https://{api_host}:{}", self.api_addr.port()),
            instant_media: c.instant_media,
        }
    }

    /// Serve until `shutdown` flips to true; then end every session (their Terminating and
    /// Terminated handlers run, history and logs are written) and stop the listeners.
    pub async fn serve(self, mut shutdown: watch::Receiver<bool>) -> Result<(), String> {
        let host = self.config.advertised_host(self.api_addr);
        let sessions = SessionManager::new(self.session_config(), self.data.store.clone())?;
        let mut state = ApiState::new(
            self.data.store.clone(),
            self.data.account.clone(),
            format!("{host}:{}", self.api_addr.port()),
        );
        state.sessions = Some(sessions.clone());
        state.start_permits = Arc::new(Semaphore::new(self.config.max_concurrent_starts));
        let api = ApiService::new(state);
        let control = ControlService::new(sessions.registry());
        let (stop_tx, stop_rx) = watch::channel(false);
        // Before the first request is accepted: a client sees the folder's objects at once.
        let voxfiles = match &self.config.voxfiles {
            Some(root) => Some(
                crate::voxfiles::load_and_watch(root.clone(), api.clone(), stop_rx.clone()).await,
            ),
            None => None,
        };
        let mut api_cfg = ListenerConfig::new(Some(self.tls.clone()), self.config.api_body_limit);
        api_cfg.max_connections = self.config.max_connections;
        let mut control_cfg =
            ListenerConfig::new(Some(self.tls.clone()), self.config.control_body_limit);
        control_cfg.max_connections = self.config.max_connections;
        let api_task = tokio::spawn(server::run(
            self.api_listener,
            api_cfg,
            api,
            flag(stop_rx.clone()),
        ));
        let control_task = tokio::spawn(server::run(
            self.control_listener,
            control_cfg,
            control,
            flag(stop_rx),
        ));
        flag(shutdown.clone()).await;
        let _ = shutdown.borrow_and_update();
        sessions.shutdown(SHUTDOWN_GRACE).await;
        let _ = stop_tx.send(true);
        let _ = api_task.await;
        let _ = control_task.await;
        if let Some(task) = voxfiles {
            let _ = task.await;
        }
        Ok(())
    }
}

/// Waiting events per session before the control URL answers 503 (docs/sessions.md#the-control-url).
const SESSION_QUEUE_LEN: usize = 100;
/// How far past the per-event limit a silent JS thread (or worker) counts as stuck.
pub(crate) const WATCHDOG_SLACK: Duration = Duration::from_secs(1);
/// How long shutdown waits for sessions to run Terminating/Terminated.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Resolves once the flag is true (or its sender is gone).
async fn flag(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}
