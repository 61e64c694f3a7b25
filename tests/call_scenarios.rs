//! Golden call scenarios (docs/telephony.md): every folder in `tests/scenarios/` that has a
//! `case.peers.json` is one case, run on the virtual clock like `voxrun run` does.
//!
//! A case folder holds the arguments of a `voxrun run`:
//! - `case.js` (plus `case2.js`, ... in name order): the scenario;
//! - `case.peers.json`: the outbound peer table (`--peers`; `{}` for none);
//! - `case.call` (optional): `TO[,FROM]` of an inbound call (`--call-in`);
//! - `case.caller.json` (optional): that caller's peer script (`--caller`);
//! - `case.custom_data` (optional): the session's custom data;
//! - `requests` (optional): `METHOD PATH [BODY]` lines, sent after Started;
//! - `case.sessions` (optional): N: the case runs N sessions one after the other, session
//!   `n` with custom data `n`, and ApplicationStorage is a real SQLite store that is closed
//!   and opened again between sessions (a restart). Without it, ApplicationStorage is kept
//!   in memory, as in `voxrun run`.
//!
//! Expected: `case.out` (the log, with the outcome last) and `case.transcript` (the
//! transcript's JSON lines). A peer table or caller script that does not validate gives
//! `= refused: ...` in `case.out` and no session. The clock starts at 2024-01-01 00:00:00
//! UTC, so both files are deterministic. `UPDATE_GOLDEN=1 cargo test --test call_scenarios`
//! rewrites them; read every rewritten file before committing it. `CASE=name` runs one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use voxrun::runtime::{
    run_session, CallSetup, ClockSource, HttpEvent, Limits, MemoryStorage, ScenarioSource,
    SessionLink, SessionMsg, SessionSpec, StartResult, StorageRequest,
};
use voxrun::store::{SqliteStore, Store};
use voxrun::telephony::peer::{PeerScript, PeerTable};
use voxrun::telephony::{Inbound, DEFAULT_CALLER};

const START_MS: u64 = 1_704_067_200_000;
/// A safety net against a case that never ends (not a timing assertion: the cases take
/// milliseconds of wall time).
const CASE_WALL_LIMIT: Duration = Duration::from_secs(60);

#[derive(Clone, Default)]
struct Lines(Rc<RefCell<Vec<String>>>);

impl Lines {
    fn write(&self, line: &str) {
        self.0.borrow_mut().push(line.to_string());
    }
}

/// Where a case's ApplicationStorage lives.
enum Storage {
    Memory(MemoryStorage),
    Sqlite {
        store: Box<SqliteStore>,
        application_id: u64,
    },
}

/// The session's link: the log into `lines`, storage answered through the inbox.
struct Link {
    lines: Lines,
    storage: Rc<Storage>,
    inbox: mpsc::Sender<SessionMsg>,
}

impl SessionLink for Link {
    fn write(&self, line: &str) {
        self.lines.write(line);
    }

    fn storage(&self, mut request: StorageRequest) -> Result<(), String> {
        let now = chrono::Utc::now().timestamp();
        let answer = match self.storage.as_ref() {
            Storage::Memory(m) => m.answer(&request, now),
            Storage::Sqlite {
                store,
                application_id,
            } => {
                request.application_id = *application_id;
                voxrun::session::storage::answer(store.as_ref(), &request, now)
            }
        };
        self.inbox
            .try_send(SessionMsg::Storage {
                id: request.id,
                answer,
            })
            .map_err(|e| e.to_string())
    }
}

fn read(dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(name)).ok()
}

/// The case's calls, as `voxrun run` would build them from its flags.
fn call_setup(dir: &Path) -> Result<CallSetup, String> {
    let mut setup = CallSetup::default();
    if let Some(text) = read(dir, "case.peers.json") {
        setup.peers = PeerTable::parse_str(&text).map_err(|e| format!("--peers: {e}"))?;
    }
    let caller = match read(dir, "case.caller.json") {
        Some(text) => PeerScript::parse_str(&text).map_err(|e| format!("--caller: {e}"))?,
        None => PeerScript::default(),
    };
    if let Some(spec) = read(dir, "case.call") {
        let spec = spec.trim();
        let (to, from) = spec.split_once(',').unwrap_or((spec, DEFAULT_CALLER));
        setup.inbound = Some(Inbound {
            to: to.trim().to_string(),
            from: from.trim().to_string(),
            caller,
            ..Inbound::default()
        });
    }
    Ok(setup)
}

