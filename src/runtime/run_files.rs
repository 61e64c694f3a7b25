//! `voxrun run FILE.js...`: one session from files, no server and no store (docs/architecture.md#command-line).

use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::{
    run_session, CallSetup, ClockSource, FinishReason, HttpEvent, Limits, MemoryStorage,
    ScenarioSource, SessionLink, SessionMsg, SessionOutcome, SessionSpec, StartResult,
    StorageRequest,
};

/// What `voxrun run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub files: Vec<PathBuf>,
    pub custom_data: String,
    /// `METHOD PATH [BODY]` each.
    pub requests: Vec<String>,
    /// Ends the session (with Terminating/Terminated) and fails the run after this long.
    pub timeout: Option<Duration>,
    /// `fail_on_uncaught_error` is forced on.
    pub limits: Limits,
    /// The far ends of outbound calls, and an inbound call to place after Started.
    pub calls: CallSetup,
    /// The virtual clock (docs/telephony.md#timing-and-the-virtual-clock): no wait is real, and the run ends once nothing can
    /// happen any more.
    pub virtual_clock: bool,
    /// Where the transcript goes, if anywhere.
    pub transcript: Option<TranscriptOut>,
    /// When set, [`run_files_blocking`] ends the whole process with exit code 1 once the
    /// session's thread has not come back from script code for this long (a loop inside a
    /// native builtin, which no budget can stop): the run's own watchdog.
    pub stuck_after: Option<Duration>,
}

/// `--transcript`: stdout (after the log) or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranscriptOut {
    Stdout,
    File(PathBuf),
}

/// How a run ended: `exit_code` 0 (normal termination), 1 (load error, uncaught error,
/// limit overrun, bad input), 2 (timeout), 3 (terminated administratively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub exit_code: i32,
    pub message: String,
}

/// Prints to stdout, one line per entry. A closed stdout (`voxrun run ... | head`) drops
/// the output instead of failing the session.
struct Stdout;

impl SessionLink for Stdout {
    fn write(&self, line: &str) {
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
}

/// [`run_files`] on a fresh current-thread runtime, printing to stdout.
pub fn run_files_blocking(opts: RunOptions) -> RunReport {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return RunReport {
                exit_code: 1,
                message: format!("cannot start a runtime: {e}"),
            }
        }
    };
    let local = tokio::task::LocalSet::new();
    let watchdog = opts.stuck_after.map(Watchdog::start);
    if let Some(w) = &watchdog {
        local.spawn_local(w.clone().beat());
    }
    let report = local.block_on(&rt, run_files(opts, Rc::new(Stdout)));
    if let Some(w) = &watchdog {
        w.stop();
    }
    report
}

