//! `voxrun test`: one test file, its tests one after another, each test's sessions beside
//! it on this thread, all on one virtual clock (docs/testing.md).
//!
//! - `world`: the sessions and the clock (plain Rust).
//! - `context`: the test file's Boa context and the harness (`runtime-js/test_harness.js`).
//! - `ops`: the `op_test_*` functions; the ones that wait leave a `Waiting` entry.
//!
//! The driver below runs a test until its Promise settles: it runs the test's Promise jobs,
//! lets every session run what is due now, settles the waits that can be settled, and only
//! when nothing else can happen moves the clock to the next moment anything is due.

mod context;
mod ops;
mod world;

use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use boa_engine::builtins::promise::PromiseState;
use boa_engine::object::builtins::JsPromise;
use boa_engine::{JsError, JsNativeError, JsValue};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot::error::TryRecvError;

use self::context::TestContext;
use self::ops::Waiting;
use self::world::{World, IDLE_MS, WAIT_MAX_MS};
use crate::runtime::{FinishReason, StartResult};

/// How one test went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub passed: bool,
    /// Why it failed (empty when it passed).
    pub message: String,
    /// Virtual time the test took.
    pub virtual_ms: u64,
    /// Real time it took.
    pub real_ms: u64,
}

/// What running a test file reports, in order (the child process of `voxrun test` prints
/// one JSON line per event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TestEvent {
    /// A test is about to run (so that a file killed for taking too long can name it).
    Begin {
        name: String,
    },
    Test(TestResult),
    /// The file could not run at all (a syntax error, an error at its top level).
    FileError {
        message: String,
    },
}

/// Runs the tests of the file at `path` whose names contain `filter` (all when `None`),
/// on a fresh current-thread runtime; `emit` gets each result as soon as it is known.
pub fn run_test_file(path: &Path, filter: Option<&str>, emit: &mut dyn FnMut(TestEvent)) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            emit(TestEvent::FileError {
                message: format!("cannot start a runtime: {e}"),
            });
            return;
        }
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, run_file(path, filter, emit));
}

async fn run_file(path: &Path, filter: Option<&str>, emit: &mut dyn FnMut(TestEvent)) {
    let name = path.display().to_string();
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            emit(TestEvent::FileError {
                message: format!("cannot read {name}: {e}"),
            });
            return;
        }
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let world = Rc::new(World::new(dir));
    let mut tc = match TestContext::load(world.clone(), &name, &source).await {
        Ok(tc) => tc,
        Err(message) => {
            emit(TestEvent::FileError { message });
            return;
        }
    };
    let names = match tc.test_names() {
        Ok(n) => n,
        Err(message) => {
            emit(TestEvent::FileError { message });
            return;
        }
    };
    for (i, test_name) in names.into_iter().enumerate() {
        if filter.is_some_and(|f| !test_name.contains(f)) {
            continue;
        }
        emit(TestEvent::Begin {
            name: test_name.clone(),
        });
        let (t0, v0) = (Instant::now(), world.now());
        let outcome = run_test(&mut tc, i).await;
        world.end_all(FinishReason::Admin).await;
        tc.host.waiting.borrow_mut().clear();
        let _ = tc.drain().await;
        emit(TestEvent::Test(TestResult {
            name: test_name,
            passed: outcome.is_ok(),
            message: outcome.err().unwrap_or_default(),
            virtual_ms: world.now().saturating_sub(v0),
            real_ms: t0.elapsed().as_millis() as u64,
        }));
    }
}

/// Runs test `i` until its Promise settles; `Err` says why it failed.
async fn run_test(tc: &mut TestContext, i: usize) -> Result<(), String> {
    let value = tc.start_test(i)?;
    let promise = value
        .as_object()
        .and_then(|o| JsPromise::from_object(o.clone()).ok())
        .ok_or("the test harness did not return a Promise")?;
    let world = tc.host.world.clone();
    loop {
        if let Err(e) = tc.drain().await {
            return Err(tc.error_text(e));
        }
        match promise.state() {
            PromiseState::Fulfilled(_) => return Ok(()),
            PromiseState::Rejected(v) => {
                return Err(tc.value_text(&v).unwrap_or_else(|| "rejected".to_string()))
            }
            PromiseState::Pending => {}
        }
        // The test file has no timers of its own and its jobs have all run: only a wait on
        // a voxrun handle can settle its Promise now. With none, moving the clock on (a
        // session's interval would let it move for ever) cannot help.
        if tc.host.waiting.borrow().is_empty() {
            return Err(NOTHING_CAN_SETTLE.to_string());
        }
        let round = world.sync().await;
        if settle_advances(tc, world.now()) | settle_ready(tc) {
            continue;
        }
        if settle_steps(tc, |since, seen| {
            (seen != world.fingerprint())
                .then_some(Ok(()))
                .or_else(|| (world.now() >= since + WAIT_MAX_MS).then(|| Err(hour())))
        }) {
            continue;
        }
        if round.busy {
            // A Net reply or storage answer is on its way in real time.
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        }
        let advance = tc
            .host
            .waiting
            .borrow()
            .iter()
            .filter_map(|(w, _)| match w {
                Waiting::Advance { until } => Some(*until),
                _ => None,
            })
            .min();
        let next = match (round.next_due_wall_ms, advance) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match next {
            Some(at) => {
                // A wait that would see an hour go by with nothing for it fails at that hour.
                let cap = tc
                    .host
                    .waiting
                    .borrow()
                    .iter()
                    .filter_map(|(w, _)| match w {
                        Waiting::Step { since, .. } => Some(since + WAIT_MAX_MS),
                        _ => None,
                    })
                    .min();
                world.set_now(cap.map_or(at, |c| c.min(at)));
            }
            None if round.live > 0 => {
                // Nothing is due anywhere: the sessions end as idle ones do on a server.
                world.set_now(world.now() + IDLE_MS);
                world.sync().await;
                world.end_all(FinishReason::Timeout).await;
            }
            None => {
                let nothing = || Err("nothing can happen any more (no session is live)".into());
                if !settle_steps(tc, |_, _| Some(nothing())) {
                    return Err(format!(
                        "{NOTHING_CAN_SETTLE} (no session is live and nothing is due)"
                    ));
                }
            }
        }
    }
}

