//! runtime-js/voxengine.d.ts against the real TypeScript compiler: the sample IVR of
//! tests/typings/ivr.ts and the shipped example `examples/ivr/ivr.js` (as checked
//! JavaScript) must type-check under `--strict`, and scripts that misuse the API must not. TypeScript is installed with npm under `<target>/clients/typescript` (pinned, an
//! exclusive lock and a marker file, as tests/common/clients.rs does for the official clients);
//! the test is skipped, saying why, only when node or npm cannot be run at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clients::InstallLock;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The pinned compiler.
const TYPESCRIPT: &str = "typescript@5.9.3";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn typings_dir() -> PathBuf {
    manifest_dir().join("tests").join("typings")
}

fn dts() -> PathBuf {
    manifest_dir().join("runtime-js").join("voxengine.d.ts")
}

/// Why the compiler could not be had: a tool that is not there at all (skip), or anything else
/// (fail).
enum Unavailable {
    Missing(String),
    Failed(String),
}

fn report(out: &Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Run a setup step; a program that cannot be found at all is `Missing`.
fn step(what: &str, cmd: &mut Command) -> Result<(), Unavailable> {
    let shown = format!("{cmd:?}");
    let out = match cmd.stdin(Stdio::null()).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Unavailable::Missing(format!("{what}: {shown}: {e}")))
        }
        Err(e) => return Err(Unavailable::Failed(format!("{what}: {shown}: {e}"))),
    };
    if !out.status.success() {
        return Err(Unavailable::Failed(format!(
            "{what}: {shown} failed ({})\n{}",
            out.status,
            report(&out)
        )));
    }
    Ok(())
}

/// npm and node ran a moment ago: whatever goes wrong now (the registry, the disk) is a failure.
fn always_failed(e: Unavailable) -> Unavailable {
    match e {
        Unavailable::Missing(m) | Unavailable::Failed(m) => Unavailable::Failed(m),
    }
}

/// `node_modules/typescript/bin/tsc` of the pinned TypeScript, installed on first use.
fn install_typescript() -> Result<PathBuf, Unavailable> {
    let failed = Unavailable::Failed;
    let root = common::clients::clients_root();
    std::fs::create_dir_all(&root)
        .map_err(|e| failed(format!("cannot create {}: {e}", root.display())))?;
    let _lock = InstallLock::acquire(&root.join("typescript.lock")).map_err(failed)?;
    let prefix = root.join("typescript");
    let tsc = prefix
        .join("node_modules")
        .join("typescript")
        .join("bin")
        .join("tsc");
    let marker = prefix.join(".voxrun-installed");
    step("running node", Command::new("node").arg("--version"))?;
    if tsc.exists() && std::fs::read_to_string(&marker).ok().as_deref() == Some(TYPESCRIPT) {
        return Ok(tsc);
    }
    step("running npm", Command::new("npm").arg("--version"))?;
    if prefix.exists() {
        std::fs::remove_dir_all(&prefix)
            .map_err(|e| failed(format!("cannot remove {}: {e}", prefix.display())))?;
    }
    std::fs::create_dir_all(&prefix)
        .map_err(|e| failed(format!("cannot create {}: {e}", prefix.display())))?;
    step(
        "installing TypeScript",
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args([
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                TYPESCRIPT,
            ]),
    )
    .map_err(always_failed)?;
    step(
        "running the installed tsc",
        Command::new("node").arg(&tsc).arg("--version"),
    )
    .map_err(always_failed)?;
    std::fs::write(&marker, TYPESCRIPT)
        .map_err(|e| failed(format!("cannot write {}: {e}", marker.display())))?;
    Ok(tsc)
}

/// The compiler, or `None` (with the reason printed) when node or npm is not installed.
fn tsc() -> Option<PathBuf> {
    static TSC: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let got = TSC.get_or_init(|| match install_typescript() {
        Ok(p) => Ok(p),
        Err(Unavailable::Missing(why)) => Err(why),
        Err(Unavailable::Failed(why)) => panic!(
            "installing {TYPESCRIPT} failed:\n{why}\n\nThe typings test needs node, npm and the \
             package registry (or a previous install under target/clients/typescript)."
        ),
    });
    match got {
        Ok(p) => Some(p.clone()),
        Err(why) => {
            eprintln!("skipped: node/npm not available ({why})");
            None
        }
    }
}

