//! `serve --voxfiles DIR --account-name NAME`: a voxengine-ci project folder (two
//! applications, three rules, four scenarios, as that tool writes it) is served by a real
//! server process; an edit shows up in the next session; a bad file is named in one log
//! line and the rest loads; the account can be renamed on an existing data dir.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::sessions::{ok, post, start_session};
use common::{copy_dir, ServerProc};
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/voxfiles/project");

struct Rig {
    tmp: tempfile::TempDir,
    server: ServerProc,
}

impl Rig {
    fn project(&self) -> PathBuf {
        self.tmp.path().join("voxfiles")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("stderr.log")).unwrap_or_default()
    }
}

/// A copy of the fixture, changed by `prepare`, served with `--account-name voxengine`.
fn serve(prepare: impl FnOnce(&Path)) -> Rig {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("voxfiles");
    copy_dir(Path::new(FIXTURE), &project);
    prepare(&project);
    let log = std::fs::File::create(tmp.path().join("stderr.log")).unwrap();
    let server = ServerProc::start_with(
        &tmp.path().join("data"),
        &[
            "--account-name",
            "voxengine",
            "--voxfiles",
            project.to_str().unwrap(),
        ],
        |cmd| {
            cmd.env("RUST_LOG", "info").stderr(Stdio::from(log));
        },
    );
    Rig { tmp, server }
}

fn rules_of(server: &ServerProc, app: &str) -> Vec<(String, String, Vec<String>)> {
    let v = ok(
        server,
        "GetRules",
        &[("application_name", app), ("with_scenarios", "true")],
    );
    v["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let scenarios = r["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["scenario_name"].as_str().unwrap().to_string())
                .collect();
            (
                r["rule_name"].as_str().unwrap().to_string(),
                r["rule_pattern"].as_str().unwrap().to_string(),
                scenarios,
            )
        })
        .collect()
}

fn rule_id(server: &ServerProc, app: &str, rule: &str) -> u64 {
    let v = ok(
        server,
        "GetRules",
        &[("application_name", app), ("rule_name", rule)],
    );
    v["result"][0]["rule_id"].as_u64().expect("rule_id")
}

