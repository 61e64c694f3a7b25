//! Voximplant's own voxengine-ci tool (npm `@voximplant/voxengine-ci`, unmodified) against a
//! real `voxrun serve --account-name voxengine`: `init` writes the account's applications,
//! rules and scenarios into a voxfiles folder, an edited scenario and rule go back with
//! `upload --application-name`, `init --force` reads the result back, and a second server
//! started with `--voxfiles` on that folder has the same rules.
//!
//! The package is installed by the test under `<target>/clients/voxengine-ci` (lock and
//! marker, as tests/common/clients.rs does for the API clients); when npm cannot install it
//! the test is skipped with the reason printed. `VOXRUN_VOXENGINE_CI_PACKAGE` names another
//! npm spec to install instead (a version, or a tarball made with `npm pack`).
//!
//! How the tool reaches voxrun: it builds its API client from the credentials path alone, so
//! the client's host is the built-in `api.voximplant.com`. A small module loaded with
//! `node --require` (written by the test, below) replaces the client class the tool imports
//! with a subclass whose host is `$VOXRUN_API_HOST`; the certificate is trusted through
//! `NODE_EXTRA_CA_CERTS`. `upload` compiles scenarios with `npx tsc` in its working
//! directory, so the project folder links the install's `node_modules` and npm runs offline
//! (npx never fetches a package).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::clients::{install_npm_package, isolate_client, run_client_script};
use common::ServerProc;
use serde_json::{json, Value};

/// The published tool, pinned.
const VOXENGINE_CI: &str = "@voximplant/voxengine-ci@28.0.0";

/// Makes every API client the tool builds talk to `$VOXRUN_API_HOST`.
const HOST_PRELOAD: &str = r#"'use strict';
// voxrun test harness: loaded with `node --require` before voxengine-ci starts.
const path = require('path');
const { createRequire } = require('module');
const fromTool = createRequire(path.join(process.env.VOXRUN_VOXENGINE_CI_DIR, 'package.json'));
const api = fromTool('@voximplant/apiclient-nodejs');
const Official = api.default;
class ClientForVoxrun extends Official {
  constructor(...args) {
    super(...args);
    this.host = process.env.VOXRUN_API_HOST;
  }
}
api.default = ClientForVoxrun;
"#;

const GREETING: &str = "VoxEngine.addEventListener(AppEvents.Started, () => {\n    Logger.write('greeting v1');\n    VoxEngine.terminate();\n});\n";
const MENU: &str =
    "VoxEngine.addEventListener(AppEvents.Started, () => {\n    Logger.write('menu');\n});\n";
// Both are written as the tool's build (tsc) prints them, so an unedited one is not uploaded
// again: its hash matches the one `init` recorded from voxrun's copy.
const EDIT_MARK: &str = "greeting v2 from voxengine-ci";

/// The installed tool: `(prefix, package dir)`, or `None` with the reason printed.
fn voxengine_ci() -> Option<(PathBuf, PathBuf)> {
    let spec = std::env::var("VOXRUN_VOXENGINE_CI_PACKAGE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| VOXENGINE_CI.to_string());
    let prefix = match install_npm_package("voxengine-ci", &spec) {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: npm could not install {spec}:\n{why}");
            return None;
        }
    };
    let package = prefix
        .join("node_modules")
        .join("@voximplant")
        .join("voxengine-ci");
    assert!(
        package.join("bin").join("voxengine-ci.js").is_file(),
        "{spec} installed, but {} has no bin/voxengine-ci.js",
        package.display()
    );
    Some((prefix, package))
}

/// A voxengine-ci project folder: the tool runs here and writes `voxfiles/`.
struct Project {
    dir: PathBuf,
    package: PathBuf,
    preload: PathBuf,
}

impl Project {
    fn new(dir: &Path, prefix: &Path, package: &Path) -> Project {
        std::fs::create_dir_all(dir).unwrap();
        // `npx tsc` (the tool's scenario build) must find the TypeScript it was installed with.
        let modules = [package.join("node_modules"), prefix.join("node_modules")]
            .into_iter()
            .find(|m| m.join(".bin").join("tsc").exists())
            .unwrap_or_else(|| panic!("no node_modules/.bin/tsc under {}", prefix.display()));
        std::os::unix::fs::symlink(&modules, dir.join("node_modules")).unwrap();
        let preload = dir.join("voxrun-host.js");
        std::fs::write(&preload, HOST_PRELOAD).unwrap();
        Project {
            dir: dir.to_path_buf(),
            package: package.to_path_buf(),
            preload,
        }
    }

