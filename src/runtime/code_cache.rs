//! Compiled code shared by the contexts of one JS thread (issue 9, lever 3).
//!
//! Boa 0.22 parses and compiles a script for one realm. With the patch in `vendor/`
//! (`Script::rebind`, `Realm::share_global_scope`; vendor/README.md), a script compiled once
//! runs in any context of the thread that fits its global scope, so:
//! - **prelude files** (and the dispatch scripts) are compiled once per thread, in a context of their own that never
//!   runs code and never compiles anything else: its global scope stays without bindings, so
//!   the code finds every global by name and fits every session's realm;
//! - **a rule's scenarios** are compiled by the first session that runs that exact list of
//!   files (names and sources) on the thread; a later session with the same list takes that
//!   session's global scope (so global `let`/`const` have the same slots, each realm keeps
//!   its own values) and runs the same code. The last [`SCENARIO_LISTS`] lists are kept.
//!
//! Scenario code that could call `eval` directly is never shared: a direct eval adds its
//! `var`s to the compile-time scope of the function it runs in, which other sessions running
//! the same code would then see.

use std::cell::RefCell;
use std::path::Path;

use boa_engine::realm::Realm;
use boa_engine::{Context, JsResult, Script, Source};

use super::ScenarioSource;

/// How many scenario lists a thread keeps compiled (least recently used goes first). Each
/// keeps the global object of the session that compiled it, so the number stays small.
const SCENARIO_LISTS: usize = 8;

/// One compiled scenario list: the files as they were compiled, and their scripts, in order.
struct CompiledList {
    files: Vec<ScenarioSource>,
    scripts: Vec<Script>,
}