/// What a new session of the rule answers to a control request.
fn answer(server: &ServerProc, rule: u64) -> String {
    let s = start_session(server, rule);
    let r = post(&s.url, "");
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

#[test]
fn a_voxengine_ci_project_is_served_and_an_edit_reaches_the_next_session() {
    let rig = serve(|_| {});
    let s = &rig.server;

    let info = ok(s, "GetAccountInfo", &[]);
    assert_eq!(info["result"]["account_name"], "voxengine");
    let apps = ok(s, "GetApplications", &[]);
    let mut names: Vec<&str> = apps["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["application_name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        vec![
            "billing.voxengine.voximplant.com",
            "ivr.voxengine.voximplant.com"
        ]
    );
    assert_eq!(
        rules_of(s, "ivr.voxengine.voximplant.com"),
        vec![
            (
                "inbound".into(),
                "\\+1.*".into(),
                vec!["greeting".into(), "menu".into()]
            ),
            ("after-hours".into(), ".*".into(), vec!["voicemail".into()]),
        ]
    );
    assert_eq!(
        rules_of(s, "billing.voxengine.voximplant.com"),
        vec![(
            "invoice".into(),
            "INVOICE_.*".into(),
            vec!["invoice".into()]
        )]
    );
    let scenarios = ok(s, "GetScenarios", &[]);
    assert_eq!(scenarios["total_count"], 4, "{scenarios}");

    // The rule's scenarios run in one session, in the file's order.
    let inbound = rule_id(s, "ivr.voxengine.voximplant.com", "inbound");
    assert_eq!(answer(s, inbound), "greeting v1, menu v1");
    let invoice = rule_id(s, "billing", "invoice");
    assert_eq!(answer(s, invoice), "invoice v1");

    // An edit to a scenario file: the next session runs it, within 2 s of the write.
    let file = rig.project().join("scenarios/src/menu.voxengine.js");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("menu v1", "menu v2");
    std::fs::write(&file, edited).unwrap();
    let written = Instant::now();
    loop {
        let got = answer(s, inbound);
        if got == "greeting v1, menu v2" {
            break;
        }
        assert_eq!(got, "greeting v1, menu v1", "an answer of neither version");
        assert!(
            written.elapsed() < Duration::from_secs(2),
            "the edit did not reach a new session within 2 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // A rules edit: a new rule, a changed binding, a removed rule.
    let rules = rig
        .project()
        .join("applications/ivr.voxengine.voximplant.com/rules.config.json");
    std::fs::write(
        &rules,
        r#"[{"ruleName":"inbound","scenarios":["menu"],"rulePattern":"\\+1.*"},{"ruleName":"night","scenarios":["voicemail","menu"],"rulePattern":"NIGHT_.*"}]"#,
    )
    .unwrap();
    let want = vec![
        (
            "inbound".to_string(),
            "\\+1.*".to_string(),
            vec!["menu".to_string()],
        ),
        (
            "night".to_string(),
            "NIGHT_.*".to_string(),
            vec!["voicemail".to_string(), "menu".to_string()],
        ),
    ];
    let deadline = Instant::now() + Duration::from_secs(10);
    while rules_of(s, "ivr") != want {
        assert!(Instant::now() < deadline, "{:?}", rules_of(s, "ivr"));
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        rule_id(s, "ivr", "inbound"),
        inbound,
        "a rule that stays keeps its id"
    );
}

#[test]
fn bad_files_are_named_once_each_and_the_rest_loads() {
    let rig = serve(|project| {
        let bad = project.join("applications/broken.voxengine.voximplant.com");
        std::fs::create_dir_all(&bad).unwrap();
        std::fs::write(
            bad.join("application.config.json"),
            "{\"applicationName\": ",
        )
        .unwrap();
        let dup = project.join("applications/ivr-copy");
        std::fs::create_dir_all(&dup).unwrap();
        std::fs::write(
            dup.join("application.config.json"),
            r#"{"applicationName":"ivr.voxengine.voximplant.com"}"#,
        )
        .unwrap();
        std::fs::write(
            project.join("applications/billing.voxengine.voximplant.com/rules.config.json"),
            r#"[{"ruleName":"invoice","scenarios":["invoice"],"rulePattern":"INVOICE_.*"},{"ruleName":"refund","scenarios":["refund"]}]"#,
        )
        .unwrap();
    });
    let s = &rig.server;
    let apps = ok(s, "GetApplications", &[]);
    assert_eq!(apps["total_count"], 2, "{apps}");
    let billing: Vec<String> = rules_of(s, "billing").into_iter().map(|r| r.0).collect();
    assert_eq!(
        billing,
        vec!["invoice"],
        "the rule without its scenario file is skipped"
    );
    assert_eq!(answer(s, rule_id(s, "billing", "invoice")), "invoice v1");

    let log = rig.log();
    let lines_naming = |needle: &str| log.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(
        lines_naming("broken.voxengine.voximplant.com/application.config.json"),
        1,
        "{log}"
    );
    assert_eq!(lines_naming("ivr-copy/application.config.json"), 1, "{log}");
    assert_eq!(
        lines_naming("no scenarios/src/refund.voxengine.js"),
        1,
        "{log}"
    );
}

#[test]
fn an_existing_data_dir_is_renamed_and_full_names_follow() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut first = ServerProc::start_in(&data, &[]);
    let added = ok(&first, "AddApplication", &[("application_name", "shop")]);
    assert_eq!(added["application_name"], "shop.voxrun.voximplant.com");
    first.terminate();

    let second = ServerProc::start_in(&data, &["--account-name", "acme"]);
    let info = ok(&second, "GetAccountInfo", &[]);
    assert_eq!(info["result"]["account_name"], "acme");
    let apps = ok(
        &second,
        "GetApplications",
        &[("application_name", "shop.acme.voximplant.com")],
    );
    assert_eq!(
        apps["result"][0]["application_name"],
        "shop.acme.voximplant.com"
    );
    // The old full name is another account's now.
    let old = second.call_jwt(
        "GetRules",
        &[("application_name", "shop.voxrun.voximplant.com")],
    );
    assert_eq!(old["error"]["code"], 558, "{old}");
    let added: Value = ok(
        &second,
        "AddApplication",
        &[("application_name", "desk.acme.voximplant.com")],
    );
    assert_eq!(added["application_name"], "desk.acme.voximplant.com");
}

#[test]
fn an_invalid_account_name_or_voxfiles_folder_is_one_line_and_a_failed_start() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
            .arg("serve")
            .arg("--data-dir")
            .arg(tmp.path().join("data"))
            .args(["--api-addr", "127.0.0.1:0", "--control-addr", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{extra:?} started");
        String::from_utf8_lossy(&out.stderr).trim().to_string()
    };
    let err = run(&["--account-name", "Bad.Name"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("\"Bad.Name\" is not a valid account name"),
        "{err}"
    );
    assert!(
        !tmp.path().join("data").exists(),
        "a refused start leaves no data dir behind"
    );
    let missing = tmp.path().join("nowhere");
    let err = run(&["--voxfiles", missing.to_str().unwrap()]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a folder"), "{err}");
}
