//! Making the store say what a project folder declares, through the Management API's own
//! methods (as voxengine-ci's `upload` does), so names, patterns and scripts get the same
//! checks as from any client.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::project::{self, AppSpec, Problem, Project, RuleSpec};
use crate::api::error::ApiError;
use crate::api::ApiService;
use crate::names::full_application_name;

/// Keeps the store in step with one folder.
pub struct Loader {
    root: PathBuf,
    api: ApiService,
    /// Scripts this loader has stored, by scenario name: a file is sent again only when it
    /// changed, and a deleted file deletes only a scenario the folder had made.
    applied: BTreeMap<String, String>,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub applications: usize,
    pub rules: usize,
    pub scenarios: usize,
    /// Files or entries skipped (each logged once).
    pub skipped: usize,
}

#[derive(Clone, Copy)]
struct Rule<'a> {
    id: u64,
    pattern: &'a str,
    scenarios: &'a [(u64, String)],
}

impl Loader {
    pub fn new(root: PathBuf, api: ApiService) -> Loader {
        Loader {
            root,
            api,
            applied: BTreeMap::new(),
        }
    }

    /// Read the folder and apply it. Each skipped file or entry is logged once.
    pub async fn sync(&mut self) -> Outcome {
        let root = self.root.clone();
        let account = self.api.state().account.name.clone();
        // A read that did not finish applies nothing: an empty project would delete what
        // the folder had stored.
        let (project, problems) =
            match tokio::task::spawn_blocking(move || project::read(&root, &account)).await {
                Ok(read) => read,
                Err(e) => {
                    tracing::error!("voxfiles: reading {} failed: {e}", self.root.display());
                    return Outcome::default();
                }
            };
        let mut outcome = Outcome {
            skipped: problems.len(),
            ..Outcome::default()
        };
        for p in &problems {
            tracing::warn!("voxfiles: {p}");
        }
        self.sync_scenarios(&project, &mut outcome).await;
        for (short, spec) in &project.applications {
            self.sync_application(short, spec, &mut outcome).await;
        }
        outcome
    }

    async fn call(&self, method: &str, params: &[(&str, String)]) -> Result<Value, ApiError> {
        self.api.call_as_owner(method, params).await
    }

    fn skip(&self, outcome: &mut Outcome, file: PathBuf, why: String) {
        outcome.skipped += 1;
        tracing::warn!("voxfiles: {}", Problem { file, why });
    }

    async fn sync_scenarios(&mut self, project: &Project, outcome: &mut Outcome) {
        for (name, script) in &project.scenarios {
            if self.applied.get(name) == Some(script) {
                outcome.scenarios += 1;
                continue;
            }
            let params = [
                ("scenario_name", name.clone()),
                ("scenario_script", script.clone()),
                ("rewrite", "true".to_string()),
            ];
            match self.call("AddScenario", &params).await {
                Ok(_) => {
                    tracing::info!(scenario = %name, "voxfiles: scenario stored");
                    self.applied.insert(name.clone(), script.clone());
                    outcome.scenarios += 1;
                }
                Err(e) => {
                    let file = self.scenario_file(name);
                    self.skip(outcome, file, format!("{e}; skipped"));
                }
            }
        }
        let gone: Vec<String> = self
            .applied
            .keys()
            .filter(|name| !project.scenarios.contains_key(*name))
            .cloned()
            .collect();
        for name in gone {
            self.applied.remove(&name);
            match self
                .call("DelScenario", &[("scenario_name", name.clone())])
                .await
            {
                Ok(_) => tracing::info!(scenario = %name, "voxfiles: scenario deleted"),
                Err(e) => tracing::warn!(scenario = %name, "voxfiles: cannot delete: {e}"),
            }
        }
    }

    fn scenario_file(&self, name: &str) -> PathBuf {
        self.root
            .join(project::SCENARIOS_DIR)
            .join(format!("{name}.voxengine.js"))
    }

