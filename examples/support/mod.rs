//! What the examples share.
// Each example compiles this module on its own and uses only some of it.
#![allow(dead_code, clippy::unwrap_used)]

use std::future::Future;
use std::time::Duration;

/// A session link that drops the session's log and transcript (the micro-measurements
/// run sessions without a supervisor).
pub struct Discard;

impl voxrun::runtime::SessionLink for Discard {
    fn write(&self, _: &str) {}
}

/// Runs `f` on a current-thread runtime inside a `LocalSet`, as a worker's JS thread does.
pub fn on_one_js_thread<F: Future>(f: F) -> F::Output {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tokio::task::LocalSet::new().block_on(&rt, f)
}

/// A session started on this thread by [`spawn_session`].
pub struct LocalSession {
    /// Its inbox: the session ends when this is dropped.
    pub inbox: tokio::sync::mpsc::Sender<voxrun::runtime::SessionMsg>,
    pub started: tokio::sync::oneshot::Receiver<voxrun::runtime::StartResult>,
    pub task: tokio::task::JoinHandle<voxrun::runtime::SessionOutcome>,
}

/// Starts session `id` running one scenario, on this thread (inside a `LocalSet`), with
/// the default limits, the system clock and a [`Discard`] link.
pub fn spawn_session(id: u64, source: &str, control_secret: Option<&str>) -> LocalSession {
    use voxrun::runtime::{ClockSource, Limits, ScenarioSource, SessionSpec};
    let spec = SessionSpec {
        session_id: id,
        scenarios: vec![ScenarioSource {
            name: "scenario.js".into(),
            source: source.to_string(),
        }],
        control_secret: control_secret.map(str::to_string),
        ..SessionSpec::default()
    };
    let (inbox, rx) = tokio::sync::mpsc::channel(100);
    let (started_tx, started) = tokio::sync::oneshot::channel();
    let task = tokio::task::spawn_local(voxrun::runtime::run_session(
        spec,
        Limits::default(),
        ClockSource::System,
        std::rc::Rc::new(Discard),
        rx,
        started_tx,
    ));
    LocalSession {
        inbox,
        started,
        task,
    }
}

/// CPU time of the calling thread.
pub fn thread_cpu() -> Duration {
    voxrun::cpu::thread_cpu().unwrap_or_default()
}

/// VmRSS from a `/proc/<pid>/status` file, in KiB (0 when it cannot be read).
pub fn process_rss_kib(status_path: &str) -> u64 {
    std::fs::read_to_string(status_path)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A 50-line scenario of the usual shape: state, helpers, listeners. `on_started` ends the
/// Started listener (`load` terminates there so sustained starts measure start cost, not a
/// growing session count; `start_cost` ends each session itself after timing the start).
pub fn fifty_lines(on_started: &str) -> String {
    let mut s = String::from("const state = { calls: 0, started: null, log: [] };\n");
    for i in 0..20 {
        s.push_str(&format!(
            "function helper{i}(x) {{ state.calls++; return x * {i} + state.log.length; }}\n"
        ));
    }
    for i in 0..10 {
        s.push_str(&format!(
            "const table{i} = [{i}, {}, {}].map(helper{i});\n",
            i + 1,
            i + 2
        ));
    }
    s.push_str("VoxEngine.addEventListener(AppEvents.Started, (e) => {\n");
    for i in 0..14 {
        s.push_str(&format!("  state.log.push(helper{i}(e.sessionId));\n"));
    }
    s.push_str(&format!("  {on_started}\n}});\n"));
    s.push_str("VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => ({ ok: true, calls: state.calls }));\n");
    s.push_str("VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('bye ' + state.calls));\n");
    s
}
