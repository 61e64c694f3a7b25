//! The Boa side of a session: context construction (limits, clock, host hooks), the
//! prelude, and budgeted runs of script code under the per-event deadline.

use crate::runtime::text::rust_string;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::path::Path;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

use boa_engine::builtins::promise::{OperationType, Promise, PromiseState};
use boa_engine::context::{ContextBuilder, HostHooks};
use boa_engine::error::{EngineError, PanicError};
use boa_engine::job::{Job, JobCallback};
use boa_engine::module::{Module, ModuleLoader, ModuleRequest, Referrer};
use boa_engine::object::builtins::{JsArray, JsPromise};
use boa_engine::vm::RuntimeLimits;
use boa_engine::{
    js_string, Context, JsError, JsNativeError, JsObject, JsResult, JsValue, Script, Source,
};

use super::budget::{metered, EventBudget};
use super::clock::BoaClock;
use super::executor::Executor;
use super::host::Host;
use super::ops;
use super::work::EventShapes;
use super::work::Work;
use super::{code_cache, lazy, prelude, ScenarioSource};

/// VM "clock cycles" between yields to tokio (and deadline checks).
const BUDGET: u32 = 20_000;

/// The one script the session evaluates to run any callback: it calls the prelude's
/// dispatcher, which takes the work item with `op_run_take`.
const DISPATCH: &str = "__voxrun()";

/// The script that runs one Promise job's callback (see [`JobRunner`]).
const JOB_DISPATCH: &str = "__voxrun_job()";

/// Runs the callbacks of Promise jobs (`.then` reactions, thenable jobs, the closures that
/// resume an `async` function after `await`) through a budgeted script, so that script code
/// in them runs under the per-event deadline like a listener does.
///
/// Boa calls [`HostHooks::call_job_callback`] synchronously from inside the job. The hook
/// stores the callback and its arguments, evaluates [`JOB_DISPATCH`] with
/// `evaluate_async_with_budget` and polls that future itself (no executor: the future only
/// ever waits on Boa's own yield points), checking the deadline at every yield. The prelude's
/// `__voxrun_job` calls the callback directly (a JS-to-JS call), so a JS callback's frames
/// run in the budgeted loop. Past the deadline the future is dropped (the VM is left
/// mid-frame: the session is ended, see `Engine::dirty`) and the hook returns an engine
/// error, which Boa's job propagates out uncaught.
///
/// Not covered: a *native* callback runs its own nested, unbudgeted VM loop. That is what
/// resumes an `async` function after `await` (Boa's Await closure calls
/// `GeneratorContext::resume`, which runs `Context::run` synchronously), so code after
/// `await` is still only checked by `RuntimeLimits` and by the deadline after the job.
pub(crate) struct JobRunner {
    script: Script,
    /// Set while the session loop drains jobs; unset: call callbacks directly.
    active: Cell<bool>,
    budget: Rc<EventBudget>,
    /// A job ran past the deadline and was abandoned mid-frame.
    overrun: Cell<bool>,
    /// The job `__voxrun_job` takes: `[callback, this, ...args]`.
    pending: RefCell<Option<JsValue>>,
    /// Promises rejected with no handler, in rejection order (HostPromiseRejectionTracker);
    /// reported at the end of the microtask checkpoint unless a handler came meanwhile.
    unhandled: RefCell<Vec<JsObject>>,
}

impl JobRunner {
    /// The job waiting for `__voxrun_job` (once).
    pub(crate) fn take(ctx: &Context) -> Option<JsValue> {
        ctx.get_data::<Rc<JobRunner>>()
            .and_then(|r| r.pending.borrow_mut().take())
    }

