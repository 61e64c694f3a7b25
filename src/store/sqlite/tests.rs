//! The SQLite backend against a real database file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use super::{schema, SqliteStore};
use crate::store::*;

fn open(dir: &Path) -> SqliteStore {
    SqliteStore::open(&dir.join("voxrun.db")).unwrap()
}

fn account(s: &SqliteStore) -> u64 {
    s.init_account("acme", "a@acme.test", "secret-key")
        .unwrap()
        .id
}

fn key(id: &str, account_id: u64) -> ApiKeyRecord {
    ApiKeyRecord {
        key_id: id.into(),
        account_id,
        role: "Owner".into(),
        public_key_pem: "PEM".into(),
        created: 1,
        revoked: false,
    }
}

fn start(account_id: u64, custom: &str) -> HistoryStart {
    HistoryStart {
        account_id,
        application_id: 7,
        application_name: "app.acme.voximplant.com".into(),
        rule_id: 9,
        rule_name: "r".into(),
        user_id: None,
        custom_data: custom.into(),
        conference_name: None,
        log_secret: "s3cret".into(),
    }
}

fn user_version(dir: &Path) -> i64 {
    let c = rusqlite::Connection::open(dir.join("voxrun.db")).unwrap();
    c.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn reopening_keeps_data_and_migrations_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let (acc, app) = {
        let s = open(dir.path());
        let acc = account(&s);
        let app = s.add_application(acc, "durable", true).unwrap();
        (acc, app)
    };
    assert_eq!(user_version(dir.path()), schema::VERSION as i64);
    let s = open(dir.path());
    assert_eq!(user_version(dir.path()), schema::VERSION as i64);
    // init_account on an existing store returns the existing account, not a new one.
    let again = s.init_account("other", "o@x", "k2").unwrap();
    assert_eq!(again.id, acc);
    assert_eq!(again.api_key, "secret-key");
    assert_eq!(s.application(acc, app.id).unwrap(), Some(app));
    drop(s);
    // A third open still works (no "table already exists").
    let s = open(dir.path());
    assert_eq!(
        s.applications(acc, &ApplicationFilter::default(), page())
            .unwrap()
            .total,
        1
    );
}

#[test]
fn a_database_from_a_newer_voxrun_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    let c = rusqlite::Connection::open(dir.path().join("voxrun.db")).unwrap();
    c.execute_batch("PRAGMA user_version = 999").unwrap();
    drop(c);
    let err = SqliteStore::open(&dir.path().join("voxrun.db")).err();
    assert!(matches!(err, Some(StoreError::Backend(m)) if m.contains("newer")));
}

#[test]
fn another_connection_sees_new_and_revoked_keys_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = open(dir.path());
    let acc = account(&server);
    assert_eq!(server.key("k1").unwrap(), None);
    let cli = open(dir.path());
    cli.add_key(&key("k1", acc)).unwrap();
    assert_eq!(server.key("k1").unwrap().map(|k| k.revoked), Some(false));
    assert!(cli.revoke_key("k1").unwrap());
    assert_eq!(server.key("k1").unwrap().map(|k| k.revoked), Some(true));
    assert!(!cli.revoke_key("nope").unwrap());
    assert_eq!(server.keys().unwrap().len(), 1);
}

#[test]
fn a_key_read_at_once_is_current_and_declines_when_it_would_wait() {
    let dir = tempfile::tempdir().unwrap();
    let server = open(dir.path());
    let acc = account(&server);
    let at_once = |s: &SqliteStore| s.key_at_once("k1").map(|r| r.unwrap().map(|k| k.revoked));
    assert_eq!(at_once(&server), Some(None));
    // Changes by another process (the keys CLI) are seen by the next read.
    let cli = open(dir.path());
    cli.add_key(&key("k1", acc)).unwrap();
    assert_eq!(at_once(&server), Some(Some(false)));
    assert!(cli.revoke_key("k1").unwrap());
    assert_eq!(at_once(&server), Some(Some(true)));
    // While the quick connection is busy with another read, the next one declines rather
    // than wait (and is asked off the async threads instead).
    let in_use = server.at_once.lock().unwrap();
    assert_eq!(at_once(&server), None);
    assert_eq!(server.key("k1").unwrap().map(|k| k.revoked), Some(true));
    drop(in_use);
    assert_eq!(at_once(&server), Some(Some(true)));
}

