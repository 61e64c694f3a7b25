//! The scenario methods through `dispatch`, against a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::{code, names, Api};

#[tokio::test]
async fn add_scenario_shares_or_files_it_binds_it_last_and_checks_limits() {
    let api = Api::new();
    let app = api.app("shop").await;
    let first = api.scenario("first", &[]).await;
    let rule = api.rule(&app, "r", &[("scenario_id", &first)]).await;
    let v = api
        .ok(
            "AddScenario",
            &[
                ("scenario_name", "second"),
                ("scenario_script", "Logger.write('hi')"),
                ("application_name", "shop.acme.voximplant.com"),
                ("rule_name", "r"),
            ],
        )
        .await;
    assert_eq!(v["result"], 1);
    assert!(v["scenario_id"].is_u64());
    assert_eq!(api.bound(&app, &rule).await, vec!["first", "second"]);
    // Filed in the application: listed with it; `first` is shared, so it is not.
    let own = api.ok("GetScenarios", &[("application_id", &app)]).await;
    assert_eq!(names(&own["result"], "scenario_name"), vec!["second"]);

    assert_eq!(
        code(&api.call("AddScenario", &[("scenario_name", "first")]).await),
        133
    );
    assert_eq!(code(&api.call("AddScenario", &[]).await), 101);
    // Limits: names under 30 characters, scripts under 128 KB of UTF-8.
    let cyrillic_29 = "ж".repeat(29);
    api.ok("AddScenario", &[("scenario_name", &cyrillic_29)])
        .await;
    let v = api
        .call("AddScenario", &[("scenario_name", &"ж".repeat(30))])
        .await;
    assert_eq!(code(&v), 168);
    assert_eq!(
        v["error"]["msg"],
        "The 'scenario_name' parameter is invalid"
    );
    let big = "é".repeat(64 * 1024);
    let v = api
        .call(
            "AddScenario",
            &[("scenario_name", "big"), ("scenario_script", &big)],
        )
        .await;
    assert_eq!(code(&v), 130);
    let fits = "x".repeat(128 * 1024 - 1);
    api.ok(
        "AddScenario",
        &[("scenario_name", "fits"), ("scenario_script", &fits)],
    )
    .await;
    // A rule of another application cannot take an application's scenario.
    let other = api.app("other").await;
    let other_rule = api.rule(&other, "o", &[]).await;
    let v = api
        .call(
            "AddScenario",
            &[
                ("scenario_name", "mixed"),
                ("application_id", &app),
                ("rule_id", &other_rule),
            ],
        )
        .await;
    assert_eq!(code(&v), 132);
    let unknown_rule = api
        .call(
            "AddScenario",
            &[("scenario_name", "z"), ("rule_id", "99999")],
        )
        .await;
    assert_eq!(code(&unknown_rule), 147);
    // Nothing of the failed calls was kept.
    let all = api.ok("GetScenarios", &[("scenario_name", "mixed")]).await;
    assert_eq!(all["total_count"], 0);
}

#[tokio::test]
async fn rewrite_replaces_the_script_and_keeps_the_id() {
    let api = Api::new();
    let id = api.scenario("s", &[]).await;
    let v = api
        .ok(
            "AddScenario",
            &[
                ("scenario_name", "s"),
                ("scenario_script", "v2"),
                ("rewrite", "true"),
            ],
        )
        .await;
    assert_eq!(v["scenario_id"].to_string(), id);
    let got = api
        .ok(
            "GetScenarios",
            &[("scenario_id", &id), ("with_script", "true")],
        )
        .await;
    assert_eq!(got["result"][0]["scenario_script"], "v2");
    assert_eq!(got["total_count"], 1);
}