    fn call(
        &self,
        job: &JobCallback,
        this: &JsValue,
        args: &[JsValue],
        ctx: &mut Context,
    ) -> JsResult<JsValue> {
        if self.overrun.get() {
            return Err(overrun_error());
        }
        if !self.active.get() {
            return job.callback().call(this, args, ctx);
        }
        let mut items = Vec::with_capacity(args.len() + 2);
        items.push(JsValue::from(job.callback().clone()));
        items.push(this.clone());
        items.extend(args.iter().cloned());
        let array = JsArray::from_iter(items, ctx);
        *self.pending.borrow_mut() = Some(array.into());
        let script = self.script.clone();
        let result = {
            let mut fut = pin!(script.evaluate_async_with_budget(ctx, BUDGET));
            let mut cx = std::task::Context::from_waker(Waker::noop());
            loop {
                match fut.as_mut().poll(&mut cx) {
                    Poll::Ready(r) => break Some(r),
                    Poll::Pending if self.budget.exceeded() => break None,
                    Poll::Pending => {}
                }
            }
        };
        self.pending.borrow_mut().take();
        match result {
            Some(r) => r,
            None => {
                self.overrun.set(true);
                Err(overrun_error())
            }
        }
    }
}

/// The uncatchable error a job is abandoned with (classified by [`JobRunner::overrun`]).
fn overrun_error() -> JsError {
    PanicError::new(format!(
        "{OUR_PANICS} a Promise job ran longer than the per-event limit"
    ))
    .into()
}

/// A fault that ends the session.
#[derive(Debug)]
pub(crate) enum Fatal {
    /// Script code ran past the per-event deadline.
    Overrun,
    /// A `RuntimeLimits` limit (or another uncatchable engine error).
    Limit(String),
}

impl Fatal {
    pub(crate) fn describe(&self) -> String {
        match self {
            Fatal::Overrun => "script code ran longer than the per-event limit".to_string(),
            Fatal::Limit(m) => m.clone(),
        }
    }
}

#[derive(Debug)]
pub(crate) enum RunError {
    Fatal(Fatal),
    /// An ordinary exception, with its stack.
    Js(String),
}

/// How the engine errors voxrun raises itself begin.
const OUR_PANICS: &str = "voxrun:";

/// The message of every `import()` and `import ... from` (docs/isolation.md).
pub(crate) const NO_MODULES: &str = "modules are not available in VoxEngine scenarios";

/// Refuses every module: Boa's default loader reads files relative to the working directory.
struct NoModules;

impl ModuleLoader for NoModules {
    fn load_imported_module(
        self: Rc<Self>,
        _referrer: Referrer,
        _request: ModuleRequest,
        _context: &RefCell<&mut Context>,
    ) -> impl Future<Output = JsResult<Module>> {
        std::future::ready(Err(JsNativeError::error().with_message(NO_MODULES).into()))
    }
}

struct Hooks {
    max_buffer: Cell<u64>,
}

impl HostHooks for Hooks {
    /// Scripts see UTC; the host's time zone does not leak.
    fn local_timezone_offset_seconds(&self, _: i64) -> i32 {
        0
    }

    fn max_buffer_size(&self, _: &mut Context) -> u64 {
        self.max_buffer.get()
    }

    fn call_job_callback(
        &self,
        job: &JobCallback,
        this: &JsValue,
        args: &[JsValue],
        ctx: &mut Context,
    ) -> JsResult<JsValue> {
        match ctx.get_data::<Rc<JobRunner>>().cloned() {
            Some(runner) => runner.call(job, this, args, ctx),
            None => job.callback().call(this, args, ctx),
        }
    }

    fn promise_rejection_tracker(
        &self,
        promise: &JsObject<Promise>,
        operation: OperationType,
        ctx: &mut Context,
    ) {
        let Some(runner) = ctx.get_data::<Rc<JobRunner>>() else {
            return;
        };
        let promise = promise.clone().upcast();
        let mut list = runner.unhandled.borrow_mut();
        match operation {
            OperationType::Reject => list.push(promise),
            OperationType::Handle => list.retain(|p| !JsObject::equals(p, &promise)),
        }
    }
}

