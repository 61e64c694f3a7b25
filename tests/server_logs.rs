//! What `voxrun serve` writes to stderr at `RUST_LOG=debug`: a line per API request (method,
//! result, milliseconds), a line per session start and end, the scenario's own log lines
//! with their session id; never a secret, and no ANSI colours into a pipe. A real server
//! process, its stderr read through a pipe.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use common::{form, http, sign_token};

/// A server with stderr piped into a buffer that a thread fills until the pipe closes.
struct Logged {
    child: Child,
    api: std::net::SocketAddr,
    key_file: serde_json::Value,
    stderr: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Logged {
    fn start(dir: &Path) -> Logged {
        let mut child = Command::new(env!("CARGO_BIN_EXE_voxrun"))
            .arg("serve")
            .arg("--data-dir")
            .arg(dir)
            .args(["--api-addr", "127.0.0.1:0", "--control-addr", "127.0.0.1:0"])
            .env("RUST_LOG", "debug")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn voxrun serve");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let (mut api, mut creds) = (None, None);
        while api.is_none() || creds.is_none() {
            let line = lines.next().expect("serve exited early").expect("stdout");
            if let Some(rest) = line.strip_prefix("voxrun API listening on https://") {
                api = rest
                    .split_whitespace()
                    .next()
                    .map(|a| a.parse().expect("addr"));
            } else if let Some(p) = line.strip_prefix("credentials: ") {
                creds = Some(std::path::PathBuf::from(p));
            }
        }
        std::thread::spawn(move || for _ in lines {});
        let key_file = serde_json::from_slice(&std::fs::read(creds.unwrap()).unwrap()).unwrap();
        Logged {
            child,
            api: api.unwrap(),
            key_file,
            stderr,
            reader: Some(reader),
        }
    }

    fn token(&self) -> String {
        let now = common::now();
        let kf = &self.key_file;
        sign_token(
            kf,
            serde_json::json!({"iss": kf["account_id"], "iat": now, "exp": now + 60}),
        )
    }

    /// A Management API call with a JWT (or without auth when `token` is None).
    fn call(
        &self,
        token: Option<&str>,
        method: &str,
        params: &[(&str, &str)],
    ) -> serde_json::Value {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a));
        }
        let path = format!("/platform_api/{method}");
        http(self.api, "POST", &path, &headers, form(params).as_bytes()).json()
    }

    /// SIGTERM, wait for the exit, and everything it wrote to stderr.
    fn stop(mut self) -> String {
        // SAFETY: a signal to the child process this test started.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        assert!(self.child.wait().expect("wait").success());
        if let Some(r) = self.reader.take() {
            r.join().expect("stderr reader");
        }
        let bytes = self.stderr.lock().unwrap().clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn requests_sessions_and_scenario_lines_are_logged_without_secrets_or_colours() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Logged::start(&tmp.path().join("data"));
    let token = server.token();
    let t = Some(token.as_str());
    let info = server.call(t, "GetAccountInfo", &[]);
    let api_key = info["result"]["api_key"]
        .as_str()
        .expect("api_key")
        .to_string();
    // The legacy key in a request, a wrong one, an unknown method.
    let account_id = info["result"]["account_id"].to_string();
    let legacy = [
        ("account_id", account_id.as_str()),
        ("api_key", api_key.as_str()),
    ];
    assert!(server.call(None, "GetApplications", &legacy)["error"].is_null());
    let wrong = [
        ("account_id", account_id.as_str()),
        ("api_key", "not-the-key-0123"),
    ];
    assert_eq!(
        server.call(None, "GetApplications", &wrong)["error"]["code"],
        100
    );
    assert_eq!(server.call(t, "NoSuchMethod", &[])["error"]["code"], 103);

    server.call(t, "AddApplication", &[("application_name", "logs")]);
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => { \
        Logger.write('scenario says ' + e.content); VoxEngine.terminate(); return 'bye'; });";
    let rule = server.call(
        t,
        "AddRule",
        &[
            ("application_name", "logs"),
            ("rule_name", "r1"),
            ("rule_pattern", ".*"),
        ],
    );
    let rule_id = rule["rule_id"].to_string();
    let sc = server.call(
        t,
        "AddScenario",
        &[
            ("scenario_name", "s1"),
            ("scenario_script", script),
            ("rule_id", &rule_id),
        ],
    );
    assert!(sc["scenario_id"].is_u64(), "{sc}");
    let started = server.call(t, "StartScenarios", &[("rule_id", &rule_id)]);
    let id = started["call_session_history_id"].as_u64().expect("id");
    let url = started["media_session_access_url"]
        .as_str()
        .expect("url")
        .to_string();
    let secret = url.rsplit('/').next().unwrap().to_string();
    let (addr, path) = common::sessions::split_url(&url);
    let r = http(addr, "POST", &format!("{path}/sub?x=1"), &[], b"hello-log");
    assert_eq!(r.text(), "bye");
    let history = server.call(
        t,
        "GetCallHistory",
        &[("call_session_history_id", &id.to_string())],
    );
    let log_url = history["result"][0]["log_file_url"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let log_secret = log_url.rsplit('/').next().unwrap_or("").to_string();

    let err = server.stop();
    let lines: Vec<&str> = err.lines().collect();
    let has = |parts: &[&str]| lines.iter().any(|l| parts.iter().all(|p| l.contains(p)));
    for parts in [
        &["INFO", "method=GetAccountInfo", "result=ok", "ms="][..],
        &["method=GetApplications", "result=ok"],
        &["method=GetApplications", "result=error 100"],
        &["result=error 103"],
        &["method=StartScenarios", "result=ok"],
    ] {
        assert!(has(parts), "no request line with {parts:?}:\n{err}");
    }
    let sid = format!("session={id}");
    assert!(has(&["INFO", "session started", &sid, "rule=r1"]), "{err}");
    assert!(
        has(&[
            "INFO",
            "session ended",
            &sid,
            "rule=r1",
            "Normal termination",
            "duration_ms="
        ]),
        "{err}"
    );
    assert!(
        has(&["DEBUG", "voxrun::scenario", "scenario says hello-log", &sid]),
        "{err}"
    );
    // The session's own request line goes out with the control secret masked.
    assert!(has(&["voxrun::scenario", "/***/sub?x=1", &sid]), "{err}");

    assert!(!err.contains('\x1b'), "ANSI escapes in a pipe:\n{err}");
    for (what, value) in [
        ("the API key", api_key.as_str()),
        ("the JWT", token.as_str()),
        ("the control secret", secret.as_str()),
        ("the log secret", log_secret.as_str()),
        ("the wrong key", "not-the-key-0123"),
    ] {
        assert!(value.len() >= 16, "{what}: {value:?}");
        assert!(
            !err.contains(value),
            "{what} is in the server's log:\n{err}"
        );
    }
    let private_key = server_private_key_line(&tmp.path().join("data"));
    assert!(!err.contains(&private_key), "the private key is in the log");
}

/// One line of the key file's private key (any line of it must never be logged).
fn server_private_key_line(dir: &Path) -> String {
    let kf: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("credentials.json")).unwrap()).unwrap();
    kf["private_key"]
        .as_str()
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string()
}
