//! The rule methods through `dispatch`, against a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::{code, names, Api};

#[tokio::test]
async fn add_rule_validates_patterns_names_and_binds_in_order() {
    let api = Api::new();
    let app = api.app("calls").await;
    let one = api.scenario("one", &[]).await;
    let two = api.scenario("two", &[]).await;
    let v = api
        .ok(
            "AddRule",
            &[
                ("application_name", "calls.acme.voximplant.com"),
                ("rule_name", "main"),
                ("rule_pattern", "\\+1\\d+"),
                ("scenario_name", "two;one"),
            ],
        )
        .await;
    assert_eq!(v["result"], 1);
    let rule = v["rule_id"].to_string();
    assert_eq!(api.bound(&app, &rule).await, vec!["two", "one"]);
    let _ = (one, two);

    let add = |extra: Vec<(&'static str, &'static str)>| {
        let (api, app) = (&api, app.clone());
        async move {
            let mut p = vec![("application_id", app.as_str()), ("rule_pattern", ".*")];
            p.extend(extra);
            code(&api.call("AddRule", &p).await)
        }
    };
    assert_eq!(add(vec![("rule_name", "main")]).await, 175);
    assert_eq!(
        add(vec![("rule_name", "r"), ("rule_pattern", "(unclosed")]).await,
        148
    );
    assert_eq!(
        add(vec![
            ("rule_name", "r"),
            ("rule_pattern", "(a{1000}){1000}")
        ])
        .await,
        148
    );
    // A pattern that would escape the anchors on its own is refused too.
    assert_eq!(
        add(vec![("rule_name", "r"), ("rule_pattern", "a)|(b")]).await,
        148
    );
    assert_eq!(
        add(vec![("rule_name", "r"), ("rule_pattern_exclude", "[z-a]")]).await,
        149
    );
    // Under 100 characters (not bytes): 99 Cyrillic letters are fine, 100 are not.
    let name_of = |n: usize| {
        let (api, app) = (&api, app.clone());
        async move {
            let name = "я".repeat(n);
            let p = [
                ("application_id", app.as_str()),
                ("rule_name", &name),
                ("rule_pattern", ".*"),
            ];
            code(&api.call("AddRule", &p).await)
        }
    };
    assert_eq!(name_of(100).await, 101);
    assert_eq!(name_of(99).await, 0);
    assert_eq!(
        add(vec![("rule_name", "s"), ("scenario_id", "987654")]).await,
        132
    );
    assert_eq!(
        add(vec![("rule_name", "s"), ("scenario_name", "nope")]).await,
        168
    );
    assert_eq!(add(vec![]).await, 101, "rule_name is required");
    let no_app = api
        .call("AddRule", &[("rule_name", "x"), ("rule_pattern", ".*")])
        .await;
    assert_eq!(code(&no_app), 101);
    let ghost = api
        .call(
            "AddRule",
            &[
                ("application_name", "ghost"),
                ("rule_name", "x"),
                ("rule_pattern", ".*"),
            ],
        )
        .await;
    assert_eq!(code(&ghost), 558);
    // A failed AddRule leaves nothing behind.
    let v = api.ok("GetRules", &[("application_id", &app)]).await;
    assert_eq!(v["total_count"], 2);
}

#[tokio::test]
async fn get_rules_lists_in_priority_order_and_matches_templates_whole() {
    let api = Api::new();
    let app = api.app("route").await;
    api.rule(
        &app,
        "us",
        &[
            ("rule_pattern", "\\+1\\d{10}"),
            ("rule_pattern_exclude", "\\+1900\\d+"),
        ],
    )
    .await;
    api.rule(&app, "any", &[]).await;
    api.rule(
        &app,
        "video",
        &[("rule_pattern", "conf.*"), ("video_conference", "true")],
    )
    .await;
    let get = |extra: Vec<(&'static str, &'static str)>| {
        let (api, app) = (&api, app.clone());
        async move {
            let mut p = vec![("application_id", app.as_str())];
            p.extend(extra);
            api.ok("GetRules", &p).await
        }
    };
    let all = get(vec![]).await;
    assert_eq!(
        names(&all["result"], "rule_name"),
        vec!["us", "any", "video"]
    );
    let r = &all["result"][0];
    assert_eq!(r["rule_pattern"], "\\+1\\d{10}");
    assert_eq!(r["rule_pattern_exclude"], "\\+1900\\d+");
    assert_eq!(r["video_conference"], false);
    assert_eq!(r["application_id"].to_string(), app);
    assert!(r["rule_id"].is_u64());

    let us = get(vec![("template", "+12125551234")]).await;
    assert_eq!(names(&us["result"], "rule_name"), vec!["us", "any"]);
    // Excluded, and a partial match does not count.
    let excluded = get(vec![("template", "+19005551234")]).await;
    assert_eq!(names(&excluded["result"], "rule_name"), vec!["any"]);
    let partial = get(vec![("template", "x+12125551234x")]).await;
    assert_eq!(names(&partial["result"], "rule_name"), vec!["any"]);
    let paged = get(vec![
        ("template", "+12125551234"),
        ("count", "1"),
        ("offset", "1"),
    ])
    .await;
    assert_eq!(paged["total_count"], 2);
    assert_eq!(paged["count"], 1);
    assert_eq!(names(&paged["result"], "rule_name"), vec!["any"]);

    let video = get(vec![("video_conference", "1")]).await;
    assert_eq!(names(&video["result"], "rule_name"), vec!["video"]);
    let named = get(vec![("rule_name", "AN")]).await;
    assert_eq!(names(&named["result"], "rule_name"), vec!["any"]);
    assert_eq!(code(&api.call("GetRules", &[]).await), 101);
    assert_eq!(
        code(&api.call("GetRules", &[("application_id", "777")]).await),
        116
    );
}

