//! The Boa context of one test file: no VoxEngine globals, no modules, the virtual clock,
//! `RuntimeLimits`; the harness (`runtime-js/test_harness.js`) installs test/expect/voxrun.

use crate::runtime::text::rust_string;
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use boa_engine::context::time::JsInstant;
use boa_engine::context::{Clock, ContextBuilder};
use boa_engine::job::Job;
use boa_engine::object::builtins::JsFunction;
use boa_engine::vm::RuntimeLimits;
use boa_engine::{js_string, Context, JsError, JsObject, JsValue, Script, Source};

use super::ops::{ops_object, TestHost};
use super::world::{World, START_WALL_MS};
use crate::runtime::executor::Executor;

const HARNESS: &str = include_str!("../../../runtime-js/test_harness.js");

/// `Date` in a test file: the virtual clock of its sessions.
struct WorldClock(Rc<World>);

impl Clock for WorldClock {
    fn now(&self) -> JsInstant {
        let ms = self.0.now().saturating_sub(START_WALL_MS);
        JsInstant::new(ms / 1000, ((ms % 1000) * 1_000_000) as u32)
    }

    fn system_time_millis(&self) -> i64 {
        i64::try_from(self.0.now()).unwrap_or(i64::MAX)
    }
}

/// Refuses every `import`: test files get nothing from the host.
struct NoModules;

impl boa_engine::module::ModuleLoader for NoModules {
    async fn load_imported_module(
        self: Rc<Self>,
        _: boa_engine::module::Referrer,
        _: boa_engine::module::ModuleRequest,
        _: &RefCell<&mut Context>,
    ) -> boa_engine::JsResult<boa_engine::module::Module> {
        Err(boa_engine::JsNativeError::error()
            .with_message("modules are not available in voxrun test files")
            .into())
    }
}

pub(crate) struct TestContext {
    pub(crate) ctx: Context,
    exec: Rc<Executor>,
    pub(crate) host: Rc<TestHost>,
    /// The harness's runner: `count()`, `name(i)`, `run(i)`.
    runner: JsObject,
    name: String,
}

impl TestContext {
    /// Builds the context and evaluates the test file `name` (its tests are registered,
    /// not run). `Err`: one line saying why the file cannot run.
    pub(crate) async fn load(world: Rc<World>, name: &str, source: &str) -> Result<Self, String> {
        let exec = Rc::new(Executor::default());
        let mut ctx = ContextBuilder::new()
            .job_executor(exec.clone())
            .clock(Rc::new(WorldClock(world.clone())))
            .module_loader(Rc::new(NoModules))
            .build()
            .map_err(|e| format!("cannot build the JS context: {e}"))?;
        let mut limits = RuntimeLimits::default();
        limits.set_loop_iteration_limit(100_000_000);
        limits.set_recursion_limit(400);
        ctx.set_runtime_limits(limits);
        let host = Rc::new(TestHost {
            world,
            waiting: RefCell::new(Vec::new()),
        });
        ctx.insert_data(host.clone());
        let ops = ops_object(&mut ctx, name);
        let harness = Script::parse(Source::from_bytes(HARNESS), None, &mut ctx)
            .and_then(|s| s.evaluate(&mut ctx))
            .map_err(|e| format!("the test harness: {e}"))?;
        let runner = harness
            .as_callable()
            .ok_or("the test harness is not a function")?
            .call(&JsValue::undefined(), &[ops.into()], &mut ctx)
            .map_err(|e| format!("the test harness: {e}"))?;
        let runner = runner
            .as_object()
            .ok_or("the test harness returned no runner")?
            .clone();
        let mut this = TestContext {
            ctx,
            exec,
            host,
            runner,
            name: name.to_string(),
        };
        let src = Source::from_bytes(source.as_bytes()).with_path(Path::new(name));
        let script = match Script::parse(src, None, &mut this.ctx) {
            Ok(s) => s,
            Err(_) if crate::runtime::engine::has_import_declaration(source) => {
                return Err(format!(
                    "Error: modules are not available in voxrun test files (an `import` declaration in {name})"
                ))
            }
            Err(e) => return Err(crate::runtime::engine::located(name, source, &e.to_string())),
        };
        if let Err(e) = script.evaluate(&mut this.ctx) {
            return Err(this.error_text(e));
        }
        if let Err(e) = this.drain().await {
            return Err(this.error_text(e));
        }
        Ok(this)
    }

    fn runner_fn(&mut self, key: &str) -> Result<JsFunction, String> {
        self.runner
            .get(js_string!(key), &mut self.ctx)
            .ok()
            .and_then(|v| {
                v.as_object()
                    .and_then(|o| JsFunction::from_object(o.clone()))
            })
            .ok_or_else(|| format!("the test harness has no {key}()"))
    }

    fn call_runner(&mut self, key: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f = self.runner_fn(key)?;
        let this: JsValue = self.runner.clone().into();
        f.call(&this, args, &mut self.ctx)
            .map_err(|e| self.error_text(e))
    }

    pub(crate) fn test_names(&mut self) -> Result<Vec<String>, String> {
        let n = self
            .call_runner("count", &[])?
            .to_number(&mut self.ctx)
            .unwrap_or(0.0) as usize;
        let mut names = Vec::with_capacity(n);
        for i in 0..n {
            let v = self.call_runner("name", &[JsValue::from(i as f64)])?;
            names.push(
                v.to_string(&mut self.ctx)
                    .map_or_else(|_| format!("test {i}"), |s| rust_string(&s)),
            );
        }
        Ok(names)
    }

    /// Starts test `i`; returns the Promise of its function.
    pub(crate) fn start_test(&mut self, i: usize) -> Result<JsValue, String> {
        self.call_runner("run", &[JsValue::from(i as f64)])
    }

    /// Runs queued Promise jobs until none is left (an `import()` is such a job: the
    /// loader refuses it).
    pub(crate) async fn drain(&mut self) -> Result<(), JsError> {
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
            // A limit error unwinds the whole test; others reject their own Promise.
            if let Err(e) = result {
                if e.as_engine().is_some() {
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The text of a failure: an expectation's or a wait's own message; otherwise
    /// `Name: message` and the frames in the test file.
    pub(crate) fn error_text(&mut self, e: JsError) -> String {
        let fallback = crate::runtime::engine::thrown_fallback(&e);
        let Ok(value) = e.into_opaque(&mut self.ctx) else {
            return fallback;
        };
        self.value_text(&value).unwrap_or(fallback)
    }

    pub(crate) fn value_text(&mut self, value: &JsValue) -> Option<String> {
        let Some(obj) = value.as_object() else {
            return value
                .to_string(&mut self.ctx)
                .ok()
                .map(|s| format!("thrown: {}", rust_string(&s)));
        };
        let mut get = |key: &str| {
            obj.get(js_string!(key), &mut self.ctx)
                .ok()
                .filter(|v| !v.is_undefined())
                .and_then(|v| v.to_string(&mut self.ctx).ok())
                .map(|s| rust_string(&s))
        };
        let name = get("name").unwrap_or_else(|| "Error".to_string());
        let message = get("message").unwrap_or_default();
        if name == "ExpectationError" || name == "WaitError" {
            return Some(message);
        }
        let frames: Vec<String> = get("stack")
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| l.contains(&format!("({}:", self.name)))
            .map(|l| format!("  {l}"))
            .collect();
        let mut text = format!("{name}: {message}");
        for f in frames {
            text.push('\n');
            text.push_str(&f);
        }
        Some(text)
    }
}