#[tokio::test]
async fn bind_scenario_appends_keeps_places_and_unbinds() {
    let api = Api::new();
    let app = api.app("bind").await;
    let a = api.scenario("a", &[]).await;
    let b = api.scenario("b", &[]).await;
    let c = api.scenario("c", &[("application_id", &app)]).await;
    let rule = api.rule(&app, "r", &[("scenario_id", &b)]).await;
    let list = format!("{c};{b};{a}");
    api.ok(
        "BindScenario",
        &[("rule_id", &rule), ("scenario_id", &list)],
    )
    .await;
    assert_eq!(api.bound(&app, &rule).await, vec!["b", "c", "a"]);
    // By names and rule name (with the application).
    api.ok(
        "BindScenario",
        &[
            ("application_id", &app),
            ("rule_name", "r"),
            ("scenario_name", "c;b"),
            ("bind", "False"),
        ],
    )
    .await;
    assert_eq!(api.bound(&app, &rule).await, vec!["a"]);

    let other = api.app("other").await;
    let foreign = api.scenario("foreign", &[("application_id", &other)]).await;
    let v = api
        .call(
            "BindScenario",
            &[("rule_id", &rule), ("scenario_id", &foreign)],
        )
        .await;
    assert_eq!(code(&v), 132);
    let v = api
        .call(
            "BindScenario",
            &[("rule_id", &rule), ("scenario_name", "ghost")],
        )
        .await;
    assert_eq!(code(&v), 168);
    let v = api
        .call(
            "BindScenario",
            &[("rule_id", &rule), ("scenario_id", "8888")],
        )
        .await;
    assert_eq!(code(&v), 132);
    // An id and a name list that disagree.
    let v = api
        .call(
            "BindScenario",
            &[
                ("rule_id", &rule),
                ("scenario_id", &a),
                ("scenario_name", "b"),
            ],
        )
        .await;
    assert_eq!(code(&v), 458);
    // ... and an id with a name of no scenario at all: a conflict too, not 168.
    let v = api
        .call(
            "BindScenario",
            &[
                ("rule_id", &rule),
                ("scenario_id", &a),
                ("scenario_name", "ghost"),
            ],
        )
        .await;
    assert_eq!(code(&v), 458, "{v}");
    assert_eq!(
        code(&api.call("BindScenario", &[("scenario_id", &a)]).await),
        101
    );
    assert_eq!(api.bound(&app, &rule).await, vec!["a"]);
}

#[tokio::test]
async fn del_scenario_deletes_and_unbinds_everywhere() {
    let api = Api::new();
    let app = api.app("del").await;
    let a = api.scenario("a", &[]).await;
    let b = api.scenario("b", &[]).await;
    api.scenario("c", &[]).await;
    let both = format!("{a};{b}");
    let r1 = api.rule(&app, "r1", &[("scenario_id", &both)]).await;
    let r2 = api.rule(&app, "r2", &[("scenario_id", &a)]).await;
    assert_eq!(
        code(&api.call("DelScenario", &[("scenario_id", "7777")]).await),
        132
    );
    assert_eq!(
        code(&api.call("DelScenario", &[("scenario_name", "ghost")]).await),
        168
    );
    assert_eq!(code(&api.call("DelScenario", &[]).await), 101);
    api.ok("DelScenario", &[("scenario_id", &a)]).await;
    assert_eq!(api.bound(&app, &r1).await, vec!["b"]);
    assert!(api.bound(&app, &r2).await.is_empty());
    api.ok("DelScenario", &[("scenario_name", "b")]).await;
    let left = api.ok("GetScenarios", &[]).await;
    assert_eq!(names(&left["result"], "scenario_name"), vec!["c"]);
    api.ok("DelScenario", &[("scenario_id", "all")]).await;
    assert_eq!(api.ok("GetScenarios", &[]).await["total_count"], 0);
}

#[tokio::test]
async fn get_scenarios_filters_pages_and_shows_scripts_for_one_id_only() {
    let api = Api::new();
    for name in ["Alpha", "beta", "ALPHABET", "gamma", "50%_off"] {
        api.scenario(name, &[]).await;
    }
    let all = api.ok("GetScenarios", &[]).await;
    assert_eq!(
        names(&all["result"], "scenario_name"),
        vec!["Alpha", "beta", "ALPHABET", "gamma", "50%_off"]
    );
    let item = &all["result"][0];
    assert_eq!(item["parent"], false);
    assert!(item["scenario_id"].is_u64());
    assert_eq!(item["modified"].as_str().unwrap().len(), 19);
    assert!(item.get("scenario_script").is_none());

    let alpha = api.ok("GetScenarios", &[("scenario_name", "alpha")]).await;
    assert_eq!(
        names(&alpha["result"], "scenario_name"),
        vec!["Alpha", "ALPHABET"]
    );
    // LIKE wildcards are plain characters.
    let pct = api.ok("GetScenarios", &[("scenario_name", "%")]).await;
    assert_eq!(names(&pct["result"], "scenario_name"), vec!["50%_off"]);
    let none = api.ok("GetScenarios", &[("scenario_name", "_")]).await;
    assert_eq!(none["total_count"], 1);

    let paged = api
        .ok("GetScenarios", &[("count", "2"), ("offset", "1")])
        .await;
    assert_eq!(paged["total_count"], 5);
    assert_eq!(paged["count"], 2);
    assert_eq!(
        names(&paged["result"], "scenario_name"),
        vec!["beta", "ALPHABET"]
    );

    // with_script without scenario_id is ignored.
    let no_id = api.ok("GetScenarios", &[("with_script", "true")]).await;
    assert!(no_id["result"][0].get("scenario_script").is_none());
    let id = all["result"][1]["scenario_id"].to_string();
    let one = api
        .ok(
            "GetScenarios",
            &[("scenario_id", &id), ("with_script", "1")],
        )
        .await;
    assert_eq!(one["result"][0]["scenario_script"], "// js");
    // Both filters apply together.
    let both = api
        .ok(
            "GetScenarios",
            &[("scenario_id", &id), ("scenario_name", "alpha")],
        )
        .await;
    assert_eq!(both["total_count"], 0);
    assert_eq!(
        code(&api.call("GetScenarios", &[("offset", "-1")]).await),
        101
    );
    assert_eq!(
        code(
            &api.call("GetScenarios", &[("application_name", "ghost")])
                .await
        ),
        558
    );
}

