//! The control listener's HTTP-level answers (docs/sessions.md#the-control-url): body limit, full event queue,
//! invalid UTF-8, junk paths — over real sockets against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;

use common::{http, raw, ServerProc};

/// Start a session on a fresh rule whose only scenario is `script`; returns (addr, path).
fn session(s: &ServerProc, label: &str, script: &str) -> (SocketAddr, String) {
    let app = s.call_jwt("AddApplication", &[("application_name", label)]);
    assert!(app["application_id"].is_u64(), "{app}");
    let rule = s.call_jwt(
        "AddRule",
        &[
            ("application_name", label),
            ("rule_name", "r"),
            ("rule_pattern", ".*"),
        ],
    );
    let rule_id = rule["rule_id"].to_string();
    let sc = s.call_jwt(
        "AddScenario",
        &[
            ("scenario_name", label),
            ("scenario_script", script),
            ("rule_id", &rule_id),
        ],
    );
    assert!(sc["scenario_id"].is_u64(), "{sc}");
    let started = s.call_jwt("StartScenarios", &[("rule_id", &rule_id)]);
    let url = started["media_session_access_url"]
        .as_str()
        .expect("url")
        .to_string();
    let rest = url.trim_start_matches("http://");
    let (addr, path) = rest.split_once('/').expect("path");
    (addr.parse().expect("addr"), format!("/{path}"))
}

const ECHO: &str = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => e.content.length);";

#[test]
fn oversized_and_non_utf8_bodies_are_refused_and_the_session_lives_on() {
    let s = ServerProc::start();
    let (addr, path) = session(&s, "limits", ECHO);
    let over = raw(
        addr,
        format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\nabc").as_bytes(),
    );
    assert_eq!(over.status, 413);
    let bad = http(addr, "POST", &path, &[], b"\xff\xfe");
    assert_eq!(bad.status, 400);
    let ok = http(addr, "POST", &path, &[], b"12345");
    assert_eq!((ok.status, ok.text()), (200, "5".to_string()));
}

#[test]
fn junk_control_paths_get_404() {
    let s = ServerProc::start();
    let (addr, path) = session(&s, "junk", ECHO);
    for p in [
        "/",
        "/request",
        "/request/abc",
        "/request/abc/def",
        "/request/%00/%ff",
        "/x/y/z",
    ] {
        assert_eq!(http(addr, "GET", p, &[], b"").status, 404, "{p}");
    }
    let wrong_secret = format!("{}0", path.trim_end_matches('/'));
    assert_eq!(http(addr, "GET", &wrong_secret, &[], b"").status, 404);
    assert_eq!(http(addr, "GET", &path, &[], b"").status, 200);
}

#[test]
fn sub_paths_of_a_control_url_reach_the_handler_with_their_whole_path() {
    let s = ServerProc::start();
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => e.method + ' ' + e.path);";
    let (addr, path) = session(&s, "sub", script);
    for (method, tail) in [
        ("GET", "/status?x=1"),
        ("POST", "/a/b/"),
        ("PUT", "?only=query"),
        ("GET", "/"),
    ] {
        let target = format!("{path}{tail}");
        let r = http(addr, method, &target, &[], b"");
        // e.path is the URL's path plus its query, as the platform gives it.
        assert_eq!(
            (r.status, r.text()),
            (200, format!("{method} {target}")),
            "{target}"
        );
    }
    // A sub-path does not get around the secret.
    let (token_path, _) = path.rsplit_once('/').expect("token/secret");
    let wrong = format!("{token_path}/{}/status", "0".repeat(32));
    assert_eq!(http(addr, "GET", &wrong, &[], b"").status, 404);
    assert_eq!(
        http(addr, "GET", &format!("{token_path}//status"), &[], b"").status,
        404
    );
}

#[test]
fn a_full_event_queue_answers_503_with_retry_after() {
    let s = ServerProc::start();
    // Each event holds the session for ~50 ms of its own clock, so 150 requests sent at
    // once overflow the 100-event queue.
    let slow = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => { const t = Date.now(); while (Date.now() - t < 50) {} return 'done'; });";
    let (addr, path) = session(&s, "queue", slow);
    let handles: Vec<_> = (0..150)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || http(addr, "GET", &path, &[], b""))
        })
        .collect();
    let replies: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let busy: Vec<_> = replies.iter().filter(|r| r.status == 503).collect();
    assert!(
        !busy.is_empty(),
        "no request was refused: {:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(busy.iter().all(|r| r.header("retry-after").is_some()));
    assert!(replies
        .iter()
        .any(|r| r.status == 200 && r.text() == "done"));
}