    fn voxfiles(&self) -> PathBuf {
        self.dir.join("voxfiles")
    }

    /// `voxengine-ci ARGS` against `server`; panics unless it exits 0. Returns its output.
    fn run(&self, server: &ServerProc, args: &[&str]) -> String {
        let mut cmd = Command::new("node");
        cmd.arg("--require")
            .arg(&self.preload)
            .arg(self.package.join("bin").join("voxengine-ci.js"))
            .args(args)
            .current_dir(&self.dir);
        isolate_client(&mut cmd, server);
        cmd.env("VOXRUN_API_HOST", server.endpoint())
            .env("VOXRUN_VOXENGINE_CI_DIR", &self.package)
            .env("VOX_CI_CREDENTIALS", &server.credentials)
            .env("VOX_CI_ROOT_PATH", "voxfiles")
            .env("npm_config_offline", "true")
            .env("npm_config_update_notifier", "false")
            .env_remove("NODE_OPTIONS")
            .env_remove("NODE_PATH");
        run_client_script(&format!("voxengine-ci {}", args.join(" ")), cmd)
    }

    fn read(&self, rel: &str) -> String {
        let path = self.voxfiles().join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("voxengine-ci did not write {}: {e}", path.display()))
    }

    fn json(&self, rel: &str) -> Value {
        let text = self.read(rel);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON ({e}): {text}"))
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.voxfiles().join(rel), text).unwrap();
    }
}

/// A successful call's body; panics on an API error.
fn call(server: &ServerProc, method: &str, params: &[(&str, &str)]) -> Value {
    let v = server.call_jwt(method, params);
    assert!(v.get("error").is_none(), "{method} {params:?}: {v}");
    v
}

fn id_of(v: &Value, field: &str) -> String {
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("no {field}: {v}"))
        .to_string()
}

/// A scenario's stored script, read with GetScenarios with_script.
fn script_of(server: &ServerProc, scenario_id: &str) -> String {
    let v = call(
        server,
        "GetScenarios",
        &[("scenario_id", scenario_id), ("with_script", "true")],
    );
    v["result"][0]["scenario_script"]
        .as_str()
        .unwrap_or_else(|| panic!("GetScenarios {scenario_id} with_script: {v}"))
        .to_string()
}

/// The application's rules as `[{name, pattern, scenarios: [names]}]`, in priority order.
fn rules_of(server: &ServerProc, application: &str) -> Value {
    let v = call(
        server,
        "GetRules",
        &[
            ("application_name", application),
            ("with_scenarios", "true"),
        ],
    );
    let rules = v["result"].as_array().unwrap_or_else(|| panic!("{v}"));
    Value::Array(
        rules
            .iter()
            .map(|r| {
                let scenarios: Vec<Value> = r["scenarios"]
                    .as_array()
                    .unwrap_or_else(|| panic!("a rule without scenarios: {r}"))
                    .iter()
                    .map(|s| s["scenario_name"].clone())
                    .collect();
                json!({"name": r["rule_name"], "pattern": r["rule_pattern"], "scenarios": scenarios})
            })
            .collect(),
    )
}