struct ThreadCode {
    /// Compiles the fixed scripts and nothing else (see the module doc).
    compiler: Context,
    /// The prelude files and the dispatch scripts, by name.
    fixed: Vec<(&'static str, Script)>,
    /// Most recently used last.
    lists: Vec<CompiledList>,
}

impl ThreadCode {
    fn new() -> Self {
        ThreadCode {
            compiler: Context::default(),
            fixed: Vec::new(),
            lists: Vec::new(),
        }
    }
}

thread_local! {
    static CODE: RefCell<Option<ThreadCode>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's code cache. A new one is built before the thread-local is
/// first touched, so that Boa's heap (thread-local too, and in use by then) outlives it at
/// thread exit.
fn with_code<T>(f: impl FnOnce(&mut ThreadCode) -> T) -> T {
    let fresh = CODE.with(|c| c.borrow().is_none()).then(ThreadCode::new);
    CODE.with(|c| {
        let mut slot = c.borrow_mut();
        if slot.is_none() {
            *slot = fresh;
        }
        f(slot.get_or_insert_with(ThreadCode::new))
    })
}

/// The script of one of our fixed sources (a prelude file, a dispatch script) for `realm`:
/// compiled on this thread's first use of `name` (`path` and `source` are only read then),
/// rebound to `realm` each time.
pub(crate) fn fixed_script(
    name: &'static str,
    path: &str,
    source: &str,
    realm: &Realm,
) -> JsResult<Script> {
    with_code(|code| {
        if let Some((_, script)) = code.fixed.iter().find(|(n, _)| *n == name) {
            return script.rebind(realm.clone());
        }
        let src = Source::from_bytes(source.as_bytes()).with_path(Path::new(path));
        let script = Script::parse(src, None, &mut code.compiler)?;
        script.codeblock(&mut code.compiler)?;
        let rebound = script.rebind(realm.clone());
        code.fixed.push((name, script));
        rebound
    })
}

/// The compiled scripts of `files` for `realm`, if this thread has compiled that list and
/// `realm` can take its global scope (a fresh realm, with only the prelude run in it).
pub(crate) fn scenario_scripts(files: &[ScenarioSource], realm: &Realm) -> Option<Vec<Script>> {
    with_code(|code| {
        let at = code.lists.iter().position(|l| l.files == files)?;
        let list = code.lists.remove(at);
        let scripts = rebind_list(&list.scripts, realm);
        code.lists.push(list);
        scripts
    })
}

fn rebind_list(scripts: &[Script], realm: &Realm) -> Option<Vec<Script>> {
    let first = scripts.first()?;
    realm.share_global_scope(first.realm()).ok()?;
    scripts
        .iter()
        .map(|s| s.rebind(realm.clone()).ok())
        .collect()
}

/// Keeps `scripts`, the compiled `files` of a session, for later sessions of the thread
/// (unless their code could call `eval` directly; see the module doc).
pub(crate) fn remember_scenarios(files: &[ScenarioSource], scripts: Vec<Script>) {
    if scripts.len() != files.len() || files.iter().any(|f| may_eval_directly(&f.source)) {
        return;
    }
    with_code(|code| {
        if code.lists.iter().any(|l| l.files == files) {
            return;
        }
        if code.lists.len() >= SCENARIO_LISTS {
            code.lists.remove(0);
        }
        code.lists.push(CompiledList {
            files: files.to_vec(),
            scripts,
        });
    });
}

/// Whether `source` might contain a direct `eval` call: the word, or a Unicode escape (an
/// identifier can spell `eval` with one). Errs on the side of not sharing.
fn may_eval_directly(source: &str) -> bool {
    source.contains("eval") || source.contains("\\u")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use boa_engine::JsValue;

    fn compiled(ctx: &mut Context, source: &str) -> Script {
        let script = Script::parse(Source::from_bytes(source), None, ctx).unwrap();
        script.codeblock(ctx).unwrap();
        script
    }

    fn eval(ctx: &mut Context, source: &str) -> JsValue {
        ctx.eval(Source::from_bytes(source)).unwrap()
    }

    fn text(ctx: &mut Context, source: &str) -> String {
        eval(ctx, source)
            .to_string(ctx)
            .unwrap()
            .to_std_string_escaped()
    }

    /// `script` (compiled and run in another context) run in a fresh context that shares
    /// its global scope, as a later session on the thread runs it.
    fn run_shared(script: &Script) -> Context {
        let mut second = Context::default();
        let realm = second.realm().clone();
        realm.share_global_scope(script.realm()).unwrap();
        script.rebind(realm).unwrap().evaluate(&mut second).unwrap();
        second
    }

    #[test]
    fn shared_code_keeps_each_realms_own_globals() {
        let src = "let n = 0; const seen = []; var total = 10; function inc() { seen.push(++n); return n; }";
        let mut first = Context::default();
        let script = compiled(&mut first, src);
        script.evaluate(&mut first).unwrap();
        assert_eq!(text(&mut first, "inc(); inc()"), "2");

        let mut second = run_shared(&script);
        assert_eq!(
            text(&mut second, "inc(); [n, seen.join(), total]"),
            "1,1,10"
        );
        // The first realm's values did not move, and neither sees the other's writes.
        assert_eq!(text(&mut first, "total = 5; [n, seen.join()]"), "2,1,2");
        assert_eq!(text(&mut second, "total"), "10");
    }

    #[test]
    fn code_compiled_against_other_globals_is_refused() {
        let mut first = Context::default();
        let script = compiled(&mut first, "let a = 1; a + 1");
        // A realm that declared something else first: its slots do not match.
        let mut other = Context::default();
        eval(&mut other, "let unrelated = 2;");
        assert!(script.rebind(other.realm().clone()).is_err());
        assert!(other.realm().share_global_scope(script.realm()).is_err());
        // A realm that never shared the scope does not match either.
        let fresh = Context::default();
        assert!(script.rebind(fresh.realm().clone()).is_err());
        // Not compiled yet: refused.
        let parsed = Script::parse(Source::from_bytes("1"), None, &mut first).unwrap();
        assert!(parsed.rebind(first.realm().clone()).is_err());
    }

    #[test]
    fn code_compiled_without_global_bindings_finds_globals_by_name_anywhere() {
        let mut compiler = Context::default();
        let script = compiled(
            &mut compiler,
            "(function () { return typeof marker + ':' + String(globalThis.marker); })",
        );
        let mut session = Context::default();
        eval(&mut session, "var marker = 'mine'; let later = 1;");
        let f = script
            .rebind(session.realm().clone())
            .unwrap()
            .evaluate(&mut session)
            .unwrap();
        let out = f
            .as_callable()
            .unwrap()
            .call(&JsValue::undefined(), &[], &mut session)
            .unwrap();
        assert_eq!(
            out.to_string(&mut session).unwrap().to_std_string_escaped(),
            "string:mine"
        );
    }

    #[test]
    fn tagged_templates_of_shared_code_and_of_later_parses_stay_apart() {
        let src = "function tag(s) { return s[0]; } const fromScript = tag`shared`;";
        let mut first = Context::default();
        let script = compiled(&mut first, src);
        script.evaluate(&mut first).unwrap();
        let mut second = run_shared(&script);
        // A parse in the second context must not find the shared script's template site.
        assert_eq!(
            text(&mut second, "fromScript + '/' + eval('tag`own`')"),
            "shared/own"
        );
    }

    #[test]
    fn annex_b_block_functions_get_their_global_binding_in_every_realm() {
        let src = "var before = typeof blockFn + ':' + ('blockFn' in globalThis); { function blockFn() { return 1; } }";
        let mut first = Context::default();
        let script = compiled(&mut first, src);
        script.evaluate(&mut first).unwrap();
        let mut second = run_shared(&script);
        for ctx in [&mut first, &mut second] {
            assert_eq!(text(ctx, "before + ':' + blockFn()"), "undefined:true:1");
        }
    }

    fn files(sources: &[&str]) -> Vec<ScenarioSource> {
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| ScenarioSource {
                name: format!("case{i}.js"),
                source: (*s).to_string(),
            })
            .collect()
    }

    /// Compiles and runs `files` in `ctx` as `Engine::load_scenarios` does on a miss.
    fn load_and_remember(ctx: &mut Context, files: &[ScenarioSource]) {
        let scripts: Vec<Script> = files.iter().map(|f| compiled(ctx, &f.source)).collect();
        for s in &scripts {
            s.evaluate(ctx).unwrap();
        }
        remember_scenarios(files, scripts);
    }

    #[test]
    fn a_list_is_reused_only_for_the_same_files_in_a_fresh_realm() {
        let list = files(&["let hits = 0;", "const bump = () => ++hits;"]);
        let mut first = Context::default();
        load_and_remember(&mut first, &list);

        let mut second = Context::default();
        let realm = second.realm().clone();
        let scripts = scenario_scripts(&list, &realm).expect("the list was kept");
        for s in &scripts {
            s.evaluate(&mut second).unwrap();
        }
        assert_eq!(text(&mut second, "bump(); bump()"), "2");
        assert_eq!(text(&mut first, "bump()"), "1");

        // Another source, another name, or another order is another list.
        let mut renamed = list.clone();
        renamed[1].name = "other.js".into();
        let reversed: Vec<_> = list.iter().rev().cloned().collect();
        for other in [files(&["let hits = 1;"]), renamed, reversed] {
            let ctx = Context::default();
            assert!(scenario_scripts(&other, ctx.realm()).is_none());
        }
        // A realm that already declared globals cannot take the list's scope.
        let mut used = Context::default();
        eval(&mut used, "let mine = 1;");
        assert!(scenario_scripts(&list, used.realm()).is_none());
    }

    #[test]
    fn a_list_with_eval_is_never_kept() {
        let list = files(&["function f(code) { return eval(code); }"]);
        let mut first = Context::default();
        load_and_remember(&mut first, &list);
        let ctx = Context::default();
        assert!(scenario_scripts(&list, ctx.realm()).is_none());
    }

    #[test]
    fn eval_or_an_escape_keeps_a_scenario_unshared() {
        assert!(may_eval_directly("function f() { return eval('1'); }"));
        assert!(may_eval_directly("\\u0065val('x')"));
        assert!(!may_eval_directly(
            "const total = [1, 2].map((x) => x * 2);"
        ));
    }
}
