//! Boa's implementation of ECMAScript's Scripts.
//!
//! This module contains the [`Script`] type, which represents a [**Script Record**][script].
//!
//! More information:
//!  - [ECMAScript reference][spec]
//!
//! [spec]: https://tc39.es/ecma262/#sec-scripts
//! [script]: https://tc39.es/ecma262/#sec-script-records

use std::path::{Path, PathBuf};
use std::rc::Rc;

use boa_ast::scope::Scope;

use rustc_hash::FxHashMap;

use boa_gc::{Finalize, Gc, GcRefCell, Trace};
use boa_parser::{Parser, Source, source::ReadChar};

use crate::{
    Context, HostDefined, JsNativeError, JsResult, JsString, JsValue, Module, SpannedSourceText,
    bytecompiler::{ByteCompiler, ToJsString, global_declaration_instantiation_context},
    environments::EnvironmentStack,
    js_string,
    realm::Realm,
    spanned_source_text::SourceText,
    vm::{ActiveRunnable, CallFrame, CallFrameFlags, CodeBlock},
};

/// ECMAScript's [**Script Record**][spec].
///
/// [spec]: https://tc39.es/ecma262/#sec-script-records
#[derive(Clone, Trace, Finalize)]
pub struct Script {
    inner: Gc<Inner>,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script")
            .field("realm", &self.inner.realm.addr())
            .field("phase", &self.inner.phase.borrow())
            .field("loaded_modules", &self.inner.loaded_modules)
            .finish()
    }
}

#[derive(Trace, Debug, Finalize)]
enum ScriptPhase {
    Ast(#[unsafe_ignore_trace] boa_ast::Script),
    Codeblock(Compiled),
}

/// voxrun patch: a compiled script, with what [`Script::rebind`] needs to run its code in
/// another realm.
#[derive(Clone, Trace, Debug, Finalize)]
struct Compiled {
    code: Gc<CodeBlock>,
    /// The global scope the code was compiled against: its global lexical bindings are
    /// addressed by index into that scope.
    #[unsafe_ignore_trace]
    scope: Scope,
    /// That scope had no bindings, so the code addresses globals by name only and can run in
    /// any realm.
    scope_free: bool,
    /// The Annex B function names whose global `var` binding compilation created (B.3.2.2),
    /// created again in a realm the script is rebound to.
    #[unsafe_ignore_trace]
    annex_b_vars: Rc<[JsString]>,
}

#[derive(Trace, Finalize)]
struct Inner {
    realm: Realm,
    phase: GcRefCell<ScriptPhase>,
    source_text: SourceText,
    loaded_modules: GcRefCell<FxHashMap<JsString, Module>>,
    host_defined: HostDefined,
    path: Option<PathBuf>,
    /// voxrun patch: made by [`Script::rebind`], so the compile-time steps that touch the
    /// global object have not run in this realm.
    rebound: bool,
}

impl Script {
    /// Gets the realm of this script.
    #[must_use]
    pub fn realm(&self) -> &Realm {
        &self.inner.realm
    }

    /// Returns the [`ECMAScript specification`][spec] defined [`\[\[HostDefined\]\]`][`HostDefined`] field of the [`Module`].
    ///
    /// [spec]: https://tc39.es/ecma262/#script-record
    #[must_use]
    pub fn host_defined(&self) -> &HostDefined {
        &self.inner.host_defined
    }

    /// Gets the loaded modules of this script.
    pub(crate) fn loaded_modules(&self) -> &GcRefCell<FxHashMap<JsString, Module>> {
        &self.inner.loaded_modules
    }

