//! The JavaScript session runtime (docs/sessions.md, docs/isolation.md#runaway-scripts, docs/sessions.md#decisions-where-the-platform-is-silent): the only module that imports
//! `boa_engine`. Everything public here is plain Rust; no Boa type crosses the boundary.
//!
//! # Interface
//! - [`run_session`] runs one whole session on the current thread (it must be polled inside
//!   a tokio `LocalSet`): creates the Boa context, installs the prelude (`runtime-js/`),
//!   evaluates the scenarios in order as separate scripts in one global scope, dispatches
//!   `AppEvents.Started`, signals `started`, then serves its inbox one message at a time
//!   ([`SessionMsg`]), runs timers, Promise jobs and Net requests, and on termination
//!   dispatches `Terminating` (one Net request allowed) and `Terminated`. It returns a
//!   [`SessionOutcome`].
//! - [`run_files`] is `voxrun run`: one session from files, no server, no store.
//!
//! # Inside
//! - `clock`: system or manual clock (JS timers, `Date`, log timestamps).
//! - `log`: the session log writer (timestamps, size cap).
//! - `host`: per-context host state, reached through one accessor ([`host::host`]).
//! - `executor`: a tokio-friendly `JobExecutor`; the session loop drains it under a deadline.
//! - `budget`: the per-event CPU limit.
//! - `engine`: context construction, limits, host hooks, prelude installation, budgeted runs.
//! - `code_cache`: compiled code shared by the contexts of one thread (the prelude, the
//!   dispatch scripts, a rule's scenario files), through the Boa patch in `vendor/`.
//! - `ops/`: native functions `op_<area>_<verb>`, one file per area.
//! - `net`: the HTTP client behind `Net.httpRequestAsync`.
//! - `session`: the session loop.
//!
//! # Containment
//! Script code runs inside `Script::evaluate_async_with_budget` under a per-event CPU budget
//! (`Limits::per_event`; `budget::EventBudget` counts only the CPU time this session's code is
//! being polled, so sessions sharing a worker thread do not use up each other's limit, and a
//! loaded machine does not use it up either): a listener, a timer callback or a Net callback is dispatched by a
//! tiny pre-parsed script, so an ordinary JS loop or call chain in it is interruptible.
//! Promise jobs that follow (the microtask checkpoint) share that deadline: the deadline is
//! checked between jobs, and the callback of each job (a `.then` reaction, a thenable's
//! `then`) is run through a second budgeted script from `HostHooks::call_job_callback`
//! (`engine::JobRunner`), so a runaway `.then` callback is stopped by the deadline too.
//! Inside a job, `RuntimeLimits` (loop iterations per frame, recursion, stack) also apply.
//! An overrun ends the session with "JS session error" and `systemError: true`.
//!
//! What Boa 0.22 cannot interrupt:
//! - heavy work (not one long loop: the loop limit stops that) inside a callback that a
//!   native builtin calls (`[1].forEach(...)`, `JSON.stringify` calling `toJSON`);
//! - code resumed after `await`. Boa resumes an async function from a *native* closure (the
//!   Await opcode's `onFulfilled`, which calls `GeneratorContext::resume` → `Context::run`,
//!   a synchronous, unbudgeted VM loop); there is no opcode that resumes a suspended frame
//!   inside the budgeted loop, and `run()` consults nothing time-based. So such code runs to
//!   completion, checked only by `RuntimeLimits` and by the deadline after the job. Worse,
//!   that closure discards the completion of `resume`, so a limit error raised after `await`
//!   is dropped: the async function never settles, the session lives on, and its request
//!   gets 504 after the reply timeout (the `containment_promise_loop` case). Fixing either
//!   needs a change in Boa (propagate the `resume` completion in `vm/opcode/await`; an
//!   interrupt check in `Context::run`).
//!
//! A run cut off by the deadline leaves the VM mid-frame, so that session skips
//! Terminating/Terminated (no `systemError: true` reaches a handler) and its context is
//! dropped. Why it is not safe to dispatch them on that context in 0.22: cutting
//! `evaluate_async_with_budget` off means dropping its future at a yield point, and Boa
//! has no public way to reset the VM afterwards. What is left: (1) the abandoned frames stay
//! on `vm.frames` (the script's `pop_frame` never ran) and the values on `vm.stack`; later
//! scripts push exit-early frames above them, so they are never executed again, but they
//! count against the recursion limit (`frames.len()`), so a Terminating handler could fail
//! at once after a loop cut off deep in a call chain; (2) a yield can fall between a caught
//! `throw` and the catch block's `Exception` opcode, leaving `vm.pending_exception` set, and
//! the next `finally` block anywhere (`MaybeException`) would re-throw that stale error into
//! the handler; (3) the shadow stack behind backtraces keeps stale entries. None of this is
//! memory-unsafe, but handler code would run on a VM whose invariants Boa no longer holds,
//! with misbehaviour that depends on where the yield fell. A clean alternative (a fresh
//! Context that calls the old context's listener functions: contexts on one thread share
//! one GC heap) is unverified against Boa's realm handling and left for later. Limit errors
//! (`RuntimeLimits`) unwind the VM cleanly, so after those Terminating and Terminated do run,
//! with `systemError: true`.
//! Those stuck cases keep the thread busy until the pool's watchdog notices; this module never
//! makes such a run longer (no retries, no re-entry after a fatal error).
//!
//! # Start cost (measured, release, 2 busy cores; `examples/start_cost.rs`, thread CPU)
//! Before the lazy prelude, one session start (context, prelude, a 50-line scenario,
//! Started) took ≈ 4.3 ms p50: the prelude's `Script::parse` ≈ 2.5 ms (≈ 150-180 µs per KB
//! of source, much of it per-character identifier checks in the lexer), its compilation and
//! evaluation ≈ 0.8 ms, the context ≈ 0.2 ms, the scenario ≈ 0.7 ms. So:
//! - only `00_core.js`, `10_events.js` and `90_dispatch.js` run at start; the timers, Net,
//!   the utilities, console, the error-text helpers and the HttpRequest reply path load on
//!   first use. Their globals are accessors that stay accessors: an earlier attempt whose
//!   accessors redefined themselves as data properties broke the `net_errors` case with
//!   "not a callable function". Cause (read in the 0.22 sources): `GetNameGlobal` fills its
//!   inline cache with the global object's shape as it is *after* the getter ran and the
//!   slot found *before* it, so a getter that changes the global object's shape leaves a
//!   stale cache entry;
//! - the sources lose comment lines and indentation once per process (≈ 3%);
//! - each thread compiles the prelude once, and a rule's scenario files once, and runs
//!   that code in every session's realm (`code_cache`, with the Boa patch in `vendor/`).
//!
//! Now ≈ 0.55 ms p50 (≈ 2.1-2.2 ms with the lazy prelude alone, before `code_cache`):
//! mostly the context's intrinsics and running the prelude and the scenario.