/// `tsc -p <project> --noEmit --strict`: whether it passed, and everything it printed.
fn type_check(tsc: &Path, project: &Path) -> (bool, String) {
    let out = Command::new("node")
        .arg(tsc)
        .arg("-p")
        .arg(project)
        .args(["--noEmit", "--strict", "--pretty", "false"])
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run node {}: {e}", tsc.display()));
    (out.status.success(), report(&out))
}

#[test]
fn the_sample_ivr_type_checks_against_the_typings() {
    let Some(tsc) = tsc() else { return };
    let project = typings_dir().join("tsconfig.json");
    let (ok, output) = type_check(&tsc, &project);
    assert!(
        ok,
        "tsc found errors in runtime-js/voxengine.d.ts or tests/typings/ivr.ts:\n{output}"
    );
}

#[test]
fn the_shipped_example_scenario_type_checks_as_javascript() {
    let Some(tsc) = tsc() else { return };
    let project = typings_dir().join("examples.tsconfig.json");
    let (ok, output) = type_check(&tsc, &project);
    assert!(
        ok,
        "tsc --checkJs found errors in examples/ivr/ivr.js against runtime-js/voxengine.d.ts:\n{output}"
    );
}

#[test]
fn the_shipped_example_tests_type_check_against_the_test_typings() {
    let Some(tsc) = tsc() else { return };
    let project = typings_dir().join("tests.tsconfig.json");
    let (ok, output) = type_check(&tsc, &project);
    assert!(
        ok,
        "tsc --checkJs found errors in examples/ivr/ivr.test.js against runtime-js/voxrun-test.d.ts:\n{output}"
    );
}

/// Scripts a user could write by mistake, each with the TypeScript error it must produce.
const WRONG_USES: &[(&str, &str, &str)] = &[
    (
        "say takes text, not a number",
        "declare const call: Call;\ncall.say(42);\n",
        "TS2345",
    ),
    (
        "an event CallEvents does not have",
        "declare const call: Call;\ncall.addEventListener(CallEvents.Nope, () => {});\n",
        "TS2339",
    ),
    (
        "a misspelt event string",
        "declare const call: Call;\ncall.addEventListener('Call.Conected', () => {});\n",
        "TS2345",
    ),
    (
        "a field ToneReceived does not carry",
        "declare const call: Call;\n\
         call.addEventListener(CallEvents.ToneReceived, (e) => Logger.write(e.digit));\n",
        "TS2339",
    ),
    (
        "callPSTN without a caller id",
        "VoxEngine.callPSTN('+15550100');\n",
        "TS2554",
    ),
    (
        "a method Call does not have",
        "VoxEngine.addEventListener(AppEvents.CallAlerting, (e) => e.call.answr());\n",
        "TS2551",
    ),
    (
        "require takes a Modules member",
        "require('applicationstorage');\n",
        "TS2345",
    ),
    (
        "storage values are strings",
        "void ApplicationStorage.put('visits', 5);\n",
        "TS2345",
    ),
    (
        "an ASR profile is not a voice",
        "declare const call: Call;\ncall.say('hi', { voice: ASRProfileList.Google.en_US });\n",
        "TS2741",
    ),
];

#[test]
fn wrong_uses_of_the_api_fail_to_type_check() {
    let Some(tsc) = tsc() else { return };
    let base = typings_dir().join("tsconfig.json");
    let mut problems = Vec::new();
    for (what, source, code) in WRONG_USES {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("wrong.ts");
        std::fs::write(&script, source).expect("write wrong.ts");
        // The same options as the sample's project; only the files differ.
        let project = serde_json::json!({
            "extends": base,
            "files": [dts(), script],
        });
        let project_path = dir.path().join("tsconfig.json");
        std::fs::write(&project_path, project.to_string()).expect("write tsconfig.json");
        let (ok, output) = type_check(&tsc, &project_path);
        let in_script = |line: &&str| line.contains("wrong.ts(") && line.contains(code);
        if ok {
            problems.push(format!("{what}: tsc accepted\n{source}"));
        } else if !output.lines().any(|line| in_script(&line)) {
            problems.push(format!(
                "{what}: expected {code} in wrong.ts, got\n{output}\nfor\n{source}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