pub(crate) struct Engine {
    ctx: Context,
    exec: Rc<Executor>,
    dispatch: Script,
    /// Made on the first control request (most sessions never get one).
    shapes: Option<EventShapes>,
    jobs: Rc<JobRunner>,
    /// The per-event CPU limit, shared with the job runner.
    budget: Rc<EventBudget>,
    hooks: Rc<Hooks>,
    clock: Rc<BoaClock>,
    /// A run was cut off mid-frame: the VM must not be trusted with more work.
    pub(crate) dirty: bool,
    /// Script CPU time of every run so far, against `Limits::cpu_max`.
    cpu_used: Duration,
    cpu_max: Duration,
}

thread_local! {
    /// A context built with the prelude while the thread had nothing else to do, for the
    /// next session started on this thread (see [`Engine::for_session`]).
    static SPARE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Whether threads keep a spare context (worker processes do; `voxrun run` and tests,
/// which start one session or a few, do not).
static KEEP_SPARES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes every thread of this process keep one spare context ready.
pub fn keep_spare_contexts() {
    KEEP_SPARES.store(true, std::sync::atomic::Ordering::Relaxed);
}

impl Engine {
    /// Builds the context and installs the prelude, for `host`'s session.
    pub(crate) fn new(host: Rc<Host>) -> Result<Self, String> {
        let mut engine = Engine::build()?;
        engine.adopt(host);
        Ok(engine)
    }

    /// This thread's spare context, if it has one, else a new one; adopted by `host`'s
    /// session. Building one is most of a session's start (the context ≈ 0.6 ms, the eager
    /// prelude ≈ 1.2 ms of ≈ 3 ms, BENCHMARKS.md), so a start that finds a spare skips it.
    pub(crate) fn for_session(host: Rc<Host>) -> Result<Self, String> {
        match SPARE.with(|s| s.borrow_mut().take()) {
            Some(mut engine) => {
                engine.adopt(host);
                Ok(engine)
            }
            None => Engine::new(host),
        }
    }

    /// Builds this thread's spare context if spares are on and it has none.
    pub(crate) fn refill_spare() {
        if !KEEP_SPARES.load(std::sync::atomic::Ordering::Relaxed)
            || SPARE.with(|s| s.borrow().is_some())
        {
            return;
        }
        if let Ok(engine) = Engine::build() {
            SPARE.with(|s| *s.borrow_mut() = Some(engine));
        }
    }

    /// The context with the prelude, not yet tied to a session: no host, no clock, the
    /// default limits until [`Engine::adopt`].
    fn build() -> Result<Self, String> {
        let defaults = super::Limits::default();
        let exec = Rc::new(Executor::default());
        let hooks = Rc::new(Hooks {
            max_buffer: Cell::new(defaults.max_buffer_bytes),
        });
        let clock = Rc::new(BoaClock::default());
        let mut ctx = ContextBuilder::new()
            .job_executor(exec.clone())
            .clock(clock.clone())
            .host_hooks(hooks.clone())
            .module_loader(Rc::new(NoModules))
            .build()
            .map_err(|e| format!("cannot build the JS context: {e}"))?;
        let budget = Rc::new(EventBudget::new(defaults.per_event));
        let ops = ops::ops_object(&mut ctx);
        let vox = JsObject::with_null_proto();
        lazy::prepare(&vox, &mut ctx).map_err(|e| format!("lazy globals: {e}"))?;
        prelude::install(&ops, &vox, &mut ctx)?;
        lazy::install(&vox, &mut ctx).map_err(|e| format!("lazy globals: {e}"))?;
        let realm = ctx.realm().clone();
        let dispatch =
            code_cache::fixed_script("dispatch", "voxrun:prelude/dispatch", DISPATCH, &realm)
                .map_err(|e| format!("dispatch script: {e}"))?;
        let job_script = code_cache::fixed_script(
            "job dispatch",
            "voxrun:prelude/job-dispatch",
            JOB_DISPATCH,
            &realm,
        )
        .map_err(|e| format!("job dispatch script: {e}"))?;
        let jobs = Rc::new(JobRunner {
            script: job_script,
            active: Cell::new(false),
            budget: budget.clone(),
            overrun: Cell::new(false),
            pending: RefCell::new(None),
            unhandled: RefCell::new(Vec::new()),
        });
        ctx.insert_data(jobs.clone());
        Ok(Engine {
            ctx,
            exec,
            dispatch,
            shapes: None,
            jobs,
            budget,
            hooks,
            clock,
            dirty: false,
            cpu_used: Duration::ZERO,
            cpu_max: defaults.cpu_max,
        })
    }

    /// Ties the context to `host`'s session: its clock, its limits, its host state.
    fn adopt(&mut self, host: Rc<Host>) {
        let l = &host.limits;
        let mut limits = RuntimeLimits::default();
        limits.set_loop_iteration_limit(l.loop_iteration_limit);
        limits.set_recursion_limit(l.recursion_limit);
        limits.set_stack_size_limit(l.stack_size_limit);
        self.ctx.set_runtime_limits(limits);
        self.hooks.max_buffer.set(l.max_buffer_bytes);
        self.budget.set_limit(l.per_event);
        self.cpu_max = l.cpu_max;
        *self.clock.0.borrow_mut() = Some(host.clock.clone());
        self.ctx.insert_data(host);
    }

    /// Evaluates the scenarios in order, each followed by the Promise jobs it queued. The
    /// thread's compiled copies are used when it has compiled the same list before
    /// (`code_cache.rs`); else each file is parsed and compiled here, and kept for the next
    /// session if all of them compile. An error names the index of the file it came from.
    pub(crate) async fn load_scenarios(
        &mut self,
        files: &[ScenarioSource],
    ) -> Result<(), (usize, RunError)> {
        let realm = self.ctx.realm().clone();
        if let Some(scripts) = code_cache::scenario_scripts(files, &realm) {
            for (i, script) in scripts.iter().enumerate() {
                self.budgeted_run(script).await.map_err(|e| (i, e))?;
            }
            return Ok(());
        }
        let mut compiled = Vec::with_capacity(files.len());
        for (i, file) in files.iter().enumerate() {
            let script = self.parse_scenario(file).map_err(|e| (i, e))?;
            // Compiled before it runs (an error here comes again, and is reported, from the
            // run), so that the list can be kept.
            if script.codeblock(&mut self.ctx).is_ok() {
                compiled.push(script.clone());
            }
            self.budgeted_run(&script).await.map_err(|e| (i, e))?;
        }
        code_cache::remember_scenarios(files, compiled);
        Ok(())
    }

    fn parse_scenario(&mut self, file: &ScenarioSource) -> Result<Script, RunError> {
        let (name, source) = (&file.name, &file.source);
        let src = Source::from_bytes(source.as_bytes()).with_path(Path::new(name));
        match Script::parse(src, None, &mut self.ctx) {
            Ok(s) => Ok(s),
            Err(_) if has_import_declaration(source) => Err(RunError::Js(format!(
                "Error: {NO_MODULES} (an `import` declaration in {name})"
            ))),
            Err(e) => {
                let text = self.error_text(e);
                Err(RunError::Js(located(name, source, &text)))
            }
        }
    }

    /// Evaluates `script`, then the Promise jobs it queued, under one event's CPU budget.
    async fn budgeted_run(&mut self, script: &Script) -> Result<(), RunError> {
        let budget = self.budget.clone();
        budget.reset();
        let result = metered(&budget, async {
            self.eval(script).await?;
            self.drain_jobs().await.map_err(RunError::Fatal)
        })
        .await;
        self.cpu_used += budget.used();
        result?;
        self.report_rejections();
        // A native callback cannot be cut off, but running past the limit still ends the
        // session (the VM finished its frames, so Terminating can run).
        if budget.exceeded() {
            return Err(RunError::Fatal(Fatal::Overrun));
        }
        if self.cpu_used >= self.cpu_max {
            return Err(RunError::Fatal(Fatal::Limit(format!(
                "the session used up its script CPU time ({} s, --session-cpu-max)",
                self.cpu_max.as_secs()
            ))));
        }
        Ok(())
    }

    /// Runs one work item through the prelude's dispatcher, then the Promise jobs it queued.
    pub(crate) async fn run(&mut self, work: &Work) -> Result<(), RunError> {
        let value = work
            .to_js(&mut self.shapes, &mut self.ctx)
            .map_err(|e| RunError::Js(e.to_string()))?;
        if let Some(h) = self.ctx.get_data::<Rc<Host>>() {
            *h.work.borrow_mut() = Some(value);
        }
        let script = self.dispatch.clone();
        self.budgeted_run(&script).await
    }

    /// Logs every Promise still rejected without a handler after the microtask checkpoint
    /// (with the reason's stack) and counts each as an uncaught error; the session goes on.
    fn report_rejections(&mut self) {
        let list = std::mem::take(&mut *self.jobs.unhandled.borrow_mut());
        if list.is_empty() {
            return;
        }
        let Some(host) = self.ctx.get_data::<Rc<Host>>().cloned() else {
            return;
        };
        for promise in list {
            let Ok(promise) = JsPromise::from_object(promise) else {
                continue;
            };
            let PromiseState::Rejected(reason) = promise.state() else {
                continue;
            };
            let text = self.error_text(JsError::from_opaque(reason));
            host.log
                .write(&format!("JS error: Unhandled Promise rejection: {text}"));
            host.uncaught.set(host.uncaught.get().saturating_add(1));
        }
    }

    async fn eval(&mut self, script: &Script) -> Result<JsValue, RunError> {
        let budget = self.budget.clone();
        let result = {
            let mut fut = pin!(script.evaluate_async_with_budget(&mut self.ctx, BUDGET));
            std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
                Poll::Ready(r) => Poll::Ready(Some(r)),
                Poll::Pending if budget.exceeded() => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            })
            .await
        };
        match result {
            None => {
                self.dirty = true;
                Err(RunError::Fatal(Fatal::Overrun))
            }
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(self.classify(e)),
        }
    }

    /// Runs queued Promise jobs until none is left, within `deadline`.
    async fn drain_jobs(&mut self) -> Result<(), Fatal> {
        self.jobs.active.set(true);
        let result = self.drain_jobs_inner().await;
        self.jobs.active.set(false);
        if self.jobs.overrun.get() {
            self.dirty = true;
            return Err(Fatal::Overrun);
        }
        result
    }

    async fn drain_jobs_inner(&mut self) -> Result<(), Fatal> {
        let mut ran = 0u32;
        while let Some(job) = self.exec.pop() {
            let result = match job {
                Job::PromiseJob(j) => j.call(&mut self.ctx),
                Job::GenericJob(j) => j.call(&mut self.ctx),
                Job::AsyncJob(j) => {
                    let cell = RefCell::new(&mut self.ctx);
                    j.call(&cell).await
                }
                _ => Ok(JsValue::undefined()),
            };
            if let Err(e) = result {
                if let RunError::Fatal(f) = self.classify(e) {
                    return Err(f);
                }
            }
            if self.budget.exceeded() {
                return Err(Fatal::Overrun);
            }
            ran = ran.wrapping_add(1);
            if ran.is_multiple_of(256) {
                tokio::task::yield_now().await;
            }
        }
        Ok(())
    }

    fn classify(&mut self, e: JsError) -> RunError {
        match e.as_engine() {
            // Boa's own panics ("cannot fail per spec") follow a limit it hit where it did
            // not expect one; the text alone would tell a user nothing.
            Some(engine @ EngineError::Panic(p)) if !p.to_string().starts_with(OUR_PANICS) => {
                RunError::Fatal(Fatal::Limit(format!(
                    "the engine could not go on with the script ({engine}); this most often \
                     follows a recursion too deep, such as an async function that calls itself"
                )))
            }
            Some(engine) => RunError::Fatal(Fatal::Limit(engine.to_string())),
            None => RunError::Js(self.error_text(e)),
        }
    }

    /// `Name: message` plus the stack, when the error has one.
    pub(crate) fn error_text(&mut self, e: JsError) -> String {
        let fallback = thrown_fallback(&e);
        let Ok(value) = e.into_opaque(&mut self.ctx) else {
            return fallback;
        };
        let Some(obj) = value.as_object() else {
            return value
                .to_string(&mut self.ctx)
                .map(|s| rust_string(&s))
                .unwrap_or(fallback);
        };
        let mut get = |key| {
            obj.get(key, &mut self.ctx)
                .ok()
                .filter(|v| !v.is_undefined())
                .and_then(|v| v.to_string(&mut self.ctx).ok())
                .map(|s| rust_string(&s))
        };
        let head = match (get(js_string!("name")), get(js_string!("message"))) {
            (Some(n), Some(m)) if !m.is_empty() => format!("{n}: {m}"),
            (Some(n), _) => n,
            _ => fallback,
        };
        match get(js_string!("stack")).map(|s| user_frames(&s)) {
            Some(stack) if !stack.is_empty() => format!("{head}\n{stack}"),
            _ => head,
        }
    }

    /// Drops every queued job (the session is ending).
    pub(crate) fn clear_jobs(&self) {
        self.exec.clear();
    }
}