mod budget;
mod clock;
mod code_cache;

mod engine;
mod executor;
mod host;
mod lazy;
mod log;
mod memory_storage;
mod net;
mod ops;
mod prelude;
mod run_files;
mod session;
mod testing;
mod text;
mod work;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

pub use clock::ClockSource;
pub use engine::keep_spare_contexts;
pub use log::line_time;
pub(crate) use log::SecretMask;
pub use memory_storage::MemoryStorage;
pub use run_files::{run_files, run_files_blocking, RunOptions, RunReport, TranscriptOut};
pub use session::run_session;
pub use testing::{run_test_file, TestEvent, TestResult};

use crate::telephony::peer::PeerTable;
use crate::telephony::{CallSummary, FarEndAct, Inbound};

/// One scenario: its name (for error messages) and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioSource {
    pub name: String,
    pub source: String,
}

/// What a session is started with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionSpec {
    pub session_id: u64,
    pub account_id: u64,
    pub application_id: u64,
    pub access_url: String,
    pub access_secure_url: String,
    pub log_url: String,
    /// `Some` for conference sessions: `Started.conference_name`.
    pub conference_name: Option<String>,
    /// Initial `VoxEngine.customData()`.
    pub custom_data: String,
    /// Masked as `***` wherever a logged path contains it.
    pub control_secret: Option<String>,
    /// Evaluated in this order, as separate scripts in one global scope.
    pub scenarios: Vec<ScenarioSource>,
    /// The far ends of its outbound calls, and an inbound call to place after `Started`.
    #[serde(default)]
    pub calls: CallSetup,
}