    async fn sync_application(&self, short: &str, spec: &AppSpec, outcome: &mut Outcome) {
        let dir = &spec.dir;
        let app_id = match self.application_id(short).await {
            Ok(id) => id,
            Err(e) => {
                let file = dir.join(project::APPLICATION_FILE);
                self.skip(outcome, file, format!("{e}; skipped"));
                return;
            }
        };
        outcome.applications += 1;
        let Some(rules) = &spec.rules else { return };
        let rules_file = dir.join(project::RULES_FILE);
        let current = match self.current_rules(app_id).await {
            Ok(current) => current,
            Err(e) => {
                self.skip(outcome, rules_file, format!("{e}; skipped"));
                return;
            }
        };
        for rule in rules {
            let existing = current.get(&rule.name).map(|(id, pattern, bound)| Rule {
                id: *id,
                pattern,
                scenarios: bound,
            });
            match self.sync_rule(app_id, rule, existing).await {
                Ok(()) => outcome.rules += 1,
                Err(e) => self.skip(
                    outcome,
                    rules_file.clone(),
                    format!("rule {:?}: {e}; skipped", rule.name),
                ),
            }
        }
        for (name, (id, _, _)) in &current {
            let declared = rules.iter().any(|r| &r.name == name);
            if declared || spec.untouched_rules.contains(name) {
                continue;
            }
            match self.call("DelRule", &[("rule_id", id.to_string())]).await {
                Ok(_) => tracing::info!(rule = %name, "voxfiles: rule deleted"),
                Err(e) => tracing::warn!(rule = %name, "voxfiles: cannot delete: {e}"),
            }
        }
    }

    /// The application's id, adding it when the store has none of that name.
    async fn application_id(&self, short: &str) -> Result<u64, ApiError> {
        let full = full_application_name(short, &self.api.state().account.name);
        let found = self
            .call("GetApplications", &[("application_name", full.clone())])
            .await?;
        let existing = found["result"].as_array().and_then(|apps| {
            apps.iter()
                .find(|a| a["application_name"] == full.as_str())
                .and_then(|a| a["application_id"].as_u64())
        });
        if let Some(id) = existing {
            return Ok(id);
        }
        let added = self
            .call("AddApplication", &[("application_name", short.to_string())])
            .await?;
        tracing::info!(application = %full, "voxfiles: application added");
        added["application_id"]
            .as_u64()
            .ok_or_else(|| ApiError::Internal("AddApplication gave no id".into()))
    }

    /// The application's rules by name: id, pattern, bound scenarios (id, name) in order.
    async fn current_rules(
        &self,
        app_id: u64,
    ) -> Result<BTreeMap<String, (u64, String, Vec<(u64, String)>)>, ApiError> {
        let mut out = BTreeMap::new();
        let mut offset = 0u64;
        loop {
            let page = self
                .call(
                    "GetRules",
                    &[
                        ("application_id", app_id.to_string()),
                        ("with_scenarios", "true".to_string()),
                        ("count", RULES_PAGE.to_string()),
                        ("offset", offset.to_string()),
                    ],
                )
                .await?;
            let items = page["result"].as_array().cloned().unwrap_or_default();
            for r in &items {
                let bound = r["scenarios"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|s| {
                                Some((s["scenario_id"].as_u64()?, text(&s["scenario_name"])))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(id) = r["rule_id"].as_u64() {
                    out.insert(text(&r["rule_name"]), (id, text(&r["rule_pattern"]), bound));
                }
            }
            if (items.len() as u64) < RULES_PAGE {
                return Ok(out);
            }
            offset += RULES_PAGE;
        }
    }

    async fn sync_rule(
        &self,
        app_id: u64,
        rule: &RuleSpec,
        existing: Option<Rule<'_>>,
    ) -> Result<(), ApiError> {
        let names = rule.scenarios.join(";");
        let Some(existing) = existing else {
            let mut params = vec![
                ("application_id", app_id.to_string()),
                ("rule_name", rule.name.clone()),
                ("rule_pattern", rule.pattern.clone()),
            ];
            if !names.is_empty() {
                params.push(("scenario_name", names));
            }
            self.call("AddRule", &params).await?;
            tracing::info!(rule = %rule.name, "voxfiles: rule added");
            return Ok(());
        };
        let id = existing.id.to_string();
        if existing.pattern != rule.pattern {
            self.call(
                "SetRuleInfo",
                &[
                    ("rule_id", id.clone()),
                    ("rule_pattern", rule.pattern.clone()),
                ],
            )
            .await?;
        }
        let bound: Vec<&str> = existing.scenarios.iter().map(|(_, n)| n.as_str()).collect();
        if bound != rule.scenarios {
            // Bound anew, in the file's order.
            if !existing.scenarios.is_empty() {
                let ids: Vec<String> = existing
                    .scenarios
                    .iter()
                    .map(|(i, _)| i.to_string())
                    .collect();
                self.call(
                    "BindScenario",
                    &[
                        ("rule_id", id.clone()),
                        ("scenario_id", ids.join(";")),
                        ("bind", "false".to_string()),
                    ],
                )
                .await?;
            }
            if !names.is_empty() {
                self.call(
                    "BindScenario",
                    &[("rule_id", id.clone()), ("scenario_name", names)],
                )
                .await?;
            }
            tracing::info!(rule = %rule.name, "voxfiles: rule's scenarios bound");
        }
        Ok(())
    }
}

/// Rules asked for per GetRules page.
const RULES_PAGE: u64 = 100;

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}