async fn run_case(dir: &Path) -> (String, String) {
    let calls = match call_setup(dir) {
        Ok(c) => c,
        Err(e) => return (format!("= refused: {e}\n"), String::new()),
    };
    let sessions: Option<u32> = read(dir, "case.sessions").map(|s| s.trim().parse().unwrap());
    let Some(n) = sessions else {
        let storage = Rc::new(Storage::Memory(MemoryStorage::default()));
        return run_session_of(dir, calls, storage, None).await;
    };
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("voxrun.db");
    let application_id = {
        let store = SqliteStore::open(&path).unwrap();
        let account = store.init_account("acme", "a@example.com", "key").unwrap();
        store.add_application(account.id, "app", false).unwrap().id
    };
    let (mut log, mut transcript) = (String::new(), String::new());
    for i in 1..=n {
        // A new store each time: the data must have survived closing it.
        let store = SqliteStore::open(&path).unwrap();
        let storage = Rc::new(Storage::Sqlite {
            store: Box::new(store),
            application_id,
        });
        let (l, t) = run_session_of(dir, calls.clone(), storage, Some(i)).await;
        log += &format!("= session {i}\n{l}");
        transcript += &t;
    }
    (log, transcript)
}

async fn run_session_of(
    dir: &Path,
    calls: CallSetup,
    storage: Rc<Storage>,
    session: Option<u32>,
) -> (String, String) {
    let out = Lines::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with("case") && name.ends_with(".js")
        })
        .collect();
    files.sort();
    let scenarios = files
        .iter()
        .map(|p| ScenarioSource {
            name: p.file_name().unwrap().to_string_lossy().to_string(),
            source: std::fs::read_to_string(p).unwrap(),
        })
        .collect();
    let spec = SessionSpec {
        session_id: 1001,
        account_id: 42,
        application_id: 7,
        access_url: "http://127.0.0.1:12092/request/tok/SECRET".to_string(),
        access_secure_url: "https://127.0.0.1:12092/request/tok/SECRET".to_string(),
        custom_data: match session {
            Some(n) => n.to_string(),
            None => read(dir, "case.custom_data")
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
        },
        control_secret: Some("SECRET".to_string()),
        scenarios,
        calls,
        ..SessionSpec::default()
    };
    let limits = Limits {
        // The cases are about calls, not CPU: generous per-callback time on a busy machine.
        per_event: Duration::from_secs(10),
        ..Limits::default()
    };
    let (tx, rx) = mpsc::channel(16);
    let link = Rc::new(Link {
        lines: out.clone(),
        storage,
        inbox: tx.clone(),
    });
    let (started_tx, started_rx) = oneshot::channel();
    let session = tokio::task::spawn_local(run_session(
        spec,
        limits,
        ClockSource::Virtual { start_ms: START_MS },
        link,
        rx,
        started_tx,
    ));
    if started_rx.await == Ok(StartResult::Started) {
        let requests = read(dir, "requests").unwrap_or_default();
        for line in requests.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, ' ');
            let method = parts.next().unwrap_or("GET").to_string();
            let path = parts.next().unwrap_or("/").to_string();
            let content = parts.next().unwrap_or("").to_string();
            out.write(&format!("> {method} {path}"));
            let ev = HttpEvent {
                method,
                path,
                content,
                headers: Vec::new(),
            };
            let (reply_tx, reply_rx) = oneshot::channel();
            if tx
                .send(SessionMsg::Http(ev, reply_tx.into()))
                .await
                .is_err()
            {
                break;
            }
            match reply_rx.await {
                Ok(r) => out.write(&format!(
                    "< {} {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                )),
                Err(_) => out.write("< (no reply)"),
            }
        }
        let _ = tx.send(SessionMsg::InputDone).await;
    }
    let outcome = tokio::time::timeout(CASE_WALL_LIMIT, session)
        .await
        .expect("the case did not end")
        .unwrap();
    out.write(&format!(
        "= outcome: {} idle={} system_error={} custom_data={:?}",
        outcome.finish_reason.as_str(),
        outcome.idle,
        outcome.system_error,
        outcome.custom_data
    ));
    for c in &outcome.calls {
        out.write(&format!("= call: {}", serde_json::to_string(c).unwrap()));
    }
    let log = out.0.borrow().join("\n") + "\n";
    (log, outcome.transcript.join("\n") + "\n")
}

#[test]
fn golden_call_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.peers.json").is_file())
        .collect();
    dirs.sort();
    let only = std::env::var("CASE").ok();
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = tokio::task::LocalSet::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    local.block_on(&rt, async {
        for dir in &dirs {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
                continue;
            }
            ran += 1;
            let (log, transcript) = run_case(dir).await;
            // Twice: the same inputs give the same transcript, byte for byte.
            let (_, again) = run_case(dir).await;
            if again != transcript {
                failures.push(format!("--- {name}: a second run gave another transcript"));
            }
            if update {
                std::fs::write(dir.join("case.out"), &log).unwrap();
                std::fs::write(dir.join("case.transcript"), &transcript).unwrap();
                continue;
            }
            for (file, got) in [("case.out", &log), ("case.transcript", &transcript)] {
                let want = read(dir, file).unwrap_or_default();
                if *got != want {
                    failures.push(format!("--- {name}/{file}: expected\n{want}--- got\n{got}"));
                }
            }
        }
    });
    assert!(ran > 0, "no call case ran");
    assert!(
        failures.is_empty(),
        "{} difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