/// How a session's calls are set up (docs/telephony.md#driving-calls-from-voxrun-run, docs/telephony.md#driving-calls-on-a-server).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CallSetup {
    /// Outbound calls take the far end of the first pattern matching the dialled number.
    pub peers: PeerTable,
    /// Placed right after `Started`: `CallAlerting` fires with it.
    pub inbound: Option<Inbound>,
    /// Put before every call id (a server's call ids name their session: `57-call-1`).
    #[serde(default)]
    pub call_prefix: String,
    /// `serve --clock virtual`: media and far-end waits take no time; timers stay real.
    #[serde(default)]
    pub instant_media: bool,
}

/// Per-session limits (docs/sessions.md, docs/isolation.md#runaway-scripts, docs/sessions.md#decisions-where-the-platform-is-silent).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Limits {
    /// CPU limit for one synchronous run of script code plus its microtasks.
    pub per_event: Duration,
    /// How long a Promise returned by an HttpRequest handler is awaited (then 504).
    pub event_reply_timeout: Duration,
    /// No event, timer, request or pending reply for this long → "Timeout".
    pub idle_timeout: Duration,
    /// Any session ends after this long → "Timeout".
    pub max_duration: Duration,
    /// Total script CPU of one session; past it → "JS session error".
    pub cpu_max: Duration,
    /// How long the Terminating handler's Net request is awaited.
    pub terminating_net_wait: Duration,
    /// `HOST[:PORT]` entries; `None` allows every destination.
    pub net_allow: Option<Vec<String>>,
    /// Net requests in flight at once (more are queued).
    pub net_in_flight: usize,
    /// Net requests per session (more get code 0).
    pub net_total: usize,
    /// Largest Net response body (more → code -9).
    pub net_max_response: usize,
    /// Log bytes per session; past it one notice is written and further lines dropped.
    pub max_log_bytes: usize,
    /// Active timers per session (the next `setTimeout` throws).
    pub max_timers: usize,
    /// `RuntimeLimits`: loop iterations per call frame.
    pub loop_iteration_limit: u64,
    /// `RuntimeLimits`: call depth.
    pub recursion_limit: usize,
    /// `RuntimeLimits`: VM value-stack size.
    pub stack_size_limit: usize,
    /// Largest `ArrayBuffer` a script may allocate.
    pub max_buffer_bytes: u64,
    /// `voxrun run`: an uncaught error in any callback ends the session ("JS session error").
    pub fail_on_uncaught_error: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_event: Duration::from_secs(1),
            event_reply_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_duration: Duration::from_secs(3600),
            cpu_max: Duration::from_secs(60),
            terminating_net_wait: Duration::from_secs(10),
            net_allow: None,
            net_in_flight: 3,
            net_total: 35,
            net_max_response: 2 * 1024 * 1024,
            max_log_bytes: 4 * 1024 * 1024,
            max_timers: 100,
            loop_iteration_limit: 10_000_000,
            recursion_limit: 400,
            stack_size_limit: 64 * 1024,
            max_buffer_bytes: 32 * 1024 * 1024,
            fail_on_uncaught_error: false,
        }
    }
}

/// One control-URL request, as the session sees it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HttpEvent {
    pub method: String,
    /// The URL path plus `?query` if any.
    pub path: String,
    /// The body as text (invalid UTF-8 replaced).
    pub content: String,
    /// Only the `X-*` headers (the runtime filters again, case-insensitively).
    pub headers: Vec<(String, String)>,
}

