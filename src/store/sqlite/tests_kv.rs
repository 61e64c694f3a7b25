//! Key-value storage, transcripts and session calls against a real database file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use super::{schema, SqliteStore};
use crate::store::*;

const NOW: i64 = 1_700_000_000;

fn open(dir: &Path) -> SqliteStore {
    SqliteStore::open(&dir.join("voxrun.db")).unwrap()
}

/// A store with an account and one application; returns (store, account, application).
fn with_app(dir: &Path) -> (SqliteStore, u64, u64) {
    let s = open(dir);
    let acc = s.init_account("acme", "a@acme.test", "k").unwrap().id;
    let app = s.add_application(acc, "kvapp", false).unwrap().id;
    (s, acc, app)
}

fn page(count: u64, offset: u64) -> Page {
    Page { count, offset }
}

fn keys_of(s: &SqliteStore, app: u64, pattern: Option<&str>) -> Vec<String> {
    s.kv_keys(app, pattern, page(100, 0), NOW)
        .unwrap()
        .items
        .into_iter()
        .map(|k| k.key)
        .collect()
}

#[test]
fn an_item_is_stored_per_application_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (s, acc, app) = with_app(dir.path());
    let other = s.add_application(acc, "other", false).unwrap().id;
    let put = s.kv_put(app, "greeting", "hello", Some(60), NOW).unwrap();
    assert_eq!(put.expires_at, NOW + 60);
    s.kv_put(other, "greeting", "bonjour", None, NOW).unwrap();
    drop(s);
    let s = open(dir.path());
    let got = s.kv_get(app, "greeting", NOW).unwrap().unwrap();
    assert_eq!((got.value.as_str(), got.expires_at), ("hello", NOW + 60));
    let theirs = s.kv_get(other, "greeting", NOW).unwrap().unwrap();
    assert_eq!(theirs.value, "bonjour");
    assert_eq!(
        theirs.expires_at,
        NOW + key_value::DEFAULT_TTL_SECONDS as i64
    );
    // A second put replaces the value and the expiry.
    s.kv_put(app, "greeting", "hi", Some(10), NOW).unwrap();
    let got = s.kv_get(app, "greeting", NOW).unwrap().unwrap();
    assert_eq!((got.value.as_str(), got.expires_at), ("hi", NOW + 10));
}

#[test]
fn expired_items_are_invisible_and_purged_by_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, app) = with_app(dir.path());
    s.kv_put(app, "short", "x", Some(5), NOW).unwrap();
    s.kv_put(app, "long", "y", Some(500), NOW).unwrap();
    s.kv_put(app, "gone", "z", Some(0), NOW).unwrap();
    assert_eq!(s.kv_get(app, "gone", NOW).unwrap(), None);
    assert!(s.kv_get(app, "short", NOW + 4).unwrap().is_some());
    let later = NOW + 5;
    assert_eq!(s.kv_get(app, "short", later).unwrap(), None);
    let listed = s.kv_items(app, None, page(10, 0), later).unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].key, "long");
    assert_eq!(s.kv_delete(app, "short", later).unwrap(), None);
    // The write purged the expired rows from the file, not just hid them.
    let c = rusqlite::Connection::open(dir.path().join("voxrun.db")).unwrap();
    let rows: i64 = c
        .query_row("SELECT COUNT(*) FROM kv_items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn patterns_select_a_namespace_in_key_order_with_paging() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, app) = with_app(dir.path());
    for k in ["test:2", "testing", "test", "test:1", "other:1", "test:a:b"] {
        s.kv_put(app, k, "v", None, NOW).unwrap();
    }
    assert_eq!(
        keys_of(&s, app, Some("test")),
        ["test", "test:1", "test:2", "test:a:b"]
    );
    assert_eq!(
        keys_of(&s, app, Some("test:")),
        ["test:1", "test:2", "test:a:b"]
    );
    assert_eq!(keys_of(&s, app, Some("test:a")), ["test:a:b"]);
    assert_eq!(keys_of(&s, app, Some("nothing")), Vec::<String>::new());
    assert_eq!(keys_of(&s, app, None).len(), 6);
    let second = s.kv_items(app, Some("test"), page(2, 2), NOW).unwrap();
    assert_eq!(second.total, 4);
    let keys: Vec<&str> = second.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["test:2", "test:a:b"]);
    // LIKE wildcards in a pattern are plain characters.
    assert_eq!(keys_of(&s, app, Some("%")), Vec::<String>::new());
}

fn invalid<T>(e: KvError) -> StoreResult<T> {
    Err(StoreError::Invalid(Invalid::KeyValue(e)))
}

#[test]
fn limits_and_unknown_applications_are_refused_with_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, app) = with_app(dir.path());
    assert_eq!(
        s.kv_put(app, &"k".repeat(201), "v", None, NOW),
        invalid(KvError::KeyTooLong)
    );
    assert_eq!(
        s.kv_put(app, "k", &"v".repeat(2001), None, NOW),
        invalid(KvError::ValueTooLong)
    );
    assert_eq!(
        s.kv_put(app, "k", "v", Some(7_776_001), NOW),
        invalid(KvError::TtlTooLong)
    );
    assert_eq!(
        s.kv_put(app, "a/b", "v", None, NOW),
        invalid(KvError::KeyCharacter('/'))
    );
    assert_eq!(
        s.kv_keys(app, Some(&"p".repeat(201)), page(10, 0), NOW)
            .map(|l| l.total),
        invalid(KvError::PatternTooLong)
    );
    assert_eq!(
        s.kv_put(app + 100, "k", "v", None, NOW),
        Err(StoreError::NotFound(Missing::ApplicationId))
    );
    assert_eq!(keys_of(&s, app, None), Vec::<String>::new());
}

