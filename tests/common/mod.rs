//! Shared test harness: a real `voxrun serve` process on 127.0.0.1 port 0 with a temp data
//! dir, and small HTTP(S) clients that speak to it over real sockets.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod clients;
pub mod sessions;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// A running server process. Killed (SIGKILL) on drop.
pub struct ServerProc {
    pub child: Child,
    pub data_dir: PathBuf,
    pub api_addr: SocketAddr,
    pub credentials: PathBuf,
    pub cert: PathBuf,
    /// Keeps the temp dir alive when the harness created it.
    _tmp: Option<tempfile::TempDir>,
}

impl ServerProc {
    /// Start a server on a fresh temp data dir.
    pub fn start() -> ServerProc {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        let mut s = ServerProc::start_in(&dir, &[]);
        s._tmp = Some(tmp);
        s
    }

    /// Start a server on `data_dir` with extra flags.
    pub fn start_in(data_dir: &Path, extra: &[&str]) -> ServerProc {
        ServerProc::start_with(data_dir, extra, |_| {})
    }

    /// Start a server on `data_dir` with extra flags, `adjust` changing the command first.
    pub fn start_with(
        data_dir: &Path,
        extra: &[&str],
        adjust: impl FnOnce(&mut Command),
    ) -> ServerProc {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_voxrun"));
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--api-addr", "127.0.0.1:0", "--control-addr", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        // Last, so that a test can change the defaults (stderr into a file, RUST_LOG).
        adjust(&mut cmd);
        let mut child = cmd.spawn().expect("spawn voxrun serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (mut api, mut creds, mut cert) = (None, None, None);
        while api.is_none() || creds.is_none() || cert.is_none() {
            let line = match lines.next() {
                Some(Ok(l)) => l,
                _ => {
                    let status = child.wait();
                    panic!("voxrun serve exited before it was ready: {status:?}");
                }
            };
            if let Some(rest) = line.strip_prefix("voxrun API listening on https://") {
                let addr = rest.split_whitespace().next().expect("addr");
                api = Some(addr.parse::<SocketAddr>().expect("socket addr"));
            } else if let Some(p) = line.strip_prefix("credentials: ") {
                creds = Some(PathBuf::from(p));
            } else if let Some(p) = line.strip_prefix("certificate: ") {
                cert = Some(PathBuf::from(p));
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        ServerProc {
            child,
            data_dir: data_dir.to_path_buf(),
            api_addr: api.expect("api addr"),
            credentials: creds.expect("credentials"),
            cert: cert.expect("cert"),
            _tmp: None,
        }
    }

    /// `host:port` for the official clients' endpoint/host setting.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.api_addr.port())
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Send SIGTERM and wait for the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        self.child.wait().expect("wait")
    }

    pub fn key_file(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(&self.credentials).expect("read credentials"))
            .expect("credentials json")
    }

    /// The account's legacy API key, read through GetAccountInfo with the Owner JWT.
    pub fn api_key(&self) -> String {
        let v = self.call_jwt("GetAccountInfo", &[]);
        v["result"]["api_key"]
            .as_str()
            .expect("api_key")
            .to_string()
    }

    /// A fresh Owner token for this server's key file.
    pub fn token(&self) -> String {
        let kf = self.key_file();
        let now = now();
        sign_token(
            &kf,
            serde_json::json!({"iss": kf["account_id"], "iat": now, "exp": now + 60}),
        )
    }

    /// Call a method over plain HTTP with a form body and the Owner JWT; parse the JSON.
    pub fn call_jwt(&self, method: &str, params: &[(&str, &str)]) -> serde_json::Value {
        let body = form(params);
        let auth = format!("Bearer {}", self.token());
        let r = http(
            self.api_addr,
            "POST",
            &format!("/platform_api/{method}"),
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            body.as_bytes(),
        );
        assert_eq!(r.status, 200, "{method}: {}", r.text());
        r.json()
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// An RS256 token signed with a key file's private key.
pub fn sign_token(key_file: &serde_json::Value, claims: serde_json::Value) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = key_file["key_id"].as_str().map(str::to_string);
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(
        key_file["private_key"]
            .as_str()
            .expect("private_key")
            .as_bytes(),
    )
    .expect("rsa pem");
    jsonwebtoken::encode(&header, &claims, &key).expect("encode")
}

pub fn form(params: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request over plain TCP (Connection: close).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    raw(
        addr,
        &request(method, path, &addr.to_string(), headers, body),
    )
}

/// The bytes of one HTTP/1.1 request with `Connection: close` and a `Content-Length`.
fn request(method: &str, path: &str, host: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Send raw bytes over plain TCP and read the response until the server closes.
pub fn raw(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    // The server may answer (413, 400) and close before it has read everything.
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse_reply(&out)
}

/// One HTTP/1.1 request over TLS, trusting `ca_pem`.
pub fn https(
    addr: SocketAddr,
    ca_pem: &Path,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let bytes = request(method, path, "localhost", headers, body);
    https_raw(addr, ca_pem, &[], &bytes)
}

/// `request` as sent over TLS, trusting `ca_pem`, offering `alpn` (none when empty); the
/// answer read until the server closes.
pub fn https_raw(addr: SocketAddr, ca_pem: &Path, alpn: &[&[u8]], request: &[u8]) -> Reply {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(ca_pem).expect("read cert");
    for c in rustls_pemfile::certs(&mut &pem[..]) {
        roots.add(c.expect("cert")).expect("add root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    cfg.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let conn = rustls::ClientConnection::new(Arc::new(cfg), name).expect("tls client");
    let sock = TcpStream::connect(addr).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut tls = rustls::StreamOwned::new(conn, sock);
    tls.write_all(request).expect("write");
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out);
    parse_reply(&out)
}

fn parse_reply(out: &[u8]) -> Reply {
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP response: {:?}", String::from_utf8_lossy(out)));
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = out[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size + 2 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

/// Copy a folder tree (fixtures into a temp dir a test may change).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