fn page() -> Page {
    Page {
        count: 100,
        offset: 0,
    }
}

#[test]
fn deleting_an_application_deletes_its_rules_and_shares_its_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let acc = account(&s);
    let app = s.add_application(acc, "app", false).unwrap();
    let sc = s
        .add_scenario(
            acc,
            &NewScenario {
                application_id: Some(app.id),
                name: "mine".into(),
                script: "x".into(),
                rewrite: false,
                rule_id: None,
            },
        )
        .unwrap();
    let rule = s
        .add_rule(
            acc,
            &NewRule {
                application_id: app.id,
                name: "r".into(),
                pattern: ".*".into(),
                pattern_exclude: String::new(),
                video_conference: false,
                scenario_ids: vec![sc],
            },
        )
        .unwrap();
    assert_eq!(
        s.delete_applications(acc, &Pick::Ids(vec![app.id]))
            .unwrap(),
        1
    );
    assert_eq!(s.rule(acc, rule).unwrap(), None);
    let kept = s.scenario(acc, sc).unwrap().unwrap();
    assert_eq!(kept.application_id, None);
    assert_eq!(kept.script.as_deref(), Some("x"));
}

#[test]
fn deletes_are_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let acc = account(&s);
    let a = s.add_application(acc, "a1", false).unwrap();
    let r = s.delete_applications(acc, &Pick::Ids(vec![a.id, a.id + 100]));
    assert_eq!(r, Err(StoreError::NotFound(Missing::ApplicationId)));
    assert!(s.application(acc, a.id).unwrap().is_some());
    let r = s.delete_applications(acc, &Pick::Names(vec!["a1".into(), "zz".into()]));
    assert_eq!(r, Err(StoreError::NotFound(Missing::ApplicationName)));
    assert!(s.application(acc, a.id).unwrap().is_some());
}

#[test]
fn another_account_cannot_see_or_touch_objects() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let acc = account(&s);
    let app = s.add_application(acc, "app", false).unwrap();
    let other = acc + 1;
    assert_eq!(s.application(other, app.id).unwrap(), None);
    assert_eq!(
        s.update_application(other, app.id, &ApplicationChange::default()),
        Err(StoreError::NotFound(Missing::ApplicationId))
    );
    assert_eq!(
        s.delete_applications(other, &Pick::Ids(vec![app.id])),
        Err(StoreError::NotFound(Missing::ApplicationId))
    );
}

#[test]
fn names_with_sql_and_like_metacharacters_are_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let acc = account(&s);
    for name in ["a%b", "a_b", "x'); DROP TABLE scenarios; --", "ПРИВЕТ мир"] {
        let new = NewScenario {
            application_id: None,
            name: name.into(),
            script: String::new(),
            rewrite: false,
            rule_id: None,
        };
        s.add_scenario(acc, &new).unwrap();
    }
    let names = |needle: &str| -> Vec<String> {
        let filter = ScenarioFilter {
            name_contains: Some(needle.into()),
            ..ScenarioFilter::default()
        };
        let found = s.scenarios(acc, &filter, page()).unwrap();
        found.items.into_iter().map(|i| i.name).collect()
    };
    assert_eq!(names("%"), vec!["a%b"]);
    assert_eq!(names("_"), vec!["a_b"]);
    assert_eq!(names("drop table"), vec!["x'); DROP TABLE scenarios; --"]);
    // Case-insensitive beyond ASCII.
    assert_eq!(names("привет"), vec!["ПРИВЕТ мир"]);
}

