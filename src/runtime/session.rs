//! The session loop: load, Started, then one event at a time; timers, Net completions and
//! Promise jobs in between; Terminating and Terminated at the end.

use std::rc::Rc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};

use super::clock::{ClockSource, SessionClock};
use super::engine::{Engine, RunError};
use super::host::{Host, PendingReply, Phase};
use super::log::{SecretMask, SessionLog};
use super::work::Work;
use crate::telephony::Emulator;

use super::{
    FinishReason, HttpEvent, HttpReply, Limits, ReplyTo, SessionLink, SessionMsg, SessionOutcome,
    SessionSpec, StartResult,
};

/// How long the Terminating handler's Net request is awaited during a server shutdown.
const SHUTDOWN_NET_WAIT: Duration = Duration::from_secs(2);

/// The longest turn a session takes on its thread before it yields to the thread's other
/// sessions. A yield costs the thread an I/O poll (a system call), so a session with a queue
/// of quick requests answers several of them in one turn (BENCHMARKS.md, "The control path,
/// session 14").
const TURN: Duration = Duration::from_millis(1);

/// Runs one whole session on the current thread; must be polled inside a tokio `LocalSet`
/// (Net requests are spawned with `spawn_local`). See the module docs of [`crate::runtime`].
pub async fn run_session(
    mut spec: SessionSpec,
    limits: Limits,
    clock: ClockSource,
    log: Rc<dyn SessionLink>,
    inbox: mpsc::Receiver<SessionMsg>,
    started: oneshot::Sender<StartResult>,
) -> SessionOutcome {
    let clock = Rc::new(SessionClock::new(clock));
    let slog = SessionLog::new(log, clock.clone(), limits.max_log_bytes);
    let calls = Emulator::new(
        std::mem::take(&mut spec.calls.peers),
        crate::telephony::record_base(spec.session_id),
        std::mem::take(&mut spec.calls.call_prefix),
    );
    let mut host = Host::new(clock, slog, limits.clone(), calls, spec.application_id);
    host.instant_media = spec.calls.instant_media;
    let host = Rc::new(host);
    *host.custom_data.borrow_mut() = spec.custom_data.clone();
    let now = Instant::now();
    let mask = SecretMask::new(spec.control_secret.as_deref());
    let mut session = Session {
        host,
        mask,
        spec,
        inbox,
        engine: None,
        started: Some(started),
        next_request: 0,
        last_activity: now,
        turn_began: now,
        max_deadline: now
            .checked_add(limits.max_duration)
            .unwrap_or(now + Duration::from_secs(86_400 * 365)),
        limits,
        system_error: false,
        in_termination: false,
        idle: false,
    };
    let reason = session.run().await;
    session.finish(reason).await
}

struct Session {
    host: Rc<Host>,
    /// Hides the control secret in logged request paths.
    mask: SecretMask,
    spec: SessionSpec,
    limits: Limits,
    inbox: mpsc::Receiver<SessionMsg>,
    engine: Option<Engine>,
    started: Option<oneshot::Sender<StartResult>>,
    next_request: u64,
    last_activity: Instant,
    /// When this session's current turn on its thread began (see [`TURN`]).
    turn_began: Instant,
    max_deadline: Instant,
    system_error: bool,
    in_termination: bool,
    /// Ended because nothing could happen any more.
    idle: bool,
}

fn reply_503() -> HttpReply {
    HttpReply::status_only(503, "the session is ending")
}

impl Session {
    fn signal_started(&mut self, result: StartResult) {
        if let Some(tx) = self.started.take() {
            let _ = tx.send(result);
        }
    }

    fn fail_start(&mut self, msg: String) -> FinishReason {
        self.host.log.ending(&msg);
        self.system_error = true;
        self.signal_started(StartResult::Failed(msg));
        FinishReason::JsError
    }