/// The text of a thrown value that has no `name` to show. Not Boa's `Display` of the value:
/// that prints nested objects without a depth limit, and past about 16,000 levels its
/// indentation overflows the formatter and panics (`throw` of a deeply nested object).
pub(crate) fn thrown_fallback(e: &JsError) -> String {
    match e.as_opaque().map(JsValue::as_object) {
        None => e.to_string(),
        Some(Some(o)) if o.is_array() => "[object Array]".to_string(),
        Some(Some(o)) if o.is_callable() => "[object Function]".to_string(),
        Some(Some(_)) => "[object Object]".to_string(),
        // A primitive: Display prints it flat.
        Some(None) => e.to_string(),
    }
}

/// A parse error as `name:line:column: message`: Boa 0.22 ends most messages with
/// `at line N, col M`; the others (`abrupt end`) point past the end of the source.
pub(crate) fn located(name: &str, source: &str, message: &str) -> String {
    let digits = |s: &str| -> Option<u32> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        s[..end].parse().ok()
    };
    if let Some((head, pos)) = message.rsplit_once(" at line ") {
        if let Some((line, col)) = pos.split_once(", col ") {
            if let (Some(line), Some(col)) = (digits(line), digits(col)) {
                return format!("{name}:{line}:{col}: {}", head.trim_end());
            }
        }
    }
    let line = source.lines().count().max(1);
    let col = source.lines().last().map_or(0, |l| l.chars().count()) + 1;
    format!("{name}:{line}:{col}: {message}")
}