/// Whether a request header reaches the handler: the `X-*` ones do (any case).
pub fn is_event_header(name: &str) -> bool {
    name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"x-")
}

/// The answer to one control-URL request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpReply {
    pub status: u16,
    /// `None`: no `Content-Type` header (an empty answer).
    pub content_type: Option<ReplyType>,
    #[serde(with = "serde_bytes")]
    pub body: Vec<u8>,
}

/// What a control reply's body is. The MIME types a reply can have live here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyType {
    /// A string or number result, or a plain-text error.
    Text,
    /// Any other result, as JSON, or a JSON error object.
    Json,
}

impl ReplyType {
    /// The `Content-Type` header's value.
    pub fn mime(self) -> &'static str {
        match self {
            ReplyType::Text => "text/plain; charset=utf-8",
            ReplyType::Json => "application/json",
        }
    }

    /// The type `op_event_reply` names by its code (`91_http.js`: 0 none, 1 text, 2 JSON).
    pub(crate) fn from_code(code: f64) -> Option<ReplyType> {
        if code == 1.0 {
            Some(ReplyType::Text)
        } else if code == 2.0 {
            Some(ReplyType::Json)
        } else {
            None
        }
    }
}

impl HttpReply {
    pub(crate) fn status_only(status: u16, msg: &str) -> Self {
        HttpReply {
            status,
            content_type: Some(ReplyType::Json),
            body: serde_json::json!({ "error": msg }).to_string().into_bytes(),
        }
    }
}

/// Where the answer to one control-URL request goes: a channel, or a callback that a worker
/// process uses to write the answer to its socket from the session's own thread (no task to
/// wake). Dropped unanswered, it reports `None` (the session ended first).
pub struct ReplyTo(Option<Box<dyn FnOnce(Option<HttpReply>) + Send>>);

impl ReplyTo {
    pub fn callback(f: impl FnOnce(Option<HttpReply>) + Send + 'static) -> Self {
        ReplyTo(Some(Box::new(f)))
    }

    /// Drop it without reporting anything (the caller answers some other way).
    pub fn cancel(mut self) {
        self.0.take();
    }

    pub fn send(mut self, reply: HttpReply) {
        if let Some(f) = self.0.take() {
            f(Some(reply));
        }
    }
}

impl Drop for ReplyTo {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f(None);
        }
    }
}

impl std::fmt::Debug for ReplyTo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplyTo")
    }
}

/// A channel's receiver gets the answer; a dropped `ReplyTo` closes it unanswered.
impl From<oneshot::Sender<HttpReply>> for ReplyTo {
    fn from(tx: oneshot::Sender<HttpReply>) -> Self {
        ReplyTo::callback(move |r| {
            if let Some(r) = r {
                let _ = tx.send(r);
            }
        })
    }
}

/// Messages into a running session.
#[derive(Debug)]
pub enum SessionMsg {
    /// A control-URL request; the reply goes back through `ReplyTo`.
    Http(HttpEvent, ReplyTo),
    /// End the session (operator stop, server shutdown: [`FinishReason::Admin`]).
    Terminate { reason: FinishReason },
    /// Manual clock only: move it forward, run what became due, then acknowledge.
    AdvanceClock { ms: u64, done: oneshot::Sender<()> },
    /// `voxrun test` (manual clock): move the clock to `wall_ms` (never back), run
    /// everything due by then, and report what comes next.
    Sync {
        wall_ms: u64,
        done: oneshot::Sender<SyncReport>,
    },
    /// No more requests will come (`voxrun run`): under the virtual clock the session now
    /// moves time on when it is idle, and ends once nothing can happen any more.
    InputDone,
    /// The answer to one of the session's ApplicationStorage requests.
    Storage { id: u64, answer: StorageAnswer },
    /// Act as a call's far end now (the server's `/voxrun/v1/calls/{id}/...`).
    FarEnd {
        call: String,
        act: FarEndAct,
        done: oneshot::Sender<Result<(), String>>,
    },
}