    async fn run(&mut self) -> FinishReason {
        self.host
            .log
            .system(&format!("Session {} started", self.spec.session_id));
        let mut engine = match Engine::for_session(self.host.clone()) {
            Ok(e) => e,
            Err(msg) => return self.fail_start(format!("Session error: {msg}")),
        };
        if let Err((i, error)) = engine.load_scenarios(&self.spec.scenarios).await {
            let name = self.spec.scenarios.get(i).map_or("", |s| s.name.as_str());
            let msg = match error {
                RunError::Js(text) => format!("JS error while loading scenario {name}: {text}"),
                RunError::Fatal(f) => {
                    engine.clear_jobs();
                    format!(
                        "Session error while loading scenario {name}: {}",
                        f.describe()
                    )
                }
            };
            self.engine = Some(engine);
            return self.fail_start(msg);
        }
        self.engine = Some(engine);
        let mut started = json!({
            "name": "Application.Started",
            "accessURL": self.spec.access_url,
            "accessSecureURL": self.spec.access_secure_url,
            "accountId": self.spec.account_id,
            "applicationId": self.spec.application_id,
            "logURL": self.spec.log_url,
            "sessionId": self.spec.session_id,
        });
        if let Some(name) = &self.spec.conference_name {
            started["conference_name"] = json!(name);
        }
        if let Err(reason) = self.run_work(&Work::Event(started)).await {
            self.signal_started(StartResult::Failed(reason.as_str().to_string()));
            return reason;
        }
        self.signal_started(StartResult::Started);
        // The next start on this thread finds a context ready, built once this thread has
        // nothing more urgent to do.
        tokio::task::spawn_local(async {
            tokio::task::yield_now().await;
            Engine::refill_spare();
        });
        if let Some(call) = self.spec.calls.inbound.take() {
            let now = self.host.media_now();
            if let Err(e) = self.host.calls.borrow_mut().inbound(now, call) {
                self.host
                    .log
                    .system(&format!("The inbound call was not placed: {e}"));
            }
        }
        self.main_loop().await
    }

    /// Sends the transcript entries recorded since the last call out through the link.
    fn flush_transcript(&mut self) {
        self.host.flush_transcript();
    }

    /// Runs one work item; `Err` when it ends the session.
    async fn run_work(&mut self, work: &Work) -> Result<(), FinishReason> {
        let result = self.run_work_unflushed(work).await;
        self.flush_transcript();
        result
    }

    async fn run_work_unflushed(&mut self, work: &Work) -> Result<(), FinishReason> {
        self.last_activity = Instant::now();
        let Some(engine) = self.engine.as_mut() else {
            return Ok(());
        };
        if engine.dirty {
            return Ok(());
        }
        match engine.run(work).await {
            Ok(()) => {}
            Err(RunError::Js(text)) => {
                self.host.log.write(&format!("JS error: {text}"));
                self.host
                    .uncaught
                    .set(self.host.uncaught.get().saturating_add(1));
            }
            Err(RunError::Fatal(f)) => {
                engine.clear_jobs();
                let kind = work.kind();
                self.host
                    .log
                    .ending(&format!("Session error in {kind}: {}", f.describe()));
                self.system_error = true;
                return Err(FinishReason::JsError);
            }
        }
        if self.limits.fail_on_uncaught_error
            && !self.in_termination
            && self.host.uncaught.get() > 0
        {
            return Err(FinishReason::JsError);
        }
        Ok(())
    }

    /// Runs every timer that is due and every completed Net request (the manual clock's
    /// catch-up after an advance).
    async fn run_due(&mut self) -> Result<(), FinishReason> {
        while !self.host.terminate_requested.get() && self.run_one_due().await? {}
        Ok(())
    }