#[tokio::test]
async fn reorder_scenarios_takes_exactly_the_bound_set() {
    let api = Api::new();
    let app = api.app("reorder").await;
    let a = api.scenario("a", &[]).await;
    let b = api.scenario("b", &[]).await;
    let c = api.scenario("c", &[]).await;
    let ab = format!("{a};{b}");
    let rule = api.rule(&app, "r", &[("scenario_id", &ab)]).await;
    let ba = format!("{b};{a}");
    api.ok(
        "ReorderScenarios",
        &[("rule_id", &rule), ("scenario_id", &ba)],
    )
    .await;
    assert_eq!(api.bound(&app, &rule).await, vec!["b", "a"]);
    // By rule name (unique in the account, so no application needed).
    api.ok(
        "ReorderScenarios",
        &[("rule_name", "r"), ("scenario_id", &ab)],
    )
    .await;
    assert_eq!(api.bound(&app, &rule).await, vec!["a", "b"]);

    let reorder = |ids: String| {
        let (api, rule) = (&api, rule.clone());
        async move {
            let p = [("rule_id", rule.as_str()), ("scenario_id", ids.as_str())];
            code(&api.call("ReorderScenarios", &p).await)
        }
    };
    assert_eq!(reorder(a.clone()).await, 101, "a bound scenario is missing");
    assert_eq!(reorder(format!("{a};{b};{c}")).await, 132, "c is not bound");
    assert_eq!(reorder(format!("{a};{a};{b}")).await, 101);
    assert_eq!(reorder("4444".into()).await, 132);
    let v = api
        .call(
            "ReorderScenarios",
            &[("rule_id", "4444"), ("scenario_id", &ab)],
        )
        .await;
    assert_eq!(code(&v), 147);
    assert_eq!(api.bound(&app, &rule).await, vec!["a", "b"]);
}

#[tokio::test]
async fn set_scenario_info_edits_by_id_or_name() {
    let api = Api::new();
    let id = api.scenario("s", &[]).await;
    api.scenario("taken", &[]).await;
    api.ok(
        "SetScenarioInfo",
        &[
            ("scenario_id", &id),
            ("scenario_name", "renamed"),
            ("scenario_script", "v2"),
        ],
    )
    .await;
    api.ok(
        "SetScenarioInfo",
        &[
            ("required_scenario_name", "renamed"),
            ("scenario_script", "v3"),
        ],
    )
    .await;
    let got = api
        .ok(
            "GetScenarios",
            &[("scenario_id", &id), ("with_script", "true")],
        )
        .await;
    assert_eq!(got["result"][0]["scenario_name"], "renamed");
    assert_eq!(got["result"][0]["scenario_script"], "v3");

    let set = |p: Vec<(&'static str, String)>| {
        let api = &api;
        async move {
            let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
            code(&api.call("SetScenarioInfo", &p).await)
        }
    };
    assert_eq!(
        set(vec![
            ("scenario_id", id.clone()),
            ("scenario_name", "taken".into())
        ])
        .await,
        133
    );
    assert_eq!(
        set(vec![
            ("scenario_id", id.clone()),
            ("scenario_script", "x".repeat(128 * 1024))
        ])
        .await,
        130
    );
    assert_eq!(set(vec![("scenario_id", "6666".into())]).await, 132);
    assert_eq!(
        set(vec![("required_scenario_name", "ghost".into())]).await,
        168
    );
    let too_long = vec![
        ("scenario_id", id.clone()),
        ("scenario_name", "y".repeat(40)),
    ];
    assert_eq!(set(too_long).await, 168);
    assert_eq!(
        set(vec![
            ("scenario_id", id.clone()),
            ("required_scenario_name", "taken".into())
        ])
        .await,
        458
    );
    assert_eq!(set(vec![]).await, 101);
}