/// Watches the session's thread from a thread of its own: the thread beats every
/// [`BEAT`] whenever the session loop lets other tasks run, and when no beat came for
/// `stuck_after` the script is stuck where nothing can interrupt it, so the process ends
/// (as a server kills such a worker). What the session logged so far is already out.
#[derive(Clone)]
struct Watchdog {
    started: std::time::Instant,
    /// Milliseconds since `started` of the last beat; `u64::MAX` once the run is over.
    last_beat_ms: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

const BEAT: Duration = Duration::from_millis(100);

impl Watchdog {
    fn start(stuck_after: Duration) -> Self {
        use std::sync::atomic::Ordering;
        let w = Watchdog {
            started: std::time::Instant::now(),
            last_beat_ms: Default::default(),
        };
        let seen = w.clone();
        let limit_ms = u64::try_from(stuck_after.as_millis()).unwrap_or(u64::MAX);
        std::thread::spawn(move || loop {
            std::thread::sleep(BEAT);
            let last = seen.last_beat_ms.load(Ordering::Relaxed);
            if last == u64::MAX {
                return;
            }
            if seen.now_ms().saturating_sub(last) > limit_ms {
                eprintln!(
                    "voxrun: the session is stuck: its script did not return control for {:.1} s (a loop inside a native builtin, past the per-event limit), so the run was stopped",
                    stuck_after.as_secs_f64()
                );
                std::process::exit(1);
            }
        });
        w
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    async fn beat(self) {
        let mut tick = tokio::time::interval(BEAT);
        loop {
            tick.tick().await;
            self.last_beat_ms
                .store(self.now_ms(), std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn stop(&self) {
        self.last_beat_ms
            .store(u64::MAX, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The session's link in a run: the log goes to `out`; ApplicationStorage is kept in
/// memory for the run and answered through the session's inbox.
struct RunLink {
    out: Rc<dyn SessionLink>,
    storage: MemoryStorage,
    inbox: mpsc::Sender<SessionMsg>,
}

impl SessionLink for RunLink {
    fn write(&self, line: &str) {
        self.out.write(line);
    }

    fn storage(&self, request: StorageRequest) -> Result<(), String> {
        let now = chrono::Utc::now().timestamp();
        let answer = self.storage.answer(&request, now);
        self.inbox
            .try_send(SessionMsg::Storage {
                id: request.id,
                answer,
            })
            .map_err(|_| "too many requests at once".to_string())
    }
}

/// Parses `METHOD PATH [BODY]`.
fn parse_request(line: &str) -> Option<HttpEvent> {
    let line = line.trim_start();
    let (method, rest) = line.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let (path, body) = match rest.split_once(char::is_whitespace) {
        Some((p, b)) => (p, b.trim_start()),
        None => (rest, ""),
    };
    if method.is_empty() || path.is_empty() {
        return None;
    }
    Some(HttpEvent {
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        content: body.to_string(),
        headers: Vec::new(),
    })
}

/// What `voxrun run` prints for a request the session ended before it could take.
const SESSION_GONE: &str = "< (no answer: the session has ended)";

/// Runs the files as one session inside the current `LocalSet`: Started, then each request
/// (its response is written to `out` after `< `), the log written to `out` as it happens.
pub async fn run_files(opts: RunOptions, out: Rc<dyn SessionLink>) -> RunReport {
    // Usage errors first (exit 2), before anything runs.
    let mut requests = Vec::new();
    for r in &opts.requests {
        match parse_request(r) {
            Some(ev) => requests.push(ev),
            None => {
                return RunReport {
                    exit_code: 2,
                    message: format!("bad --request {r:?}: expected 'METHOD PATH [BODY]'"),
                }
            }
        }
    }
    // A transcript file that cannot be written is found out before the session runs (and
    // its side effects happen), not after.
    if let Some(TranscriptOut::File(path)) = &opts.transcript {
        if let Err(e) = std::fs::write(path, "") {
            return RunReport {
                exit_code: 1,
                message: format!("cannot write the transcript to {}: {e}", path.display()),
            };
        }
    }
    let mut scenarios = Vec::new();
    for path in &opts.files {
        match std::fs::read_to_string(path) {
            Ok(source) => scenarios.push(ScenarioSource {
                name: path.display().to_string(),
                source,
            }),
            Err(e) => {
                return RunReport {
                    exit_code: 1,
                    message: format!("cannot read {}: {e}", path.display()),
                }
            }
        }
    }
    let spec = SessionSpec {
        session_id: 1,
        access_url: "http://127.0.0.1/request/local".to_string(),
        access_secure_url: "https://127.0.0.1/request/local".to_string(),
        custom_data: opts.custom_data.clone(),
        scenarios,
        calls: opts.calls.clone(),
        ..SessionSpec::default()
    };
    let clock = if opts.virtual_clock {
        let start_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        ClockSource::Virtual { start_ms }
    } else {
        ClockSource::System
    };
    let mut limits = opts.limits.clone();
    limits.fail_on_uncaught_error = true;
    let (tx, rx) = mpsc::channel(128);
    let link: Rc<dyn SessionLink> = Rc::new(RunLink {
        out: out.clone(),
        storage: MemoryStorage::default(),
        inbox: tx.clone(),
    });
    let (started_tx, started_rx) = oneshot::channel();
    let session = tokio::task::spawn_local(run_session(spec, limits, clock, link, rx, started_tx));
    let deadline = opts.timeout.map(|t| tokio::time::Instant::now() + t);
    let drive = async {
        if started_rx.await != Ok(StartResult::Started) {
            return;
        }
        // Once the session has ended, each request left says so instead of an answer.
        let mut ended = false;
        for ev in requests {
            out.write(&format!("> {} {}", ev.method, ev.path));
            if ended {
                out.write(SESSION_GONE);
                continue;
            }
            let (reply_tx, reply_rx) = oneshot::channel();
            let answer = match tx.send(SessionMsg::Http(ev, reply_tx.into())).await {
                Ok(()) => reply_rx.await.ok(),
                Err(_) => None,
            };
            match answer {
                Some(reply) => {
                    let ct = reply.content_type.map_or("", |t| t.mime());
                    out.write(format!("< {} {}", reply.status, ct).trim_end());
                    out.write(&String::from_utf8_lossy(&reply.body));
                }
                None => {
                    ended = true;
                    out.write(SESSION_GONE);
                }
            }
        }
        if ended {
            return;
        }
        let _ = tx.send(SessionMsg::InputDone).await;
    };
    let timed_out = match deadline {
        Some(d) => tokio::time::timeout_at(d, drive).await.is_err(),
        None => {
            drive.await;
            false
        }
    };
    let mut session = session;
    let mut timed_out = timed_out;
    if !timed_out {
        // Keep the inbox open: the session ends by itself (terminate, idle or max duration).
        match deadline {
            Some(d) => match tokio::time::timeout_at(d, &mut session).await {
                Ok(result) => return finish(result.ok(), false, &opts, &out),
                Err(_) => timed_out = true,
            },
            None => {
                let result = (&mut session).await;
                return finish(result.ok(), false, &opts, &out);
            }
        }
    }
    if timed_out {
        let _ = tx
            .send(SessionMsg::Terminate {
                reason: FinishReason::Timeout,
            })
            .await;
    }
    drop(tx);
    finish(session.await.ok(), timed_out, &opts, &out)
}

/// Writes the transcript where it was asked for and reports how the run ended.
fn finish(
    outcome: Option<SessionOutcome>,
    timed_out: bool,
    opts: &RunOptions,
    out: &Rc<dyn SessionLink>,
) -> RunReport {
    if let (Some(o), Some(to)) = (&outcome, &opts.transcript) {
        match to {
            TranscriptOut::Stdout => {
                for line in &o.transcript {
                    out.write(line);
                }
            }
            TranscriptOut::File(path) => {
                let mut text = o.transcript.join("\n");
                text.push('\n');
                if let Err(e) = std::fs::write(path, text) {
                    return RunReport {
                        exit_code: 1,
                        message: format!("cannot write the transcript to {}: {e}", path.display()),
                    };
                }
            }
        }
    }
    if outcome.as_ref().is_some_and(|o| o.idle) && !timed_out {
        return RunReport {
            exit_code: 2,
            message: "the session is idle: nothing can happen any more".to_string(),
        };
    }
    report(outcome.map(|o| o.finish_reason), timed_out)
}

fn report(reason: Option<FinishReason>, timed_out: bool) -> RunReport {
    if timed_out {
        return RunReport {
            exit_code: 2,
            message: "timeout: the session did not end within --timeout".to_string(),
        };
    }
    match reason {
        Some(FinishReason::Normal) => RunReport {
            exit_code: 0,
            message: FinishReason::Normal.as_str().to_string(),
        },
        Some(FinishReason::Timeout) => RunReport {
            exit_code: 2,
            message: FinishReason::Timeout.as_str().to_string(),
        },
        Some(FinishReason::JsError) => RunReport {
            exit_code: 1,
            message: FinishReason::JsError.as_str().to_string(),
        },
        Some(FinishReason::Admin) => RunReport {
            exit_code: 3,
            message: FinishReason::Admin.as_str().to_string(),
        },
        None => RunReport {
            exit_code: 1,
            message: "the session task failed".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::parse_request;

    #[test]
    fn requests_parse_method_path_and_body() {
        let ev = parse_request("post /a?b=1 {\"x\": 1}");
        assert_eq!(ev.as_ref().map(|e| e.method.as_str()), Some("POST"));
        assert_eq!(ev.as_ref().map(|e| e.path.as_str()), Some("/a?b=1"));
        assert_eq!(ev.as_ref().map(|e| e.content.as_str()), Some("{\"x\": 1}"));
        assert!(parse_request("GET").is_none());
    }
}