#[test]
fn voxengine_ci_init_upload_and_serve_the_folder() {
    let Some((prefix, package)) = voxengine_ci() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let server = ServerProc::start_in(&tmp.path().join("data"), &["--account-name", "voxengine"]);

    // The account as a user made it through the API.
    let app = call(&server, "AddApplication", &[("application_name", "ivr")]);
    let app_id = id_of(&app, "application_id");
    assert_eq!(app["application_name"], "ivr.voxengine.voximplant.com");
    let greeting = call(
        &server,
        "AddScenario",
        &[("scenario_name", "greeting"), ("scenario_script", GREETING)],
    );
    let greeting_id = id_of(&greeting, "scenario_id");
    let menu = call(
        &server,
        "AddScenario",
        &[("scenario_name", "menu"), ("scenario_script", MENU)],
    );
    let menu_id = id_of(&menu, "scenario_id");
    let ids = format!("{greeting_id};{menu_id}");
    call(
        &server,
        "AddRule",
        &[
            ("application_id", &app_id),
            ("rule_name", "inbound"),
            ("rule_pattern", "^1[0-9]+$"),
            ("scenario_id", &ids),
        ],
    );
    call(
        &server,
        "AddRule",
        &[
            ("application_id", &app_id),
            ("rule_name", "fallback"),
            ("rule_pattern", ".*"),
            ("scenario_id", &menu_id),
        ],
    );

    // init: the account, as voxengine-ci lays it out.
    let project = Project::new(&tmp.path().join("project"), &prefix, &package);
    let out = project.run(&server, &["init"]);
    let app_dir = "applications/ivr.voxengine.voximplant.com";
    assert_eq!(
        project.json(&format!("{app_dir}/application.config.json")),
        json!({"applicationName": "ivr.voxengine.voximplant.com"}),
        "init output:\n{out}"
    );
    assert_eq!(
        project.json(&format!("{app_dir}/rules.config.json")),
        json!([
            {"ruleName": "inbound", "scenarios": ["greeting", "menu"], "rulePattern": "^1[0-9]+$"},
            {"ruleName": "fallback", "scenarios": ["menu"], "rulePattern": ".*"},
        ])
    );
    assert_eq!(
        project.read("scenarios/src/greeting.voxengine.js"),
        GREETING
    );
    assert_eq!(project.read("scenarios/src/menu.voxengine.js"), MENU);
    let meta = project.json(&format!(
        ".voxengine-ci/{app_dir}/application.metadata.config.json"
    ));
    assert_eq!(meta["applicationId"].to_string(), app_id, "{meta}");
    let rules_meta = project.json(&format!(
        ".voxengine-ci/{app_dir}/rules.metadata.config.json"
    ));
    assert_eq!(
        rules_meta[0]["scenarios"],
        json!([
            {"scenarioName": "greeting", "scenarioId": greeting["scenario_id"]},
            {"scenarioName": "menu", "scenarioId": menu["scenario_id"]},
        ]),
        "{rules_meta}"
    );
    let greeting_meta = project.json(".voxengine-ci/scenarios/dist/greeting.metadata.config.json");
    assert_eq!(greeting_meta["scenarioId"].to_string(), greeting_id);

    // upload: an edited scenario, a changed rule pattern and the rules' new order go back to
    // the account (SetScenarioInfo, SetRuleInfo, ReorderRules).
    let edited = format!(
        "VoxEngine.addEventListener(AppEvents.Started, () => {{\n    Logger.write('{EDIT_MARK}');\n    VoxEngine.terminate();\n}});\n"
    );
    project.write("scenarios/src/greeting.voxengine.js", &edited);
    project.write(
        &format!("{app_dir}/rules.config.json"),
        r#"[{"ruleName":"fallback","scenarios":["menu"],"rulePattern":".*"},{"ruleName":"inbound","scenarios":["greeting","menu"],"rulePattern":"^1[0-9]{3,}$"}]"#,
    );
    let out = project.run(&server, &["upload", "--application-name", "ivr"]);
    let stored = script_of(&server, &greeting_id);
    assert!(
        stored.contains(EDIT_MARK),
        "GetScenarios after upload has {stored:?}\nupload output:\n{out}"
    );
    // What the tool uploads is its build of the file (scenarios/dist), byte for byte.
    assert_eq!(stored, project.read("scenarios/dist/greeting.voxengine.js"));
    assert_eq!(
        script_of(&server, &menu_id),
        MENU,
        "menu was not edited, so not uploaded"
    );
    let rules = rules_of(&server, "ivr");
    assert_eq!(
        rules,
        json!([
            {"name": "fallback", "pattern": ".*", "scenarios": ["menu"]},
            {"name": "inbound", "pattern": "^1[0-9]{3,}$", "scenarios": ["greeting", "menu"]},
        ]),
        "upload output:\n{out}"
    );

    // init --force: the folder written anew from the account has the uploaded state.
    project.run(&server, &["init", "--force"]);
    assert_eq!(project.read("scenarios/src/greeting.voxengine.js"), stored);
    assert_eq!(
        project.json(&format!("{app_dir}/rules.config.json")),
        json!([
            {"ruleName": "fallback", "scenarios": ["menu"], "rulePattern": ".*"},
            {"ruleName": "inbound", "scenarios": ["greeting", "menu"], "rulePattern": "^1[0-9]{3,}$"},
        ])
    );

    // The same folder served by a second server.
    let voxfiles = project.voxfiles();
    let second = ServerProc::start_in(
        &tmp.path().join("data-served"),
        &[
            "--account-name",
            "voxengine",
            "--voxfiles",
            voxfiles.to_str().unwrap(),
        ],
    );
    assert_eq!(
        rules_of(&second, "ivr.voxengine.voximplant.com"),
        rules,
        "GetRules of the --voxfiles server"
    );
    let served = call(&second, "GetScenarios", &[("scenario_name", "greeting")]);
    let served_id = id_of(&served["result"][0], "scenario_id");
    assert_eq!(script_of(&second, &served_id), stored);
}