    /// Abstract operation [`ParseScript ( sourceText, realm, hostDefined )`][spec].
    ///
    /// Parses the provided `src` as an ECMAScript script, returning an error if parsing fails.
    ///
    /// [spec]: https://tc39.es/ecma262/#sec-parse-script
    pub fn parse<R: ReadChar>(
        src: Source<'_, R>,
        realm: Option<Realm>,
        context: &mut Context,
    ) -> JsResult<Self> {
        let path = src.path().map(Path::to_path_buf);
        let mut parser = Parser::new(src);
        parser.set_identifier(context.next_parser_identifier());
        if context.is_strict() {
            parser.set_strict();
        }
        let scope = context.realm().scope().clone();
        let (mut code, source) = parser.parse_script_with_source(&scope, context.interner_mut())?;
        if !context.optimizer_options().is_empty() {
            context.optimize_statement_list(code.statements_mut());
        }

        let source_text = SourceText::new(source);

        Ok(Self {
            inner: Gc::new(Inner {
                realm: realm.unwrap_or_else(|| context.realm().clone()),
                phase: GcRefCell::new(ScriptPhase::Ast(code)),
                source_text,
                loaded_modules: GcRefCell::default(),
                host_defined: HostDefined::default(),
                path,
                rebound: false,
            }),
        })
    }

    /// Compiles the codeblock of this script.
    ///
    /// This is a no-op if this has been called previously.
    pub fn codeblock(&self, context: &mut Context) -> JsResult<Gc<CodeBlock>> {
        let cb = {
            let phase = self.inner.phase.borrow();
            let source = match &*phase {
                ScriptPhase::Codeblock(compiled) => return Ok(compiled.code.clone()),
                ScriptPhase::Ast(source) => source,
            };

            let mut annex_b_function_names = Vec::new();

            global_declaration_instantiation_context(
                &mut annex_b_function_names,
                source,
                &self.inner.realm.scope(),
                context,
            )?;
            let annex_b_vars: Rc<[JsString]> = annex_b_function_names
                .iter()
                .map(|name| name.to_js_string(context.interner()))
                .collect();
            let scope = self.inner.realm.scope();
            let scope_free = scope.num_bindings() == 0;

            let spanned_source_text = SpannedSourceText::new_source_only(self.get_source());

            let mut compiler = ByteCompiler::new(
                js_string!("<main>"),
                source.strict(),
                false,
                self.inner.realm.scope().clone(),
                self.inner.realm.scope().clone(),
                false,
                false,
                context.interner_mut(),
                false,
                spanned_source_text,
                self.path().map(Path::to_owned).into(),
            );

            #[cfg(feature = "annex-b")]
            {
                compiler.annex_b_function_names = annex_b_function_names;
            }

            compiler.global_declaration_instantiation(source);
            compiler.compile_statement_list(source.statements(), true, false);

            Compiled {
                code: Gc::new(compiler.finish()),
                scope,
                scope_free,
                annex_b_vars,
            }
        };
        let code = cb.code.clone();
        *self.inner.phase.borrow_mut() = ScriptPhase::Codeblock(cb);

        Ok(code)
    }

    /// Returns this script bound to `realm`: the same source and the same compiled code
    /// (not copied), evaluated in `realm`. Compiling a script once and rebinding it saves the
    /// parse and the compilation in every other realm of the thread that runs it.
    ///
    /// The script must be compiled ([`Script::codeblock`]), and its code must fit `realm`:
    /// - either it was compiled against a global scope without bindings (as is every
    ///   script that runs before any global `let`, `const` or `class`): it finds globals by
    ///   name, as a script compiled in `realm` before its lexical declarations would;
    /// - or `realm`'s global scope equals the one it was compiled against (for instance
    ///   after [`Realm::share_global_scope`]).
    ///
    /// voxrun patch.
    ///
    /// # Errors
    ///
    /// Returns a `TypeError` if the script is not compiled, or if its code does not fit
    /// `realm`'s global scope.
    pub fn rebind(&self, realm: Realm) -> JsResult<Self> {
        let phase = self.inner.phase.borrow();
        let ScriptPhase::Codeblock(compiled) = &*phase else {
            return Err(JsNativeError::typ()
                .with_message("a script must be compiled before it is rebound")
                .into());
        };
        if !compiled.scope_free && realm.scope() != compiled.scope {
            return Err(JsNativeError::typ()
                .with_message("the script was compiled against another global scope")
                .into());
        }
        Ok(Self {
            inner: Gc::new(Inner {
                realm,
                phase: GcRefCell::new(ScriptPhase::Codeblock(compiled.clone())),
                source_text: self.inner.source_text.clone(),
                loaded_modules: GcRefCell::default(),
                host_defined: HostDefined::default(),
                path: self.inner.path.clone(),
                rebound: true,
            }),
        })
    }