#[test]
fn deleting_an_application_deletes_its_storage() {
    let dir = tempfile::tempdir().unwrap();
    let (s, acc, app) = with_app(dir.path());
    s.kv_put(app, "k", "v", None, NOW).unwrap();
    s.delete_applications(acc, &Pick::Ids(vec![app])).unwrap();
    let c = rusqlite::Connection::open(dir.path().join("voxrun.db")).unwrap();
    let rows: i64 = c
        .query_row("SELECT COUNT(*) FROM kv_items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

fn history(s: &SqliteStore, acc: u64, app: u64) -> u64 {
    s.create_history(&HistoryStart {
        account_id: acc,
        application_id: app,
        application_name: "kvapp.acme.voximplant.com".into(),
        rule_id: 1,
        rule_name: "r".into(),
        user_id: None,
        custom_data: String::new(),
        conference_name: None,
        log_secret: "s".into(),
    })
    .unwrap()
}

fn call(id: &str, incoming: bool) -> CallRecord {
    CallRecord {
        call_id: id.into(),
        start_time: 1_700_000_001,
        duration: 12,
        local_number: "+10000000001".into(),
        remote_number: "+15550001111".into(),
        incoming,
        successful: true,
        record_url: Some(format!("https://rec.test/{id}.mp3")),
    }
}

fn record(call_id: &str) -> RecordRecord {
    RecordRecord {
        record_id: None,
        record_name: Some(format!("{call_id}-rec")),
        record_url: format!("https://rec.test/{call_id}.mp3"),
        start_time: 1_700_000_002,
        duration: 7,
        call_id: call_id.into(),
    }
}

#[test]
fn a_transcript_and_calls_are_kept_with_the_history_row_after_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (s, acc, app) = with_app(dir.path());
    let id = history(&s, acc, app);
    let quiet = history(&s, acc, app);
    assert_eq!(s.transcript(id).unwrap(), None);
    let transcript = r#"[{"t":0.0,"call":"call-1","what":"alerting","from":"+1","to":"+2"}]"#;
    let calls = [call("call-1", true), call("call-2", false)];
    s.save_session_calls(id, "[]", &[], &[]).unwrap();
    // Saving again replaces what was saved.
    s.save_session_calls(id, transcript, &calls, &[record("call-1")])
        .unwrap();
    s.finish_history(id, 13, "Normal termination", "", "log")
        .unwrap();
    drop(s);
    let s = open(dir.path());
    assert_eq!(s.transcript(id).unwrap().as_deref(), Some(transcript));
    let saved = s.session_calls(&[id, quiet, 999]).unwrap();
    assert_eq!(saved.len(), 1, "rows without calls are left out");
    let mine = &saved[&id];
    assert_eq!(mine.calls, calls);
    assert_eq!(mine.records.len(), 1);
    assert!(mine.records[0].record_id.is_some());
    assert_eq!(
        RecordRecord {
            record_id: None,
            ..mine.records[0].clone()
        },
        record("call-1")
    );
    assert_eq!(s.transcript(999).unwrap(), None);
}

#[test]
fn saving_refuses_unknown_rows_and_transcripts_that_are_not_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let (s, acc, app) = with_app(dir.path());
    let id = history(&s, acc, app);
    assert_eq!(
        s.save_session_calls(id + 1, "[]", &[], &[]),
        Err(StoreError::NotFound(Missing::History))
    );
    for bad in ["", "{}", "[1,", "null"] {
        assert_eq!(
            s.save_session_calls(id, bad, &[call("call-1", true)], &[]),
            Err(StoreError::Invalid(Invalid::Transcript)),
            "{bad:?}"
        );
    }
    // Nothing of a refused save is kept.
    assert_eq!(s.session_calls(&[id]).unwrap().len(), 0);
}

#[test]
fn a_version_1_data_dir_opens_and_gains_the_new_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("voxrun.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(schema::MIGRATIONS[0]).unwrap();
        c.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO accounts (name, email, api_key, created) VALUES ('acme', 'a@x', 'k', 1);
             INSERT INTO applications (account_id, name, modified) VALUES (1, 'old', 1);
             INSERT INTO call_history (account_id, application_id, application_name, rule_id,
                 rule_name, start_date, log_secret, state)
                 VALUES (1, 1, 'old.acme.voximplant.com', 1, 'r', 1, 's', 'finished');",
        )
        .unwrap();
    }
    let s = open(dir.path());
    assert_eq!(
        s.application(1, 1).unwrap().map(|a| a.name).as_deref(),
        Some("old")
    );
    assert_eq!(s.transcript(1).unwrap(), None);
    assert_eq!(s.history_row(1, 1).unwrap().map(|r| r.running), Some(false));
    s.kv_put(1, "k", "v", None, NOW).unwrap();
    s.save_session_calls(1, "[]", &[call("call-1", false)], &[])
        .unwrap();
    assert_eq!(s.session_calls(&[1]).unwrap()[&1].calls.len(), 1);
}
