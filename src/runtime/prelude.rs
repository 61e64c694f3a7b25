//! The JavaScript prelude (`runtime-js/`): which files every session evaluates, which are
//! loaded on first use, and how a file is run.
//!
//! Parsing was most of a session's start cost, so:
//! - each file is compiled once per thread and rebound to each session's realm
//!   (`code_cache.rs`);
//! - the sources are stripped once per process ([`stripped`]): comment lines, indentation
//!   and blank lines go, each statement keeps its line;
//! - [`EAGER`] files run in every session; a [`LAZY`] file runs the first time script code
//!   reads (or assigns) one of its globals, or when the dispatcher first needs it. Its
//!   globals are native accessors (`lazy.rs`, which also explains why they stay accessors
//!   for good in Boa 0.22) that load the file with `vox.load` and return the value it
//!   stored with `vox.define`.

use std::sync::OnceLock;

use boa_engine::{Context, JsError, JsObject, JsValue};

use super::{code_cache, ops};

/// One prelude file: its name and its source, which evaluates to `function (ops, vox)`.
pub(crate) type File = (&'static str, &'static str);

/// Evaluated by every session, in this order.
pub(crate) const EAGER: &[File] = &[
    ("00_core.js", include_str!("../../runtime-js/00_core.js")),
    (
        "10_events.js",
        include_str!("../../runtime-js/10_events.js"),
    ),
    (
        "90_dispatch.js",
        include_str!("../../runtime-js/90_dispatch.js"),
    ),
];

/// Evaluated on first use (`vox.load` in `00_core.js`, through `op_prelude_load`), at most
/// once per session: when script code first reads or assigns one of the globals a file
/// defines (listed in `lazy.rs`), or when the prelude first needs
/// it (`05_errors.js` for the first error logged, `91_http.js` for the first control
/// request).
pub(crate) const LAZY: &[File] = &[
    (
        "05_errors.js",
        include_str!("../../runtime-js/05_errors.js"),
    ),
    (
        "15_console.js",
        include_str!("../../runtime-js/15_console.js"),
    ),
    (
        "20_timers.js",
        include_str!("../../runtime-js/20_timers.js"),
    ),
    ("30_net.js", include_str!("../../runtime-js/30_net.js")),
    ("40_utils.js", include_str!("../../runtime-js/40_utils.js")),
    (
        "45_modules.js",
        include_str!("../../runtime-js/45_modules.js"),
    ),
    ("50_calls.js", include_str!("../../runtime-js/50_calls.js")),
    ("52_media.js", include_str!("../../runtime-js/52_media.js")),
    (
        "55_tables.js",
        include_str!("../../runtime-js/55_tables.js"),
    ),
    (
        "57_constants.js",
        include_str!("../../runtime-js/57_constants.js"),
    ),
    (
        "60_storage.js",
        include_str!("../../runtime-js/60_storage.js"),
    ),
    ("91_http.js", include_str!("../../runtime-js/91_http.js")),
];

/// The constant tables' data that `55_tables.js` builds its tables from (read once per
/// process). A file that does not parse is a build defect the unit test below catches; at
/// run time it gives empty tables rather than a crash.
pub(crate) fn tables_data() -> &'static serde_json::Value {
    static DATA: OnceLock<serde_json::Value> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../runtime-js/55_tables.data.json"))
            .unwrap_or(serde_json::Value::Null)
    })
}

/// The sources of [`EAGER`] then [`LAZY`], stripped (computed once per process).
fn stripped() -> &'static [String] {
    static STRIPPED: OnceLock<Vec<String>> = OnceLock::new();
    STRIPPED.get_or_init(|| {
        EAGER
            .iter()
            .chain(LAZY)
            .map(|(_, source)| strip(source))
            .collect()
    })
}

/// Drops the lines that are only a `//` comment, the indentation and the blank lines.
/// Deliberately no more than that (no tokenizing): the prelude has no multi-line string or
/// template literal, and a comment after code stays where it is.
fn strip(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Runs prelude file `index` (into [`EAGER`] then [`LAZY`]): parses it, evaluates it to its
/// function and calls that with `ops` and `vox`.
fn run(index: usize, ops: &JsObject, vox: &JsObject, ctx: &mut Context) -> Result<(), JsError> {
    let (name, _) = EAGER
        .iter()
        .chain(LAZY)
        .nth(index)
        .ok_or_else(|| ops::type_error("no such prelude file"))?;
    let source = &stripped()[index];
    let path = format!("voxrun:prelude/{name}");
    let realm = ctx.realm().clone();
    let f = code_cache::fixed_script(name, &path, source, &realm)?.evaluate(ctx)?;
    let Some(f) = f.as_callable() else {
        return Err(ops::type_error("prelude file is not a function"));
    };
    f.call(
        &JsValue::undefined(),
        &[ops.clone().into(), vox.clone().into()],
        ctx,
    )?;
    Ok(())
}

/// Runs the [`EAGER`] files.
pub(crate) fn install(ops: &JsObject, vox: &JsObject, ctx: &mut Context) -> Result<(), String> {
    for (i, (name, _)) in EAGER.iter().enumerate() {
        run(i, ops, vox, ctx).map_err(|e| format!("prelude {name}: {e}"))?;
    }
    Ok(())
}

/// Runs the [`LAZY`] file called `name` (for `op_prelude_load`; `00_core.js` makes sure it
/// runs once).
pub(crate) fn load(
    name: &str,
    ops: &JsObject,
    vox: &JsObject,
    ctx: &mut Context,
) -> Result<(), JsError> {
    let Some(i) = LAZY.iter().position(|(n, _)| *n == name) else {
        return Err(ops::type_error(format!("no lazy prelude file {name}")));
    };
    run(EAGER.len() + i, ops, vox, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_data_parses_with_every_section() {
        let data = tables_data();
        for section in [
            "ENUMS",
            "NS_ENUMS",
            "ASR_PROFILES",
            "ASR_MODELS",
            "VOICES",
            "LANGUAGE",
            "PREMIUM",
            "MODULES",
            "METHODS",
            "EVENTS",
        ] {
            assert!(
                data[section].as_array().is_some_and(|a| !a.is_empty()),
                "{section} is missing from 55_tables.data.json"
            );
        }
    }

    #[test]
    fn strip_keeps_code_lines() {
        let src = "// head\n(function () {\n  'use strict';\n\n  // note\n  f(1); // tail\n})\n";
        assert_eq!(
            strip(src),
            "(function () {\n'use strict';\nf(1); // tail\n})\n"
        );
    }

    #[test]
    fn every_file_is_named_once() {
        let mut names: Vec<&str> = EAGER.iter().chain(LAZY).map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EAGER.len() + LAZY.len());
    }
}