#[test]
fn a_huge_reply_or_a_thrown_non_error_gets_500_and_the_session_lives_on() {
    let s = ServerProc::start();
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => { \
        if (e.content === 'huge') return 'x'.repeat(9 * 1024 * 1024); \
        if (e.content === 'throw') throw { not: 'an Error' }; \
        return 'fine'; });";
    let (addr, path) = session(&s, "huge", script);
    let huge = http(addr, "POST", &path, &[], b"huge");
    assert_eq!(huge.status, 500);
    assert!(huge.text().contains("8 MiB"), "{}", huge.text());
    assert_eq!(http(addr, "POST", &path, &[], b"throw").status, 500);
    let ok = http(addr, "POST", &path, &[], b"again");
    assert_eq!((ok.status, ok.text()), (200, "fine".to_string()));
}

#[test]
fn a_promise_that_never_settles_gets_504_after_the_reply_timeout_and_the_session_lives_on() {
    let tmp = tempfile::tempdir().unwrap();
    let s = ServerProc::start_in(&tmp.path().join("data"), &["--event-reply-timeout", "1"]);
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => \
        e.content === 'wait' ? new Promise(() => {}) : Promise.resolve('later'));";
    let (addr, path) = session(&s, "pending", script);
    assert_eq!(http(addr, "POST", &path, &[], b"wait").status, 504);
    let ok = http(addr, "POST", &path, &[], b"now");
    assert_eq!((ok.status, ok.text()), (200, "later".to_string()));
}

#[test]
fn sessions_sharing_a_thread_do_not_use_up_each_others_cpu_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let s = ServerProc::start_in(
        &tmp.path().join("data"),
        &["--js-threads-max", "1", "--sessions-per-thread", "20"],
    );
    // ~150 ms of CPU per request: far below the 1 s limit alone, but twelve of them running
    // interleaved on one thread take well over a second of wall time each.
    let script = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => { let x = 0; \
        for (let i = 0; i < 150000; i++) { x = (x + i * 7) % 1000003; } return String(x); });";
    let app = s.call_jwt("AddApplication", &[("application_name", "cpu")]);
    assert!(app["application_id"].is_u64(), "{app}");
    let rule = s.call_jwt(
        "AddRule",
        &[
            ("application_name", "cpu"),
            ("rule_name", "r"),
            ("rule_pattern", ".*"),
        ],
    );
    let rule_id = rule["rule_id"].to_string();
    let sc = s.call_jwt(
        "AddScenario",
        &[
            ("scenario_name", "cpu"),
            ("scenario_script", script),
            ("rule_id", &rule_id),
        ],
    );
    assert!(sc["scenario_id"].is_u64(), "{sc}");
    let urls: Vec<String> = (0..12)
        .map(|_| {
            let v = s.call_jwt("StartScenarios", &[("rule_id", &rule_id)]);
            v["media_session_access_url"]
                .as_str()
                .expect("url")
                .to_string()
        })
        .collect();
    let handles: Vec<_> = urls
        .into_iter()
        .map(|url| {
            std::thread::spawn(move || {
                let rest = url.trim_start_matches("http://");
                let (addr, path) = rest.split_once('/').expect("path");
                http(
                    addr.parse().expect("addr"),
                    "GET",
                    &format!("/{path}"),
                    &[],
                    b"",
                )
            })
        })
        .collect();
    let statuses: Vec<u16> = handles
        .into_iter()
        .map(|h| h.join().unwrap().status)
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[test]
fn concurrent_requests_each_get_their_own_answer_even_when_handlers_finish_out_of_order() {
    // The default on a 2-core machine is one supervisor thread: run it with several too.
    for threads in ["1", "3"] {
        let tmp = tempfile::tempdir().unwrap();
        let s = ServerProc::start_in(&tmp.path().join("data"), &["--io-threads", threads]);
        each_request_gets_its_own_answer(&s);
    }
}

fn each_request_gets_its_own_answer(s: &ServerProc) {
    // One session answers at once; the other answers after a timer, so its replies come
    // back in another order than its requests came in.
    let (addr_a, path_a) = session(
        s,
        "at-once",
        "VoxEngine.addEventListener(AppEvents.HttpRequest, e => 'a:' + e.content);",
    );
    let (addr_b, path_b) = session(
        s,
        "later",
        "VoxEngine.addEventListener(AppEvents.HttpRequest, e => new Promise(r => setTimeout(() => r('b:' + e.content), (Number(e.content) * 7) % 20)));",
    );
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let (path_a, path_b) = (path_a.clone(), path_b.clone());
            std::thread::spawn(move || {
                for i in 0..20 {
                    let n = (t * 100 + i).to_string();
                    let (addr, path, want) = if i % 2 == 0 {
                        (addr_a, &path_a, format!("a:{n}"))
                    } else {
                        (addr_b, &path_b, format!("b:{n}"))
                    };
                    let r = http(addr, "POST", path, &[], n.as_bytes());
                    assert_eq!((r.status, r.text()), (200, want));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
