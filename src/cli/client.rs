//! The session tools' client of a running server's `/voxrun/v1` API: it finds the server
//! through the data dir's `server.json`, authenticates with a short-lived JWT signed by the
//! data dir's Owner key (`credentials.json`), and speaks plain HTTP to the API port on this
//! machine (the port serves both; the token never leaves the host).

use std::path::{Path, PathBuf};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use super::server_file::ServerFile;
use crate::keys::KeyFile;

/// How long the CLI's tokens live: one request, or the start of one follow.
const TOKEN_TTL_SECS: i64 = 300;

/// The server of a data dir, ready to be asked.
pub struct Client {
    data_dir: PathBuf,
    addr: std::net::SocketAddr,
    key: KeyFile,
}

/// A failed request, as one line for the user.
pub type Failure = String;

impl Client {
    /// The data dir's server; a clear line when the data dir or its server is missing.
    pub fn for_data_dir(data_dir: &Path) -> Result<Client, Failure> {
        if !data_dir.join("voxrun.db").exists() {
            return Err(format!(
                "no voxrun data dir at {0} (run `voxrun serve --data-dir {0}` once first)",
                data_dir.display()
            ));
        }
        let creds = data_dir.join("credentials.json");
        let key: KeyFile = std::fs::read(&creds)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
            .map_err(|e| format!("cannot read the key file {}: {e}", creds.display()))?;
        let file = ServerFile::read(data_dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => not_running(data_dir),
            _ => format!("cannot read {}: {e}", ServerFile::path(data_dir).display()),
        })?;
        Ok(Client {
            data_dir: data_dir.to_path_buf(),
            addr: file.connect_addr(),
            key,
        })
    }

    fn token(&self) -> Result<String, Failure> {
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({
            "iss": self.key.account_id,
            "iat": now,
            "exp": now + TOKEN_TTL_SECS,
        });
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.key.key_id.clone());
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(self.key.private_key.as_bytes())
            .map_err(|e| format!("the key file's private key is unusable: {e}"))?;
        jsonwebtoken::encode(&header, &claims, &key)
            .map_err(|e| format!("cannot sign a token with the key file: {e}"))
    }

    /// `METHOD /voxrun/v1/{path}`; the answer's head, with its body still to be read.
    pub async fn send(&self, method: Method, path: &str) -> Result<Response<Incoming>, Failure> {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|e| {
                format!(
                    "{} (its {} names {}: {e})",
                    not_running(&self.data_dir),
                    super::server_file::FILE_NAME,
                    self.addr
                )
            })?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("cannot talk to the server at {}: {e}", self.addr))?;
        tokio::spawn(conn);
        let req = Request::builder()
            .method(method)
            .uri(format!("/voxrun/v1/{path}"))
            .header(hyper::header::HOST, self.addr.to_string())
            .header(
                hyper::header::AUTHORIZATION,
                format!("Bearer {}", self.token()?),
            )
            .body(Empty::<Bytes>::new())
            .map_err(|e| e.to_string())?;
        sender
            .send_request(req)
            .await
            .map_err(|e| format!("the server at {} did not answer: {e}", self.addr))
    }

    /// A JSON answer, or the failure its error body describes (`what`: the thing asked
    /// for, for a 404).
    pub async fn json(&self, method: Method, path: &str, what: &str) -> Result<Value, Failure> {
        json_answer(self.send(method, path).await?, what).await
    }
}

/// The JSON body of an answer, or the failure its error body describes.
pub async fn json_answer(r: Response<Incoming>, what: &str) -> Result<Value, Failure> {
    let status = r.status();
    let body = read_all(r).await?;
    let v: Value = serde_json::from_slice(&body).map_err(|_| {
        format!(
            "the server answered HTTP {status} with something that is not JSON: {}",
            String::from_utf8_lossy(&body)
                .chars()
                .take(200)
                .collect::<String>()
        )
    })?;
    if status.is_success() {
        Ok(v)
    } else {
        Err(refusal(status, &v, what))
    }
}

/// Whether an answer is a server-sent-event stream (a live session followed).
pub fn is_event_stream(r: &Response<Incoming>) -> bool {
    r.headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"))
}

fn not_running(data_dir: &Path) -> String {
    format!(
        "no voxrun server is running on the data dir {0} (start one with `voxrun serve --data-dir {0}`)",
        data_dir.display()
    )
}

/// The whole body of an answer.
pub async fn read_all(r: Response<Incoming>) -> Result<Bytes, Failure> {
    r.into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .map_err(|e| format!("the server's answer broke off: {e}"))
}

/// One line for an error answer of `/voxrun/v1`.
pub fn refusal(status: StatusCode, body: &Value, what: &str) -> Failure {
    let code = body["error"]["code"].as_u64();
    let msg = body["error"]["msg"].as_str().unwrap_or("");
    match (status, code) {
        (StatusCode::NOT_FOUND, Some(150)) => format!("no {what} on this server"),
        (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, _) => format!(
            "the server refused the data dir's key file (error {}: {msg})",
            code.unwrap_or(0)
        ),
        (_, Some(code)) => format!("the server answered HTTP {status}, error {code}: {msg}"),
        (_, None) => format!("the server answered HTTP {status}"),
    }
}

/// The events of a server-sent-event stream, in order, as they arrive: `(event, data)`
/// (event `message` when unnamed). `on_event` returns `false` to stop reading.
pub async fn read_events(
    r: Response<Incoming>,
    mut on_event: impl FnMut(&str, &str) -> Result<bool, Failure>,
) -> Result<(), Failure> {
    let mut body = r.into_body();
    let mut buf: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("the server's stream broke off: {e}"))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buf.extend_from_slice(&data);
        while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = buf.drain(..end + 2).collect();
            let text = String::from_utf8_lossy(&block);
            let (mut event, mut data) = ("message", String::new());
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim();
                } else if let Some(v) = line.strip_prefix("data:") {
                    if !data.is_empty() {
                        data.push('\n');
                    }
                    data.push_str(v.strip_prefix(' ').unwrap_or(v));
                }
            }
            if !on_event(event, &data)? {
                return Ok(());
            }
        }
    }
    Ok(())
}