    /// voxrun patch: the global `var` bindings that compiling the script created in its
    /// first realm (Annex B.3.2.2), created in the realm it was rebound to.
    fn replay_compile_bindings(&self, context: &mut Context) -> JsResult<()> {
        if !self.inner.rebound {
            return Ok(());
        }
        let names = match &*self.inner.phase.borrow() {
            ScriptPhase::Codeblock(compiled) => compiled.annex_b_vars.clone(),
            ScriptPhase::Ast(_) => return Ok(()),
        };
        for name in names.iter() {
            if context.can_declare_global_function(name)? {
                context.create_global_var_binding(name.clone(), false)?;
            }
        }
        Ok(())
    }

    /// Evaluates this script and returns its result.
    ///
    /// Note that this won't run any scheduled promise jobs; you need to call [`Context::run_jobs`]
    /// on the context or [`JobExecutor::run_jobs`] on the provided queue to run them.
    ///
    /// [`JobExecutor::run_jobs`]: crate::job::JobExecutor::run_jobs
    pub fn evaluate(&self, context: &mut Context) -> JsResult<JsValue> {
        self.prepare_run(context)?;
        let record = context.run();

        context.vm.pop_frame();

        record.consume()
    }

    /// Evaluates this script and returns its result, periodically yielding to the executor
    /// in order to avoid blocking the current thread.
    ///
    /// This uses an implementation defined amount of "clock cycles" that need to pass before
    /// execution is suspended. See [`Script::evaluate_async_with_budget`] if you want to also
    /// customize this parameter.
    #[allow(clippy::future_not_send)]
    pub async fn evaluate_async(&self, context: &mut Context) -> JsResult<JsValue> {
        self.evaluate_async_with_budget(context, 256).await
    }

    /// Evaluates this script and returns its result, yielding to the executor each time `budget`
    /// number of "clock cycles" pass.
    ///
    /// Note that "clock cycle" is in quotation marks because we can't determine exactly how many
    /// CPU clock cycles a VM instruction will take, but all instructions have a "cost" associated
    /// with them that depends on their individual complexity. We'd recommend benchmarking with
    /// different budget sizes in order to find the ideal yielding time for your application.
    #[allow(clippy::future_not_send)]
    pub async fn evaluate_async_with_budget(
        &self,
        context: &mut Context,
        budget: u32,
    ) -> JsResult<JsValue> {
        self.prepare_run(context)?;

        let record = context.run_async_with_budget(budget).await;

        context.vm.pop_frame();

        record.consume()
    }

    fn prepare_run(&self, context: &mut Context) -> JsResult<()> {
        let codeblock = self.codeblock(context)?;
        self.replay_compile_bindings(context)?;

        let global_env = EnvironmentStack::new();
        context.vm.push_frame_with_stack(
            CallFrame::new(
                codeblock.clone(),
                Some(ActiveRunnable::Script(self.clone())),
                global_env,
                self.inner.realm.clone(),
            )
            .with_env_fp(0)
            .with_flags(CallFrameFlags::EXIT_EARLY),
            JsValue::undefined(),
            JsValue::null(),
        );

        self.realm().resize_global_env();

        context
            .global_declaration_instantiation(&codeblock)
            .inspect_err(|_| {
                context.vm.pop_frame();
            })?;

        Ok(())
    }

    pub(super) fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    pub(super) fn get_source(&self) -> SourceText {
        self.inner.source_text.clone()
    }
}