    /// Runs the first due timer, else the first completed Net request; `Ok(false)` when
    /// nothing was due.
    async fn run_one_due(&mut self) -> Result<bool, FinishReason> {
        if self.host.terminate_requested.get() {
            return Ok(false);
        }
        // The clock is read only when a timer or a media event is set: a session that
        // only answers its control URL comes here once a request.
        let scheduled =
            !self.host.timers.borrow().is_empty() || self.host.calls.borrow().next_due().is_some();
        if scheduled && self.run_due_timer_or_call().await? {
            return Ok(true);
        }
        let net = self.host.net.take_completed();
        if let Some((id, result)) = net {
            self.run_work(&Work::Net {
                id,
                result: result.to_json(),
            })
            .await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Runs the first due timer or media event (the earlier; ties: the timer); `Ok(false)`
    /// when neither is due.
    async fn run_due_timer_or_call(&mut self) -> Result<bool, FinishReason> {
        let now_ms = self.host.clock.elapsed_ms();
        // A media event due strictly before the first due timer goes first; ties: the timer.
        let timer_at = self
            .host
            .timers
            .borrow()
            .next_due()
            .filter(|t| *t <= now_ms);
        self.host.skip_media_waits();
        let media_now = self.host.media_now();
        let skew = self.host.media_skew.get();
        let call_at = self
            .host
            .calls
            .borrow()
            .next_due()
            .filter(|t| *t <= media_now);
        if let Some(c) = call_at {
            if timer_at.is_none_or(|t| c.saturating_sub(skew) < t) {
                let notice = self.host.calls.borrow_mut().take_due(media_now);
                if let Some(notice) = notice {
                    self.run_work(&Work::Call {
                        notice: serde_json::to_value(notice).unwrap_or(Value::Null),
                    })
                    .await?;
                    return Ok(true);
                }
            }
        }
        let catch_up = self.host.clock.is_manual();
        let due = self.host.timers.borrow_mut().take_due(now_ms, catch_up);
        if let Some((id, done)) = due {
            self.run_work(&Work::Timer {
                id: id.into(),
                done,
            })
            .await?;
            return Ok(true);
        }
        Ok(false)
    }

    fn idle(&self) -> bool {
        self.host.timers.borrow().is_empty()
            && !self.host.net.busy()
            && self.host.replies.borrow().is_empty()
            && self.host.calls.borrow().is_idle()
            && self.host.storage_pending.borrow().is_empty()
    }

    /// Virtual clock, nothing more to come from the driver (input done, or a request it
    /// waits on is unanswered), no Net reply or storage answer to wait for in real time:
    /// jumps to the next due timer, media event or reply timeout (`true`), or finds that
    /// nothing can happen any more (`false`, the session is idle). `None`: not applicable.
    fn virtual_jump(&self) -> Option<bool> {
        let clock = &self.host.clock;
        let awaited = self.host.input_done.get() || !self.host.replies.borrow().is_empty();
        if !clock.is_virtual()
            || !awaited
            || !self.inbox.is_empty()
            || self.host.net.busy()
            || !self.host.storage_pending.borrow().is_empty()
        {
            return None;
        }
        match self.next_due() {
            Some(at) => {
                clock.advance_to(at);
                Some(true)
            }
            None => Some(false),
        }
    }

    /// The session time (ms) of the next due timer, media event or reply timeout.
    fn next_due(&self) -> Option<u64> {
        let timer = self.host.timers.borrow().next_due();
        let call = self.host.calls.borrow().next_due();
        [timer, call, self.next_reply_due()]
            .into_iter()
            .flatten()
            .min()
    }

    /// What a `voxrun test` driver needs to know to move the shared clock on.
    fn sync_report(&self) -> super::SyncReport {
        let clock = &self.host.clock;
        let base = clock.wall_ms() - clock.elapsed_ms();
        super::SyncReport {
            next_due_wall_ms: self.next_due().map(|ms| base.saturating_add(ms)),
            busy: self.host.net.busy()
                || !self.host.storage_pending.borrow().is_empty()
                || !self.inbox.is_empty(),
        }
    }

    /// When the first Promise reply still waiting is answered 504 (session time, ms).
    fn next_reply_due(&self) -> Option<u64> {
        self.host.replies.borrow().values().map(|p| p.due_ms).min()
    }

    /// Answers 504 to Promise replies that took too long (session time).
    fn expire_replies(&self) {
        let mut replies = self.host.replies.borrow_mut();
        if replies.is_empty() {
            return;
        }
        let now_ms = self.host.clock.elapsed_ms();
        let late: Vec<u64> = replies
            .iter()
            .filter(|(_, p)| p.due_ms <= now_ms)
            .map(|(id, _)| *id)
            .collect();
        let late: Vec<PendingReply> = late.iter().filter_map(|id| replies.remove(id)).collect();
        drop(replies);
        for p in late {
            let reply = HttpReply::status_only(504, "the handler did not answer in time");
            self.host.answer(p, reply);
        }
    }

    /// One iteration does at most one inbox message and one timer or Net callback, and
    /// checks termination, the maximum duration and the reply deadlines between them, so
    /// neither a flood of requests nor a timer that is always due starves the other or keeps
    /// the session alive past its limits (docs/isolation.md). It yields to the thread's other
    /// sessions once it has worked for a [`TURN`].
    async fn main_loop(&mut self) -> FinishReason {
        loop {
            self.flush_transcript();
            // What the last piece of work wrote goes out before the loop may sleep.
            self.host.log.link().flush();
            if let Some(reason) = self.limits_reached() {
                return reason;
            }
            let mut worked = false;
            match self.inbox.try_recv() {
                Ok(msg) => {
                    if let Err(reason) = self.on_message(msg).await {
                        return reason;
                    }
                    worked = true;
                }
                Err(mpsc::error::TryRecvError::Empty) => {}
                Err(mpsc::error::TryRecvError::Disconnected) => return FinishReason::Admin,
            }
            if let Some(reason) = self.limits_reached() {
                return reason;
            }
            match self.run_one_due().await {
                Ok(ran) => worked |= ran,
                Err(reason) => return reason,
            }
            // After the timers: one due at the same moment may still settle the reply.
            self.expire_replies();
            if worked {
                if self.turn_began.elapsed() >= TURN {
                    tokio::task::yield_now().await;
                    self.turn_began = Instant::now();
                } else {
                    // tokio's cooperative budget still ends the turn of a session that
                    // goes on for many quick pieces of work.
                    tokio::task::consume_budget().await;
                }
                continue;
            }
            match self.virtual_jump() {
                Some(true) => continue,
                Some(false) => {
                    self.host
                        .log
                        .ending("The session is idle: nothing can happen any more");
                    self.idle = true;
                    return FinishReason::Timeout;
                }
                None => {}
            }
            let now = Instant::now();
            let mut wake = self.max_deadline;
            self.expire_replies();
            if let Some(at) = self
                .next_reply_due()
                .and_then(|ms| self.host.clock.instant_at(ms))
            {
                wake = wake.min(at);
            }
            if self.idle() {
                let idle_at = self.last_activity + self.limits.idle_timeout;
                if now >= idle_at {
                    self.host.log.ending("The session was idle too long");
                    return FinishReason::Timeout;
                }
                wake = wake.min(idle_at);
            }
            let next_timer = self.host.timers.borrow().next_due();
            if let Some(at) = next_timer.and_then(|ms| self.host.clock.instant_at(ms)) {
                wake = wake.min(at);
            }
            let next_call = self.host.calls.borrow().next_due();
            let skew = self.host.media_skew.get();
            let next_call = next_call.map(|ms| ms.saturating_sub(skew));
            if let Some(at) = next_call.and_then(|ms| self.host.clock.instant_at(ms)) {
                wake = wake.min(at);
            }
            let notify = self.host.wake.clone();
            tokio::select! {
                biased;
                msg = self.inbox.recv() => match msg {
                    None => return FinishReason::Admin,
                    Some(msg) => {
                        // The thread may have run its other sessions meanwhile: a new turn.
                        self.turn_began = Instant::now();
                        if let Err(reason) = self.on_message(msg).await {
                            return reason;
                        }
                    }
                },
                _ = notify.notified() => self.turn_began = Instant::now(),
                _ = tokio::time::sleep_until(wake.into()) => self.turn_began = Instant::now(),
            }
        }
    }

    /// Termination asked for, or the maximum duration reached.
    fn limits_reached(&mut self) -> Option<FinishReason> {
        if self.host.terminate_requested.get() {
            return Some(FinishReason::Normal);
        }
        let now = Instant::now();
        if now >= self.max_deadline {
            self.host
                .log
                .ending("The session reached its maximum duration");
            return Some(FinishReason::Timeout);
        }
        None
    }

    /// `Err` when the message ends the session.
    async fn on_message(&mut self, msg: SessionMsg) -> Result<(), FinishReason> {
        match msg {
            SessionMsg::Terminate { reason } => Err(reason),
            SessionMsg::Http(event, tx) => self.handle_http(event, tx).await,
            SessionMsg::AdvanceClock { ms, done } => {
                self.host.clock.advance(ms);
                let result = self.run_due().await;
                let _ = done.send(());
                result
            }
            SessionMsg::Sync { wall_ms, done } => {
                let clock = &self.host.clock;
                clock.advance_to(wall_ms.saturating_sub(clock.wall_ms() - clock.elapsed_ms()));
                let result = self.run_due().await;
                self.flush_transcript();
                let _ = done.send(self.sync_report());
                result
            }
            SessionMsg::InputDone => {
                self.host.input_done.set(true);
                Ok(())
            }
            SessionMsg::Storage { id, answer } => {
                if !self.host.storage_pending.borrow_mut().remove(&id) {
                    return Ok(());
                }
                let answer = serde_json::to_value(answer).unwrap_or(Value::Null);
                self.run_work(&Work::Storage { id, answer }).await
            }
            SessionMsg::FarEnd { call, act, done } => {
                let now = self.host.media_now();
                let result = self.host.calls.borrow_mut().far_end_act(now, &call, &act);
                let _ = done.send(result.map_err(|e| e.to_string()));
                Ok(())
            }
        }
    }

    async fn handle_http(&mut self, event: HttpEvent, tx: ReplyTo) -> Result<(), FinishReason> {
        if self.host.terminate_requested.get() {
            tx.send(reply_503());
            return Ok(());
        }
        let path = self.mask.apply(&event.path);
        self.host
            .log
            .request_line(&["HTTP request ", &event.method, " ", &path]);
        self.next_request += 1;
        let id = self.next_request;
        let timeout_ms =
            u64::try_from(self.limits.event_reply_timeout.as_millis()).unwrap_or(u64::MAX);
        let pending = PendingReply {
            tx,
            due_ms: self.host.clock.elapsed_ms().saturating_add(timeout_ms),
            method: event.method.clone(),
            path,
        };
        self.host.replies.borrow_mut().insert(id, pending);
        let work = Work::Http { id, event };
        let result = self.run_work(&work).await;
        if result.is_err() {
            self.host.reply(
                id,
                HttpReply::status_only(504, "the handler broke a script limit; the session ended"),
            );
        }
        result
    }

    /// Rejects every queued request with 503 and acknowledges clock moves.
    fn reject_queued(&mut self) {
        while let Ok(msg) = self.inbox.try_recv() {
            match msg {
                SessionMsg::Http(_, tx) => {
                    tx.send(reply_503());
                }
                SessionMsg::AdvanceClock { done, .. } => {
                    let _ = done.send(());
                }
                SessionMsg::FarEnd { done, .. } => {
                    let _ = done.send(Err("the session is ending".to_string()));
                }
                SessionMsg::Terminate { .. }
                | SessionMsg::InputDone
                | SessionMsg::Sync { .. }
                | SessionMsg::Storage { .. } => {}
            }
        }
    }

    async fn finish(mut self, mut reason: FinishReason) -> SessionOutcome {
        self.in_termination = true;
        self.signal_started(StartResult::Failed(reason.as_str().to_string()));
        self.host.terminate_requested.set(true);
        self.host.phase.set(Phase::Terminating);
        self.host.timers.borrow_mut().clear();
        let now_ms = self.host.media_now();
        self.host.calls.borrow_mut().end_all(now_ms);
        self.reject_queued();
        let clean = self.engine.as_ref().is_some_and(|e| !e.dirty);
        if clean {
            // Requests made before the end are not awaited: only the Terminating handler's.
            self.host.net.abandon_all();
            self.host.net.terminating_allowance.set(1);
            let mut ev = json!({ "name": "Application.Terminating" });
            if self.system_error {
                ev["systemError"] = json!(true);
            }
            // A limit overrun in Terminating or Terminated ends the session as one anywhere
            // else does: "JS session error" (docs/sessions.md), whatever ended it first.
            let terminating = self.run_work(&Work::Event(ev)).await;
            if let Err(r) = terminating {
                reason = r;
            }
            if terminating.is_ok() && self.wait_for_net(reason).await {
                self.host.phase.set(Phase::Terminated);
                let mut ev = json!({ "name": "Application.Terminated" });
                if self.system_error {
                    ev["systemError"] = json!(true);
                }
                if let Err(r) = self.run_work(&Work::Event(ev)).await {
                    reason = r;
                }
            }
        }
        self.host.phase.set(Phase::Terminated);
        self.host.net.abort_all();
        if let Some(engine) = &self.engine {
            engine.clear_jobs();
        }
        let pending: Vec<PendingReply> = self
            .host
            .replies
            .borrow_mut()
            .drain()
            .map(|(_, p)| p)
            .collect();
        for p in pending {
            self.host.answer(p, reply_503());
        }
        self.inbox.close();
        self.reject_queued();
        self.host
            .log
            .ending(&format!("Session ended: {}", reason.as_str()));
        self.engine = None;
        let now_ms = self.host.media_now();
        let mut calls = self.host.calls.borrow_mut();
        let dropped = calls.transcript().dropped();
        if dropped > 0 {
            self.host.log.ending(&format!(
                "The transcript reached its cap of {} entries; {dropped} later entries were not kept",
                crate::telephony::transcript::MAX_ENTRIES
            ));
        }
        calls.transcript_mut().record_final(now_ms, reason.as_str());
        drop(calls);
        self.flush_transcript();
        let calls = self.host.calls.borrow();
        SessionOutcome {
            finish_reason: reason,
            custom_data: self.host.custom_data.borrow().clone(),
            system_error: self.system_error,
            idle: self.idle,
            transcript: calls.transcript().lines_from(0),
            calls: calls.summaries(),
        }
    }

    /// Delivers the Terminating handler's Net request (awaited up to the limit).
    /// `false` when a fault ended the wait.
    async fn wait_for_net(&mut self, reason: FinishReason) -> bool {
        // A server shutdown waits less (docs/sessions.md#decisions-where-the-platform-is-silent: 2 s), so that every session gets its turn.
        let wait = match reason {
            FinishReason::Admin => self.limits.terminating_net_wait.min(SHUTDOWN_NET_WAIT),
            _ => self.limits.terminating_net_wait,
        };
        let deadline = Instant::now() + wait;
        loop {
            let done = self.host.net.take_completed();
            if let Some((id, result)) = done {
                let work = Work::Net {
                    id,
                    result: result.to_json(),
                };
                if self.run_work(&work).await.is_err() {
                    return false;
                }
                continue;
            }
            if !self.host.net.busy() || Instant::now() >= deadline {
                return true;
            }
            let notify = self.host.wake.clone();
            tokio::select! {
                msg = self.inbox.recv() => match msg {
                    Some(SessionMsg::Http(_, tx)) => { tx.send(reply_503()); }
                    Some(SessionMsg::AdvanceClock { done, .. }) => { let _ = done.send(()); }
                    Some(SessionMsg::FarEnd { done, .. }) => {
                        let _ = done.send(Err("the session is ending".to_string()));
                    }
                    Some(
                        SessionMsg::Terminate { .. }
                        | SessionMsg::Sync { .. }
                        | SessionMsg::InputDone
                        | SessionMsg::Storage { .. },
                    ) => {}
                    None => return true,
                },
                _ = notify.notified() => {}
                _ = tokio::time::sleep_until(deadline.into()) => {}
            }
        }
    }
}
