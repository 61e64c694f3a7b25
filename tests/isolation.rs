//! Isolation of scenario code (docs/isolation.md), one test per way a hostile scenario used to hurt the
//! server, against a real `voxrun serve` with two worker processes.
//!
//! Each test starts two healthy canary sessions, one in each worker, then the hostile session
//! (it lands beside the first canary: the fewest-sessions placement prefers the older worker
//! on a tie; every session's log names its worker's pid, and the tests check that instead of
//! trusting the rule). Then it asserts what a user would see: the API still answers, the
//! canary in the other worker answers during and after, the hostile row says "JS session
//! error", a replacement worker takes new sessions, and no process keeps burning CPU.
//!
//! Nothing here measures speed: waits are bounded polls, the bounds only fail a hung test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::sessions::*;
use common::ServerProc;

/// Answers "pong <body>"; "bye" ends the session.
const CANARY: &str = "VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => { \
    if (e.content === 'bye') { VoxEngine.terminate(); return 'bye'; } return 'pong ' + e.content; });";

struct Rig {
    _tmp: tempfile::TempDir,
    server: ServerProc,
    canary_rule: u64,
    /// Shares a worker with the hostile session.
    near: Session,
    /// In the other worker.
    far: Session,
}

impl Rig {
    fn start(extra: &[&str]) -> Rig {
        let mut flags = vec!["--js-workers", "2"];
        flags.extend_from_slice(extra);
        let (tmp, server) = start_server(&flags);
        wait_for_workers(&server, 2);
        let (canary_rule, _) = rule_with(&server, "canary", &[CANARY]);
        let near = start_session(&server, canary_rule);
        let far = start_session(&server, canary_rule);
        let rig = Rig {
            _tmp: tmp,
            server,
            canary_rule,
            near,
            far,
        };
        assert_ne!(
            rig.worker_of(&rig.near),
            rig.worker_of(&rig.far),
            "the two canaries must run in different workers"
        );
        rig.check_far("before");
        rig
    }

    /// The pid of the worker a session runs in, from its log.
    fn worker_of(&self, s: &Session) -> u32 {
        worker_pid(&self.server, s.id)
    }

    /// Start the hostile rule; it must land beside `near`.
    fn start_hostile(&self, label: &str, script: &str) -> Session {
        let (rule, _) = rule_with(&self.server, label, &[script]);
        let s = start_session(&self.server, rule);
        assert_eq!(
            self.worker_of(&s),
            self.worker_of(&self.near),
            "the hostile session should share the first canary's worker"
        );
        s
    }

    fn check_api(&self) {
        let v = self.server.call_jwt("GetAccountInfo", &[]);
        assert!(v["result"]["account_id"].is_u64(), "API: {v}");
    }

    fn check_far(&self, when: &str) {
        assert_pong(
            &self.far,
            when,
            &format!("the canary in the other worker, {when}"),
        );
    }

    /// A fresh session works, in a worker that is not `dead_pid`.
    fn check_replacement(&self, dead_pid: u32) {
        wait_for_workers(&self.server, 2);
        let s = start_session(&self.server, self.canary_rule);
        assert_pong(&s, "new", "a session started after the failure");
        assert_ne!(
            self.worker_of(&s),
            dead_pid,
            "a new session ran in the dead worker"
        );
        assert!(
            !worker_pids(&self.server).contains(&dead_pid),
            "the failed worker {dead_pid} is still alive"
        );
    }

    /// The hostile row ends with "JS session error"; its log says why.
    fn check_failed(&self, s: &Session, why: &str) -> String {
        let row = wait_finished(&self.server, s.id);
        assert_eq!(
            row["finish_reason"], "JS session error",
            "hostile row: {row}"
        );
        let log = log_of(&self.server, &row);
        assert!(
            log.contains(why),
            "the hostile log should say {why:?}:\n{log}"
        );
        log
    }
}

/// Worker processes of the server: its children.
fn worker_pids(server: &ServerProc) -> Vec<u32> {
    let me = server.child.id();
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some(stat) = proc_stat(pid) {
            if stat.ppid == me {
                pids.push(pid);
            }
        }
    }
    pids
}