/// A session's answer to [`SessionMsg::Sync`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    /// When its next timer or call event is due (wall-clock ms), if any.
    pub next_due_wall_ms: Option<u64>,
    /// Waiting for something in real time (a Net reply, a storage answer, a queued
    /// message): the clock must not move past it yet.
    pub busy: bool,
}

/// Why a session ended; [`FinishReason::as_str`] is the history row's `finish_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinishReason {
    Normal,
    Timeout,
    JsError,
    Admin,
}

impl FinishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FinishReason::Normal => "Normal termination",
            FinishReason::Timeout => "Timeout",
            FinishReason::JsError => "JS session error",
            FinishReason::Admin => "Terminated administratively",
        }
    }
}

/// How `Started` went; sent once through `run_session`'s `started` channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartResult {
    /// Scenarios loaded and Started dispatched.
    Started,
    /// A scenario failed to load (or the context could not be built); the session is ending.
    Failed(String),
}

/// What is left of a session once it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionOutcome {
    pub finish_reason: FinishReason,
    /// The final `VoxEngine.customData()`.
    pub custom_data: String,
    /// A fault (load error, limit overrun) ended it.
    pub system_error: bool,
    /// It ended because nothing could happen any more (virtual clock, input done).
    #[serde(default)]
    pub idle: bool,
    /// The transcript, one JSON line per entry.
    #[serde(default)]
    pub transcript: Vec<String>,
    /// One summary per call it made or received.
    #[serde(default)]
    pub calls: Vec<CallSummary>,
}

/// What a session sends out while it runs: its log, and its ApplicationStorage requests.
pub trait SessionLink {
    /// One log entry, `"YYYY-MM-DD HH:mm:ss.mmm text"` (UTC).
    fn write(&self, line: &str);

    /// A log entry that may be held back and sent with the next reply, like a transcript
    /// line; it still arrives before every entry written after it. The runtime's line for
    /// each control request goes this way.
    fn write_soon(&self, line: &str) {
        self.write(line);
    }

    /// One new transcript entry (docs/telephony.md#the-transcript), as its JSON line, as soon as it is recorded.
    /// The whole transcript also comes with the session's outcome.
    fn transcript(&self, line: &str) {
        let _ = line;
    }

    /// An ApplicationStorage request (docs/telephony.md#the-voxengine-surface). The answer must come back through the
    /// session's inbox as [`SessionMsg::Storage`] with the same id. `Err`: there is no
    /// storage here (the request fails with that text).
    fn storage(&self, request: StorageRequest) -> Result<(), String> {
        let _ = request;
        Err("ApplicationStorage is not available here".to_string())
    }

    /// Transcript lines and [`SessionLink::write_soon`] entries may be held back and sent
    /// with the next reply; the session calls this before it waits, so that none is held
    /// for long.
    fn flush(&self) {}
}

/// One ApplicationStorage request of a session's application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageRequest {
    /// Answered with the same id.
    pub id: u64,
    pub application_id: u64,
    pub op: StorageOp,
}

/// What a script asked ApplicationStorage for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageOp {
    Get {
        key: String,
    },
    /// `ttl`: seconds; `None`: the default.
    Put {
        key: String,
        value: String,
        ttl: Option<u64>,
    },
    Remove {
        key: String,
    },
    Keys {
        pattern: Option<String>,
        count: Option<u64>,
    },
}

/// A stored item, as scripts see it (`StorageKey`): `expire_at` in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageItem {
    pub key: String,
    pub value: String,
    pub expire_at: u64,
}

/// The answer to a [`StorageRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageAnswer {
    /// `get`, `put`, `remove`: the item (none: `get`/`remove` of a missing key).
    Item(Option<StorageItem>),
    Keys(Vec<String>),
    /// A clear error for the script (a limit, a bad key), or a storage failure.
    Failed(String),
}

/// The sender half of a session inbox, for convenience.
pub type Inbox = mpsc::Receiver<SessionMsg>;
