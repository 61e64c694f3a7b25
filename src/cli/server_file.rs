//! `server.json` in the data dir: where the running server's API listener is, so that
//! `voxrun sessions`, `logs` and `transcript` find it. Written once the listeners are bound,
//! removed when the server stops cleanly; after a crash it stays behind naming an address
//! nobody answers on, and the next `serve` replaces it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file's name inside the data dir.
pub const FILE_NAME: &str = "server.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerFile {
    /// The API listener's bound address (HTTPS and plain HTTP on one port).
    pub api_addr: SocketAddr,
    /// The server's process id (so that a stopping server removes only its own file).
    pub pid: u32,
}

impl ServerFile {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// Write it (through a temporary file and a rename, so a reader never sees half).
    pub fn write(data_dir: &Path, api_addr: SocketAddr) -> Result<(), String> {
        let me = ServerFile {
            api_addr,
            pid: std::process::id(),
        };
        let path = Self::path(data_dir);
        let tmp = data_dir.join(format!("{FILE_NAME}.tmp"));
        let text = serde_json::to_vec_pretty(&me).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Remove it if this process wrote it.
    pub fn remove_own(data_dir: &Path) {
        let path = Self::path(data_dir);
        if Self::read(data_dir).is_ok_and(|f| f.pid == std::process::id()) {
            let _ = std::fs::remove_file(path);
        }
    }

    pub fn read(data_dir: &Path) -> Result<ServerFile, std::io::Error> {
        let text = std::fs::read(Self::path(data_dir))?;
        serde_json::from_slice(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Where a client on this machine connects: the bound address, or the loopback
    /// address of its family when the server listens on all addresses.
    pub fn connect_addr(&self) -> SocketAddr {
        let ip = match self.api_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        SocketAddr::new(ip, self.api_addr.port())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn written_read_and_removed_only_by_its_writer() {
        let dir = tempfile::tempdir().unwrap();
        let addr: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        ServerFile::write(dir.path(), addr).unwrap();
        let f = ServerFile::read(dir.path()).unwrap();
        assert_eq!(f.api_addr, addr);
        assert_eq!(f.connect_addr(), "127.0.0.1:8080".parse().unwrap());
        // Another process's file stays.
        let other = ServerFile {
            api_addr: addr,
            pid: f.pid.wrapping_add(1),
        };
        std::fs::write(
            ServerFile::path(dir.path()),
            serde_json::to_vec(&other).unwrap(),
        )
        .unwrap();
        ServerFile::remove_own(dir.path());
        assert!(ServerFile::path(dir.path()).exists());
        ServerFile::write(dir.path(), addr).unwrap();
        ServerFile::remove_own(dir.path());
        assert!(!ServerFile::path(dir.path()).exists());
    }
}