/// A line that starts with a static `import` (scripts cannot have one; Boa's own message
/// would be a bare syntax error). `import(` and `import.meta` do not count.
pub(crate) fn has_import_declaration(source: &str) -> bool {
    source.lines().any(|l| {
        l.trim_start().strip_prefix("import").is_some_and(|rest| {
            rest.starts_with(|c: char| {
                c.is_whitespace() || c == '{' || c == '*' || c == '"' || c == '\''
            })
        })
    })
}

/// The stack lines that point into scenario code: not the prelude, the dispatch scripts or
/// native frames (the same filter as `userFrames` in `runtime-js/00_core.js`).
fn user_frames(stack: &str) -> String {
    stack
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.contains("voxrun:prelude/")
                && !l.contains("(unknown at")
                && !l.contains("(native)")
        })
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::located;

    #[test]
    fn parse_errors_name_file_line_and_column() {
        let msg = "SyntaxError: unexpected token ';', primary expression at line 2, col 9";
        assert_eq!(
            located("a.js", "x;\nlet y = ;\n", msg),
            "a.js:2:9: SyntaxError: unexpected token ';', primary expression"
        );
        // Boa's JsError display adds " (native)" after the position.
        let shown = "SyntaxError: unexpected token at line 3, col 18 (native)";
        assert_eq!(
            located("t.js", "", shown),
            "t.js:3:18: SyntaxError: unexpected token"
        );
        // No position (an abrupt end): the end of the source.
        assert_eq!(
            located("b.js", "f(\n  g(", "SyntaxError: abrupt end"),
            "b.js:2:5: SyntaxError: abrupt end"
        );
    }
}
