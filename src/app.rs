//! The running server: prepares the data dir (store, account, credentials, certificate),
//! binds the listeners and serves until told to stop.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::api::{ApiService, ApiState, Role};
use crate::config::ServeConfig;
use crate::server::{self, ListenerConfig};
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
pub fn open_data_dir(path: &Path) -> Result<DataDir, String> {
    std::fs::create_dir_all(path)
        .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    let path = path
        .canonicalize()
        .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    let store = SqliteStore::open(&path.join("voxrun.db"))
        .map_err(|e| format!("data dir {} is unusable: {e}", path.display()))?;
    let store = StoreHandle::new(Arc::new(store));
    let api_key = hex::encode(rand::random::<[u8; 24]>());
    let account = store
        .blocking()
        .init_account("voxrun", "admin@voxrun.local", &api_key)
        .map_err(|e| e.to_string())?;
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

/// Bound listeners, ready to serve.
pub struct Server {
    pub config: ServeConfig,
    pub data: DataDir,
    pub api_listener: TcpListener,
    pub api_addr: SocketAddr,
    pub cert_path: PathBuf,
    tls: Arc<rustls::ServerConfig>,
}

impl Server {
    /// Prepare the data dir and certificate and bind the API listener.
    pub async fn bind(config: ServeConfig) -> Result<Server, String> {
        let data = open_data_dir(&config.data_dir)?;
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
        Ok(Server {
            config,
            data,
            api_listener,
            api_addr,
            cert_path: paths.cert,
            tls,
        })
    }

    /// Serve until `shutdown` flips to true.
    pub async fn serve(self, mut shutdown: watch::Receiver<bool>) -> Result<(), String> {
        let host = self.config.advertised_host(self.api_addr);
        let state = ApiState {
            store: self.data.store.clone(),
            account: self.data.account.clone(),
            api_address: format!("{host}:{}", self.api_addr.port()),
        };
        let api = ApiService::new(state);
        let listener_cfg = ListenerConfig::new(Some(self.tls.clone()), self.config.api_body_limit);
        let stop = async move {
            while !*shutdown.borrow() {
                if shutdown.changed().await.is_err() {
                    break;
                }
            }
        };
        server::run(self.api_listener, listener_cfg, api, stop).await;
        Ok(())
    }
}