fn wait_for_workers(server: &ServerProc, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while worker_pids(server).len() < n {
        assert!(
            Instant::now() < deadline,
            "fewer than {n} workers after 30 s"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

struct Stat {
    ppid: u32,
    /// utime + stime, clock ticks.
    cpu_ticks: u64,
    rss_pages: u64,
}

fn proc_stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name, which may contain spaces.
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(Stat {
        ppid: f.get(1)?.parse().ok()?,
        cpu_ticks: f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?,
        rss_pages: f.get(21)?.parse().ok()?,
    })
}

/// CPU ticks of the server and its live workers.
fn cpu_ticks(server: &ServerProc) -> u64 {
    let mut pids = worker_pids(server);
    pids.push(server.child.id());
    pids.iter()
        .filter_map(|p| proc_stat(*p))
        .map(|s| s.cpu_ticks)
        .sum()
}

/// RSS of the server and its workers, MiB.
fn rss_mib(server: &ServerProc) -> u64 {
    let mut pids = worker_pids(server);
    pids.push(server.child.id());
    let pages: u64 = pids
        .iter()
        .filter_map(|p| proc_stat(*p))
        .map(|s| s.rss_pages)
        .sum();
    pages * 4096 / (1024 * 1024)
}

/// No process of the server keeps a core busy: over two seconds, they use well under one
/// second of CPU between them (a spinning thread would use about two).
fn assert_cpu_settles(server: &ServerProc) {
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    let before = cpu_ticks(server);
    thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(server).saturating_sub(before);
    assert!(
        used < hz / 2,
        "the server's processes used {used} ticks ({hz}/s) of CPU in 2 s while idle: something is spinning"
    );
}

/// A session whose handler runs `body` (a JS expression) on each request.
fn on_request(body: &str) -> String {
    format!("VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => {{ {body} }});")
}

/// The common end of the tests whose hostile session kills its worker.
fn check_worker_crash(rig: &Rig, hostile: &Session, dead_pid: u32, why: &str) {
    rig.check_api();
    rig.check_failed(hostile, why);
    // The canary beside it went down with its worker, with the same reason.
    let near = wait_finished(&rig.server, rig.near.id);
    assert_eq!(near["finish_reason"], "JS session error", "{near}");
    rig.check_far("after");
    rig.check_replacement(dead_pid);
    assert_cpu_settles(&rig.server);
    rig.check_far("at the end");
}

#[test]
fn nested_parentheses_in_a_scenario_source_end_only_its_worker() {
    let rig = Rig::start(&[]);
    let pid = rig.worker_of(&rig.near);
    let deep = format!("var x = {}1{};", "(".repeat(2000), ")".repeat(2000));
    let (rule, _) = rule_with(&rig.server, "parens", &[&deep]);
    // The load dies with the worker; StartScenarios still answers with the session's id.
    let hostile = start_session(&rig.server, rule);
    check_worker_crash(&rig, &hostile, pid, "JS session error: the worker process");
}

#[test]
fn deep_json_stringify_ends_only_its_worker() {
    let rig = Rig::start(&[]);
    let pid = rig.worker_of(&rig.near);
    let hostile = rig.start_hostile(
        "stringify",
        &on_request("let a = []; for (let i = 0; i < 200000; i++) a = [a]; return JSON.stringify(a).length;"),
    );
    let r = post(&hostile.url, "go");
    assert_eq!(
        r.status,
        503,
        "the request in flight when the worker died: {}",
        r.text()
    );
    check_worker_crash(&rig, &hostile, pid, "JS session error: the worker process");
}

#[test]
fn a_huge_string_allocation_ends_only_its_worker() {
    let rig = Rig::start(&[]);
    let pid = rig.worker_of(&rig.near);
    let hostile = rig.start_hostile("repeat", &on_request("return 'x'.repeat(2 ** 30).length;"));
    let r = post(&hostile.url, "go");
    assert_eq!(r.status, 503, "{}", r.text());
    check_worker_crash(&rig, &hostile, pid, "memory");
}

#[test]
fn a_backtracking_regex_gets_its_worker_killed_and_replaced() {
    let rig = Rig::start(&[]);
    let pid = rig.worker_of(&rig.near);
    let hostile = rig.start_hostile(
        "regex",
        &on_request("return String(/(a+)+$/.test('a'.repeat(40) + 'b'));"),
    );
    let far = rig.far.clone();
    // The other worker answers while the regex spins.
    let during = thread::spawn(move || {
        thread::sleep(Duration::from_millis(300));
        assert_pong(
            &far,
            "during",
            "the canary in the other worker while the regex spins",
        );
    });
    let r = post(&hostile.url, "go");
    assert_eq!(r.status, 503, "{}", r.text());
    during.join().unwrap();
    check_worker_crash(&rig, &hostile, pid, "did not return from script code");
}

#[test]
fn a_deeply_nested_thrown_object_is_reported_without_hurting_its_worker() {
    let rig = Rig::start(&[]);
    let nest = "let o = {}; for (let i = 0; i < 20000; i++) o = { o };";
    // Rejected after Started: logged, and the session goes on.
    let hostile = rig.start_hostile(
        "deep-reject",
        &on_request(&format!("{nest} Promise.reject(o); return 'replied';")),
    );
    for n in 0..2 {
        let r = post(&hostile.url, "go");
        assert_eq!(r.status, 200, "request {n}: {}", r.text());
        assert_eq!(r.text(), "replied");
    }
    wait_log_line(
        &rig.server,
        hostile.id,
        "Unhandled Promise rejection: [object Object]",
    );
    // Thrown while the scenario loads: StartScenarios answers and the row is closed.
    let (rule, _) = rule_with(&rig.server, "deep-throw", &[&format!("{nest} throw o;")]);
    let thrower = start_session(&rig.server, rule);
    let row = wait_finished(&rig.server, thrower.id);
    assert_eq!(row["finish_reason"], "JS session error", "{row}");
    assert!(
        log_of(&rig.server, &row).contains("[object Object]"),
        "{row}"
    );
    // The worker they shared with the first canary did not go down.
    assert_pong(&rig.near, "after", "the canary beside them");
    assert_eq!(post(&hostile.url, "still").text(), "replied");
    rig.check_far("after");
    rig.check_api();
    assert_cpu_settles(&rig.server);
}

#[test]
fn kill_9_of_a_worker_ends_its_sessions_and_a_new_worker_takes_over() {
    let rig = Rig::start(&[]);
    let pid = rig.worker_of(&rig.near);
    let hostile = rig.start_hostile("victim", CANARY);
    assert_pong(&hostile, "alive", "before the kill");
    // SAFETY: a signal to a child of the server this test started.
    unsafe {
        libc::kill(pid as i32, libc::SIGKILL);
    }
    check_worker_crash(&rig, &hostile, pid, "SIGKILL");
    // The log kept what was written before the worker died.
    let log = log_of(&rig.server, &history(&rig.server, hostile.id));
    assert!(log.contains("HTTP request POST"), "{log}");
}

#[test]
fn import_of_the_credentials_file_fails_and_the_session_lives_on() {
    let rig = Rig::start(&[]);
    let creds = rig.server.credentials.display().to_string();
    // The server runs in the test's directory; put a copy of the key file there too.
    let local = std::env::current_dir().unwrap().join("credentials.json");
    let _cleanup = RemoveOnDrop(local.clone());
    std::fs::copy(&rig.server.credentials, &local).unwrap();
    let script = format!(
        "VoxEngine.addEventListener(AppEvents.HttpRequest, async (e) => {{ \
           try {{ const m = await import(e.content, {{ with: {{ type: 'json' }} }}); return 'LEAK ' + JSON.stringify(m); }} \
           catch (err) {{ return 'refused: ' + err; }} }}); // {creds}"
    );
    let hostile = rig.start_hostile("import", &script);
    for path in [
        creds.as_str(),
        "./credentials.json",
        "credentials.json",
        "/dev/zero",
    ] {
        let r = post(&hostile.url, path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert!(
            r.text().contains("modules are not available"),
            "import({path}) should be refused: {}",
            r.text()
        );
        assert!(
            !r.text().contains("private_key"),
            "import({path}) leaked the key"
        );
    }
    // A static import fails the load with the same message.
    let (rule, _) = rule_with(
        &rig.server,
        "static-import",
        &["import creds from './credentials.json';\nLogger.write(creds);"],
    );
    let s = start_session(&rig.server, rule);
    let row = wait_finished(&rig.server, s.id);
    assert_eq!(row["finish_reason"], "JS session error", "{row}");
    assert!(log_of(&rig.server, &row).contains("modules are not available"));
    // Nothing crashed: both canaries and the importer still answer.
    assert_pong(&rig.near, "after", "the canary beside the importer");
    rig.check_far("after");
    assert!(post(&hostile.url, "x").text().contains("refused"));
}

struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn an_interval_that_is_always_due_still_answers_and_ends_at_its_maximum_duration() {
    let rig = Rig::start(&["--session-max-duration", "6"]);
    // Each callback busy-waits 250 ms with a 100 ms period: the timer is always due.
    let hostile = rig.start_hostile(
        "interval",
        "let n = 0; setInterval(() => { const t = Date.now(); while (Date.now() - t < 250) {} n++; }, 100);\n\
         VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => 'ticks ' + n);",
    );
    let mut answers = Vec::new();
    for _ in 0..3 {
        thread::sleep(Duration::from_millis(400));
        let r = post(&hostile.url, "?");
        assert_eq!(
            r.status,
            200,
            "the busy session must still answer: {}",
            r.text()
        );
        answers.push(r.text());
    }
    assert!(
        answers.iter().all(|a| a.starts_with("ticks ")),
        "{answers:?}"
    );
    assert_ne!(
        answers[0], answers[2],
        "the interval kept running: {answers:?}"
    );
    assert_pong(&rig.near, "beside", "the canary on the same worker");
    rig.check_far("during");
    let row = wait_finished(&rig.server, hostile.id);
    assert_eq!(row["finish_reason"], "Timeout", "{row}");
    assert!(log_of(&rig.server, &row).contains("maximum duration"));
    // (The canaries reach the same maximum duration; what matters is that nothing spins.)
    assert_cpu_settles(&rig.server);
    rig.check_api();
}

#[test]
fn quick_callbacks_that_are_always_due_leave_turns_to_the_canary_on_their_thread() {
    let rig = Rig::start(&[]);
    // 100 intervals (the most a session may have) of 1 ms whose callback sorts a copy of
    // a small array: more work than there is time, in pieces far shorter than a turn, and
    // spent in a native builtin, so the instruction budget does not cut them (sessions fill
    // a worker's first thread first, so the canary shares its thread).
    let hostile = rig.start_hostile(
        "quick",
        "const a = []; for (let i = 0; i < 200; i++) a.push(Math.random());\n\
         let n = 0; for (let i = 0; i < 100; i++) setInterval(() => { a.slice().sort(); n++; }, 1);\n\
         VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => 'ticks ' + n);",
    );
    thread::sleep(Duration::from_millis(300));
    for i in 0..5 {
        assert_pong(
            &rig.near,
            &format!("beside {i}"),
            "the canary on the same thread",
        );
    }
    let first = post(&hostile.url, "?");
    assert_eq!(
        first.status,
        200,
        "the busy session answers: {}",
        first.text()
    );
    thread::sleep(Duration::from_millis(100));
    let second = post(&hostile.url, "?");
    assert!(second.text().starts_with("ticks "), "{}", second.text());
    assert_ne!(first.text(), second.text(), "its intervals kept running");
    rig.check_far("during");
    rig.check_api();
}

#[test]
fn a_session_over_its_total_cpu_budget_ends_with_js_session_error() {
    let rig = Rig::start(&["--session-cpu-max", "2"]);
    let hostile = rig.start_hostile(
        "cpu",
        "setInterval(() => { const t = Date.now(); while (Date.now() - t < 200) {} }, 100);",
    );
    rig.check_failed(&hostile, "--session-cpu-max");
    assert_pong(&rig.near, "after", "the canary on the same worker lives on");
    rig.check_far("after");
    assert_cpu_settles(&rig.server);
}

#[test]
fn a_worker_bloated_by_a_bind_chain_is_recycled_and_its_memory_comes_back() {
    let rig = Rig::start(&["--worker-recycle-rss", "150M"]);
    let pid = rig.worker_of(&rig.near);
    let baseline = rss_mib(&rig.server);
    let hostile = rig.start_hostile(
        "bind",
        &on_request("let f = () => 1; for (let i = 0; i < 1e5; i++) f = f.bind(null); return f();"),
    );
    let r = post(&hostile.url, "go");
    assert!(
        r.status >= 500,
        "the bind chain should fail its request: {} {}",
        r.status,
        r.text()
    );
    rig.check_failed(&hostile, "JS session error");
    rig.check_api();
    rig.check_far("after");
    // The worker is draining: new sessions go elsewhere while the canary keeps it alive.
    let s = start_session(&rig.server, rig.canary_rule);
    assert_ne!(
        rig.worker_of(&s),
        pid,
        "a draining worker took a new session"
    );
    assert_pong(
        &rig.near,
        "draining",
        "the canary on the draining worker still answers",
    );
    // Its last session ends; the worker is replaced and the memory is back.
    assert_eq!(post(&rig.near.url, "bye").text(), "bye");
    let deadline = Instant::now() + Duration::from_secs(30);
    while worker_pids(&rig.server).contains(&pid) {
        assert!(
            Instant::now() < deadline,
            "the bloated worker was never recycled"
        );
        thread::sleep(Duration::from_millis(100));
    }
    rig.check_replacement(pid);
    assert_cpu_settles(&rig.server);
    let after = rss_mib(&rig.server);
    assert!(
        after < baseline + 100,
        "RSS after recycling is {after} MiB, it was {baseline} MiB before the bind chain"
    );
}

#[test]
fn sessions_holding_their_workers_memory_cannot_make_the_server_start_workers_without_end() {
    let (_tmp, server) = start_server(&["--js-workers", "2", "--worker-recycle-rss", "80M"]);
    wait_for_workers(&server, 2);
    // Each hog keeps its worker past the recycle RSS for as long as it lives.
    let (hog, _) = rule_with(
        &server,
        "hog",
        &["let s = 'x'.repeat(1e6); globalThis.keep = []; \
           for (let i = 0; i < 6; i++) { s = s + s; keep.push(s); } \
           VoxEngine.addEventListener(AppEvents.HttpRequest, () => 'hog ' + keep.length);"],
    );
    let most = 4; // two processes per --js-workers
    let mut hogs = Vec::new();
    let mut seen = 0;
    for _ in 0..5 {
        hogs.push(start_session(&server, hog));
        // Heartbeats report the RSS every 100 ms; watch the supervisor react.
        let until = Instant::now() + Duration::from_secs(3);
        while Instant::now() < until {
            seen = seen.max(worker_pids(&server).len());
            thread::sleep(Duration::from_millis(20));
        }
    }
    assert!(
        seen <= most,
        "{seen} worker processes ran at once with --js-workers 2"
    );
    // The hogs that lost their worker's place say why.
    let ended: Vec<_> = hogs
        .iter()
        .map(|h| history(&server, h.id))
        .filter(|row| !row["finish_reason"].is_null())
        .collect();
    assert!(!ended.is_empty(), "no hog's worker was ended");
    for row in &ended {
        assert_eq!(row["finish_reason"], "JS session error", "{row}");
        let log = log_of(&server, row);
        assert!(log.contains("worker processes run at once"), "{log}");
    }
    // New sessions still start and answer.
    let (canary, _) = rule_with(&server, "canary", &[PONG]);
    let s = start_session(&server, canary);
    assert_pong(&s, "ok", "a session started beside the hogs");
    assert!(worker_pids(&server).len() <= most);
}

#[test]
fn a_disk_full_at_session_end_keeps_the_row_and_log_until_they_can_be_written() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
        .arg(&mnt)
        .output();
    match mounted {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            eprintln!(
                "skipped: cannot mount a tmpfs here ({})",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipped: cannot run mount: {e}");
            return;
        }
    }
    let _unmount = Unmount(mnt.clone());
    let server = ServerProc::start_in(&mnt.join("data"), &["--js-workers", "2"]);
    let (rule, _) = rule_with(&server, "disk", &[CANARY]);
    let s = start_session(&server, rule);
    assert_pong(&s, "before", "the session before the disk fills");
    // Fill the disk.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 1 << 16];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
    assert_eq!(post(&s.url, "bye").text(), "bye");
    // The end cannot be written: the row stays open, and the server keeps serving.
    thread::sleep(Duration::from_secs(2));
    let row = history(&server, s.id);
    assert!(
        row["finish_reason"].is_null(),
        "written on a full disk? {row}"
    );
    let v = server.call_jwt("GetAccountInfo", &[]);
    assert!(
        v["result"]["account_id"].is_u64(),
        "API while the disk is full: {v}"
    );
    // Room again: the retried write lands, log and all.
    std::fs::remove_file(&filler).unwrap();
    let row = wait_finished(&server, s.id);
    assert_eq!(row["finish_reason"], "Normal termination", "{row}");
    let log = log_of(&server, &row);
    assert!(
        log.contains("HTTP request POST"),
        "the log lost its lines:\n{log}"
    );
    drop(server);
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn a_second_server_on_the_same_data_dir_refuses_to_start() {
    let (tmp, server) = start_server(&["--js-workers", "2"]);
    let (rule, _) = rule_with(&server, "first", &[CANARY]);
    let s = start_session(&server, rule);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .arg("serve")
        .arg("--data-dir")
        .arg(tmp.path().join("data"))
        .args(["--api-addr", "127.0.0.1:0", "--control-addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another voxrun server"), "{err}");
    // The first server's session is untouched.
    assert_pong(&s, "still", "the first server's session");
    assert!(history(&server, s.id)["finish_reason"].is_null());
}

#[test]
fn files_in_the_data_dir_are_owner_only_whatever_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = ServerProc::start_in(&dir, &["--js-workers", "2"]);
    let (rule, _) = rule_with(&server, "modes", &[CANARY]);
    let s = start_session(&server, rule);
    assert_pong(&s, "x", "a session");
    let mut seen = 0;
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = e.metadata().unwrap();
            let mode = meta.permissions().mode() & 0o777;
            if meta.is_dir() {
                assert_eq!(mode, 0o700, "{}", e.path().display());
                stack.push(e.path());
            } else {
                assert_eq!(mode, 0o600, "{}", e.path().display());
            }
            seen += 1;
        }
    }
    assert!(
        seen >= 4,
        "expected the database, key file and certificate, saw {seen} entries"
    );
}

#[test]
fn ctrl_c_to_the_whole_process_group_ends_sessions_cleanly() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    // Its own process group, as a shell gives a foreground job.
    let mut server = ServerProc::start_with(&dir, &["--js-workers", "2"], |cmd| {
        cmd.process_group(0);
    });
    let script = format!(
        "{CANARY}\nVoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('TERMINATING-RAN'));"
    );
    let (rule, _) = rule_with(&server, "ctrl-c", &[&script]);
    let a = start_session(&server, rule);
    let b = start_session(&server, rule);
    assert_ne!(worker_pid(&server, a.id), worker_pid(&server, b.id));
    let pgid = server.child.id() as i32;
    // SAFETY: SIGINT to the process group of the server this test started (not ours).
    unsafe {
        libc::kill(-pgid, libc::SIGINT);
    }
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let server = ServerProc::start_in(&dir, &["--js-workers", "2"]);
    for s in [&a, &b] {
        let row = history(&server, s.id);
        assert_eq!(row["finish_reason"], "Terminated administratively", "{row}");
        let log = log_of(&server, &row);
        assert!(
            log.contains("TERMINATING-RAN"),
            "the Terminating handler did not run:\n{log}"
        );
    }
}