/// Why a test whose Promise nothing can settle fails.
const NOTHING_CAN_SETTLE: &str = "the test waits for a Promise that nothing can settle";

fn hour() -> String {
    format!(
        "nothing it waits for happened in {} minutes of virtual time",
        WAIT_MAX_MS / 60_000
    )
}

fn resolve(
    tc: &mut TestContext,
    fns: &boa_engine::builtins::promise::ResolvingFunctions,
    v: JsValue,
) {
    let _ = fns.resolve.call(&JsValue::undefined(), &[v], &mut tc.ctx);
}

fn reject(
    tc: &mut TestContext,
    fns: &boa_engine::builtins::promise::ResolvingFunctions,
    msg: &str,
) {
    let err: JsError = JsNativeError::error().with_message(msg.to_string()).into();
    let v = err.into_opaque(&mut tc.ctx).unwrap_or_default();
    let _ = fns.reject.call(&JsValue::undefined(), &[v], &mut tc.ctx);
}

/// Settles the waits whose answer came (a start, a reply, a far-end action); `true` if any.
fn settle_ready(tc: &mut TestContext) -> bool {
    let list = std::mem::take(&mut *tc.host.waiting.borrow_mut());
    let mut keep = Vec::with_capacity(list.len());
    let mut settled = false;
    for (w, fns) in list {
        match w {
            Waiting::Started(id, mut rx) => match rx.try_recv() {
                Ok(StartResult::Started) => resolve(tc, &fns, JsValue::from(id as f64)),
                Ok(StartResult::Failed(msg)) => {
                    reject(tc, &fns, &format!("session {id} did not start: {msg}"))
                }
                Err(TryRecvError::Closed) => {
                    reject(tc, &fns, &format!("session {id} did not start"))
                }
                Err(TryRecvError::Empty) => {
                    keep.push((Waiting::Started(id, rx), fns));
                    continue;
                }
            },
            Waiting::Reply(mut rx) => match rx.try_recv() {
                Ok(reply) => {
                    let v = serde_json::json!({
                        "status": reply.status,
                        "body": String::from_utf8_lossy(&reply.body),
                        "contentType": reply.content_type.map(|t| t.mime()),
                    });
                    let v = JsValue::from_json(&v, &mut tc.ctx).unwrap_or_default();
                    resolve(tc, &fns, v);
                }
                Err(TryRecvError::Closed) => {
                    reject(tc, &fns, "the session ended before it answered")
                }
                Err(TryRecvError::Empty) => {
                    keep.push((Waiting::Reply(rx), fns));
                    continue;
                }
            },
            Waiting::FarEnd(mut rx) => match rx.try_recv() {
                Ok(Ok(())) => resolve(tc, &fns, JsValue::undefined()),
                Ok(Err(msg)) => reject(tc, &fns, &msg),
                Err(TryRecvError::Closed) => reject(tc, &fns, "the session has ended"),
                Err(TryRecvError::Empty) => {
                    keep.push((Waiting::FarEnd(rx), fns));
                    continue;
                }
            },
            other => {
                keep.push((other, fns));
                continue;
            }
        }
        settled = true;
    }
    tc.host.waiting.borrow_mut().extend(keep);
    settled
}

/// Settles each `Step` wait for which `decide(since, seen)` says so; `true` if any.
fn settle_steps(
    tc: &mut TestContext,
    decide: impl Fn(u64, u64) -> Option<Result<(), String>>,
) -> bool {
    let list = std::mem::take(&mut *tc.host.waiting.borrow_mut());
    let mut keep = Vec::with_capacity(list.len());
    let mut settled = false;
    for (w, fns) in list {
        if let Waiting::Step { since, seen } = w {
            match decide(since, seen) {
                Some(Ok(())) => resolve(tc, &fns, JsValue::undefined()),
                Some(Err(msg)) => reject(tc, &fns, &msg),
                None => {
                    keep.push((w, fns));
                    continue;
                }
            }
            settled = true;
        } else {
            keep.push((w, fns));
        }
    }
    tc.host.waiting.borrow_mut().extend(keep);
    settled
}

/// Settles the `Advance` waits whose time has come (the sessions have caught up with it);
/// `true` if any.
fn settle_advances(tc: &mut TestContext, now: u64) -> bool {
    let list = std::mem::take(&mut *tc.host.waiting.borrow_mut());
    let mut keep = Vec::with_capacity(list.len());
    let mut settled = false;
    for (w, fns) in list {
        match w {
            Waiting::Advance { until } if until <= now => {
                resolve(tc, &fns, JsValue::undefined());
                settled = true;
            }
            other => keep.push((other, fns)),
        }
    }
    tc.host.waiting.borrow_mut().extend(keep);
    settled
}