#[tokio::test]
async fn set_rule_info_changes_the_rule_but_never_its_bindings() {
    let api = Api::new();
    let app = api.app("edit").await;
    let s1 = api.scenario("s1", &[]).await;
    let rule = api.rule(&app, "r", &[("scenario_id", &s1)]).await;
    api.rule(&app, "other", &[]).await;
    api.ok(
        "SetRuleInfo",
        &[
            ("rule_id", &rule),
            ("rule_name", "renamed"),
            ("rule_pattern", "123"),
            ("video_conference", "true"),
            ("scenario_id", ""),
        ],
    )
    .await;
    let v = api
        .ok("GetRules", &[("application_id", &app), ("rule_id", &rule)])
        .await;
    assert_eq!(v["result"][0]["rule_name"], "renamed");
    assert_eq!(v["result"][0]["rule_pattern"], "123");
    assert_eq!(v["result"][0]["video_conference"], true);
    assert_eq!(api.bound(&app, &rule).await, vec!["s1"]);

    let set = |p: Vec<(&'static str, &'static str)>| {
        let (api, rule) = (&api, rule.clone());
        async move {
            let mut params = vec![("rule_id", rule.as_str())];
            params.extend(p);
            code(&api.call("SetRuleInfo", &params).await)
        }
    };
    assert_eq!(set(vec![("rule_name", "other")]).await, 175);
    assert_eq!(set(vec![("rule_pattern", "[")]).await, 148);
    assert_eq!(set(vec![("rule_pattern_exclude", "(")]).await, 149);
    assert_eq!(
        code(&api.call("SetRuleInfo", &[("rule_id", "55555")]).await),
        147
    );
    assert_eq!(code(&api.call("SetRuleInfo", &[]).await), 101);
}

#[tokio::test]
async fn del_rule_by_id_name_or_all() {
    let api = Api::new();
    let app = api.app("del").await;
    let r1 = api.rule(&app, "r1", &[]).await;
    api.rule(&app, "r2", &[]).await;
    api.rule(&app, "r3", &[]).await;
    assert_eq!(
        code(&api.call("DelRule", &[("rule_id", "31337")]).await),
        147
    );
    let v = api
        .call(
            "DelRule",
            &[("application_id", &app), ("rule_name", "ghost")],
        )
        .await;
    assert_eq!(code(&v), 147);
    api.ok("DelRule", &[("rule_id", &r1)]).await;
    api.ok("DelRule", &[("application_id", &app), ("rule_name", "r2")])
        .await;
    let v = api.ok("GetRules", &[("application_id", &app)]).await;
    assert_eq!(names(&v["result"], "rule_name"), vec!["r3"]);
    api.ok("DelRule", &[("application_id", &app), ("rule_id", "all")])
        .await;
    assert_eq!(
        api.ok("GetRules", &[("application_id", &app)]).await["total_count"],
        0
    );
}

#[tokio::test]
async fn reorder_rules_sets_the_priority_order() {
    let api = Api::new();
    let app = api.app("order").await;
    let a = api.rule(&app, "a", &[]).await;
    let b = api.rule(&app, "b", &[]).await;
    let c = api.rule(&app, "c", &[]).await;
    let order = format!("{c};{a};{b}");
    api.ok(
        "ReorderRules",
        &[("application_id", &app), ("rule_id", &order)],
    )
    .await;
    let v = api.ok("GetRules", &[("application_id", &app)]).await;
    assert_eq!(names(&v["result"], "rule_name"), vec!["c", "a", "b"]);
    // Without the application: the rules' own. A partial list moves those first.
    api.ok("ReorderRules", &[("rule_id", &b)]).await;
    let v = api.ok("GetRules", &[("application_id", &app)]).await;
    assert_eq!(names(&v["result"], "rule_name"), vec!["b", "c", "a"]);

    let other = api.app("elsewhere").await;
    let foreign = api.rule(&other, "f", &[]).await;
    let mixed = format!("{a};{foreign}");
    let v = api
        .call(
            "ReorderRules",
            &[("application_id", &app), ("rule_id", &mixed)],
        )
        .await;
    assert_eq!(code(&v), 147);
    let twice = format!("{a};{a}");
    let v = api
        .call(
            "ReorderRules",
            &[("application_id", &app), ("rule_id", &twice)],
        )
        .await;
    assert_eq!(code(&v), 101);
    assert_eq!(
        code(&api.call("ReorderRules", &[("application_id", &app)]).await),
        101
    );
}