#[test]
fn history_rows_go_from_running_to_finished_with_their_log() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let acc = account(&s);
    let id = s.create_history(&start(acc, "cd")).unwrap();
    let row = s.history_row(acc, id).unwrap().unwrap();
    assert!(row.running);
    assert_eq!((row.duration, row.finish_reason.clone()), (None, None));
    s.append_history_log(id, "line 1\n").unwrap();
    s.append_history_log(id, "line 2\n").unwrap();
    assert_eq!(
        s.history_log(id, "s3cret").unwrap().as_deref(),
        Some("line 1\nline 2\n")
    );
    assert_eq!(s.history_log(id, "wrong").unwrap(), None);
    assert_eq!(s.history_log(id + 1, "s3cret").unwrap(), None);
    s.finish_history(id, 3, "Normal termination", "final", "whole log\n")
        .unwrap();
    let row = s.history_row(acc, id).unwrap().unwrap();
    assert!(!row.running);
    assert_eq!(row.duration, Some(3));
    assert_eq!(row.finish_reason.as_deref(), Some("Normal termination"));
    assert_eq!(row.custom_data, "final");
    assert_eq!(
        s.history_log(id, "s3cret").unwrap().as_deref(),
        Some("whole log\n")
    );
    assert_eq!(
        s.finish_history(id + 5, 1, "x", "", ""),
        Err(StoreError::NotFound(Missing::History))
    );
}

#[test]
fn running_rows_left_by_a_crash_are_closed_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let (acc, running, done) = {
        let s = open(dir.path());
        let acc = account(&s);
        let running = s.create_history(&start(acc, "")).unwrap();
        let done = s.create_history(&start(acc, "")).unwrap();
        s.finish_history(done, 1, "Normal termination", "", "")
            .unwrap();
        (acc, running, done)
    };
    let s = open(dir.path());
    assert_eq!(
        s.close_running_sessions("Terminated administratively")
            .unwrap(),
        1
    );
    let row = s.history_row(acc, running).unwrap().unwrap();
    assert!(!row.running);
    assert_eq!(
        row.finish_reason.as_deref(),
        Some("Terminated administratively")
    );
    let other = s.history_row(acc, done).unwrap().unwrap();
    assert_eq!(other.finish_reason.as_deref(), Some("Normal termination"));
    assert_eq!(s.close_running_sessions("x").unwrap(), 0);
}

#[test]
fn history_queries_filter_order_page_and_count() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let acc = account(&s);
    let ids: Vec<u64> = ["a", "b", "a", "c"]
        .iter()
        .map(|c| s.create_history(&start(acc, c)).unwrap())
        .collect();
    let now = chrono::Utc::now().timestamp();
    let all = HistoryFilter {
        from: now - 60,
        to: now + 60,
        with_total: true,
        ..HistoryFilter::default()
    };
    let got = s.history(acc, &all, page()).unwrap();
    assert_eq!(got.total, Some(4));
    assert_eq!(got.rows.iter().map(|r| r.id).collect::<Vec<_>>(), ids);

    let desc = HistoryFilter {
        desc: true,
        ..all.clone()
    };
    let got = s
        .history(
            acc,
            &desc,
            Page {
                count: 2,
                offset: 1,
            },
        )
        .unwrap();
    assert_eq!(got.total, Some(4));
    assert_eq!(
        got.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[2], ids[1]]
    );

    let by_data = HistoryFilter {
        custom_data: Some("a".into()),
        ..all.clone()
    };
    assert_eq!(s.history(acc, &by_data, page()).unwrap().total, Some(2));
    let by_ids = HistoryFilter {
        ids: Some(vec![ids[1], ids[3], 999]),
        with_total: false,
        ..all.clone()
    };
    let got = s.history(acc, &by_ids, page()).unwrap();
    assert_eq!(got.total, None);
    assert_eq!(got.rows.len(), 2);
    let past = HistoryFilter {
        from: now - 3600,
        to: now - 600,
        ..all.clone()
    };
    assert_eq!(s.history(acc, &past, page()).unwrap().total, Some(0));
    assert_eq!(s.history(acc + 1, &all, page()).unwrap().total, Some(0));
}
