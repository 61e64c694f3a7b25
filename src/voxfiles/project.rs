//! Reading a voxengine-ci project folder into what it declares. Nothing here touches the
//! store: a bad file becomes a [`Problem`] and the rest is read.
//!
//! The layout, as voxengine-ci writes it:
//! ```text
//! applications/<app>.<account>.voximplant.com/application.config.json  {"applicationName": "<full name>"}
//! applications/<app>.<account>.voximplant.com/rules.config.json        [{"ruleName", "rulePattern", "scenarios": ["<name>", ...]}]
//! scenarios/src/<name>.voxengine.js
//! ```
//! `.voxengine-ci/` (ids of the cloud objects) and `scenarios/dist/` are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::names::{full_application_name, short_application_name};

pub const APPLICATIONS_DIR: &str = "applications";
pub const SCENARIOS_DIR: &str = "scenarios/src";
pub const APPLICATION_FILE: &str = "application.config.json";
pub const RULES_FILE: &str = "rules.config.json";
const SCENARIO_SUFFIX: &str = ".voxengine.js";
const TS_SCENARIO_SUFFIX: &str = ".voxengine.ts";
/// voxengine-ci's default when a rule gives no pattern.
const DEFAULT_RULE_PATTERN: &str = ".*";

/// What a project folder declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    /// By short name.
    pub applications: BTreeMap<String, AppSpec>,
    /// Scenario name → script.
    pub scenarios: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppSpec {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// In file order. `None`: the rules file could not be read; the application's rules are
    /// left as they are.
    pub rules: Option<Vec<RuleSpec>>,
    /// Rules whose entry is broken: left as they are, not deleted.
    pub untouched_rules: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    pub name: String,
    pub pattern: String,
    /// Scenario names in order.
    pub scenarios: Vec<String>,
}

/// A file that was skipped, and why: one log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub why: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.why)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApplicationFile {
    application_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleEntry {
    rule_name: String,
    #[serde(default)]
    rule_pattern: Option<String>,
    #[serde(default)]
    scenarios: Vec<String>,
}

/// Read the folder `root` of the account `account`.
pub fn read(root: &Path, account: &str) -> (Project, Vec<Problem>) {
    let mut problems = Vec::new();
    let scenarios = read_scenarios(&root.join(SCENARIOS_DIR), &mut problems);
    let mut project = Project {
        applications: BTreeMap::new(),
        scenarios,
    };
    let apps_dir = root.join(APPLICATIONS_DIR);
    // Short name → its folders. Of two folders for one application, the one named after
    // the application's full name (as voxengine-ci names it) is read; the other is skipped.
    let mut folders: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for dir in sorted_entries(&apps_dir, &mut problems) {
        if !dir.is_dir() {
            continue;
        }
        if let Some(short) = read_application(&dir, account, &mut problems) {
            folders.entry(short).or_default().push(dir);
        }
    }
    for (short, mut dirs) in folders {
        let full = full_application_name(&short, account);
        let named = dirs
            .iter()
            .position(|d| d.file_name().is_some_and(|n| *n == *full.as_str()))
            .unwrap_or(0);
        let dir = dirs.remove(named);
        for other in dirs {
            problems.push(Problem {
                file: other.join(APPLICATION_FILE),
                why: format!(
                    "a second folder for the application {full:?} (the one read is {}); skipped",
                    dir.display()
                ),
            });
        }
        let spec = AppSpec {
            dir: dir.clone(),
            ..read_rules(&dir.join(RULES_FILE), &project.scenarios, &mut problems)
        };
        project.applications.insert(short, spec);
    }
    (project, problems)
}

/// `<name>.voxengine.js` under `dir`, by name.
fn read_scenarios(dir: &Path, problems: &mut Vec<Problem>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for file in sorted_entries(dir, problems) {
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name.ends_with(TS_SCENARIO_SUFFIX) {
            problems.push(Problem {
                file,
                why: "TypeScript scenarios are not run by voxrun; write the scenario in \
                      JavaScript (.voxengine.js); skipped"
                    .into(),
            });
            continue;
        }
        let Some(name) = file_name.strip_suffix(SCENARIO_SUFFIX) else {
            continue;
        };
        match std::fs::read(&file).map(String::from_utf8) {
            Ok(Ok(script)) => {
                out.insert(name.to_string(), script);
            }
            Ok(Err(_)) => problems.push(Problem {
                file,
                why: "not UTF-8 text; skipped".into(),
            }),
            Err(e) => problems.push(Problem {
                file,
                why: format!("cannot be read ({e}); skipped"),
            }),
        }
    }
    out
}

/// The application's short name, from its `application.config.json`.
fn read_application(dir: &Path, account: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let file = dir.join(APPLICATION_FILE);
    let parsed: ApplicationFile = match parse_json(&file) {
        Ok(v) => v,
        Err(why) => {
            problems.push(Problem { file, why });
            return None;
        }
    };
    let given = parsed.application_name;
    let short = match short_application_name(&given, account) {
        Some(short) => short.to_string(),
        None if !given.contains('.') => given,
        None => {
            problems.push(Problem {
                file,
                why: format!(
                    "the application {given:?} is not of this server's account {account:?} \
                     (start the server with --account-name to serve it); skipped"
                ),
            });
            return None;
        }
    };
    Some(short)
}

/// An application's rules file. A missing file declares no rules.
fn read_rules(
    file: &Path,
    scenarios: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
) -> AppSpec {
    if !file.exists() {
        return AppSpec {
            rules: Some(Vec::new()),
            ..AppSpec::default()
        };
    }
    let entries: Vec<serde_json::Value> = match parse_json(file) {
        Ok(v) => v,
        Err(why) => {
            problems.push(Problem {
                file: file.to_path_buf(),
                why,
            });
            return AppSpec::default();
        }
    };
    let mut spec = AppSpec {
        rules: Some(Vec::new()),
        ..AppSpec::default()
    };
    let mut seen = BTreeSet::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let mut problem = |why: String| {
            problems.push(Problem {
                file: file.to_path_buf(),
                why: format!("rule #{}: {why}; skipped", i + 1),
            });
        };
        let name_hint = entry
            .get("ruleName")
            .and_then(|n| n.as_str())
            .map(str::to_string);
        let entry: RuleEntry = match serde_json::from_value(entry) {
            Ok(e) => e,
            Err(e) => {
                problem(e.to_string());
                if let Some(name) = name_hint {
                    spec.untouched_rules.insert(name);
                }
                continue;
            }
        };
        if !seen.insert(entry.rule_name.clone()) {
            problem(format!("a second rule named {:?}", entry.rule_name));
            continue;
        }
        if let Some(missing) = entry.scenarios.iter().find(|s| !scenarios.contains_key(*s)) {
            problem(format!(
                "{:?} names the scenario {missing:?}, and there is no {SCENARIOS_DIR}/{missing}{SCENARIO_SUFFIX}",
                entry.rule_name
            ));
            spec.untouched_rules.insert(entry.rule_name);
            continue;
        }
        if let Some(rules) = spec.rules.as_mut() {
            rules.push(RuleSpec {
                name: entry.rule_name,
                pattern: entry
                    .rule_pattern
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| DEFAULT_RULE_PATTERN.to_string()),
                scenarios: entry.scenarios,
            });
        }
    }
    spec
}

fn parse_json<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("cannot be read ({e}); skipped"))?;
    serde_json::from_str(&text).map_err(|e| format!("is not valid: {e}; skipped"))
}

/// The entries of a folder in name order; an unreadable folder is a problem and has none.
fn sorted_entries(dir: &Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            paths
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            problems.push(Problem {
                file: dir.to_path_buf(),
                why: format!("cannot be read ({e}); skipped"),
            });
            Vec::new()
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_project_is_read_and_each_bad_file_is_one_problem() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "scenarios/src/greet.voxengine.js", "// greet");
        write(
            root,
            "scenarios/src/typed.voxengine.ts",
            "let x: number = 1;",
        );
        write(root, "scenarios/src/notes.txt", "not a scenario");
        write(
            root,
            "applications/ivr.acme.voximplant.com/application.config.json",
            r#"{"applicationName":"ivr.acme.voximplant.com"}"#,
        );
        write(
            root,
            "applications/ivr.acme.voximplant.com/rules.config.json",
            r#"[{"ruleName":"in","rulePattern":"\\+1.*","scenarios":["greet"]},
                {"ruleName":"any","scenarios":[]},
                {"ruleName":"in","scenarios":["greet"]},
                {"ruleName":"lost","scenarios":["ghost"]},
                {"ruleName":7}]"#,
        );
        write(
            root,
            "applications/other.globex.voximplant.com/application.config.json",
            r#"{"applicationName":"other.globex.voximplant.com"}"#,
        );
        write(
            root,
            "applications/broken/application.config.json",
            "{not json",
        );
        write(
            root,
            "applications/bad-rules/application.config.json",
            r#"{"applicationName":"bad-rules"}"#,
        );
        write(root, "applications/bad-rules/rules.config.json", "[{");

        let (project, problems) = read(root, "acme");

        assert_eq!(
            project.scenarios.keys().collect::<Vec<_>>(),
            vec!["greet"],
            "only .voxengine.js files are scenarios"
        );
        let ivr = &project.applications["ivr"];
        let rules = ivr.rules.as_ref().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].pattern, "\\+1.*");
        assert_eq!(rules[0].scenarios, vec!["greet"]);
        assert_eq!(rules[1].pattern, ".*", "voxengine-ci's default pattern");
        assert!(ivr.untouched_rules.contains("lost"));
        assert_eq!(project.applications["bad-rules"].rules, None);
        assert!(!project.applications.contains_key("other"));
        assert_eq!(project.applications.len(), 2);

        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |file: &str, what: &str| {
            assert!(
                lines.iter().any(|l| l.contains(file) && l.contains(what)),
                "no problem naming {file} with {what:?} in {lines:#?}"
            );
        };
        has("typed.voxengine.ts", "TypeScript");
        has(
            "ivr.acme.voximplant.com/rules.config.json",
            "rule #3: a second rule named \"in\"",
        );
        has(
            "ivr.acme.voximplant.com/rules.config.json",
            "no scenarios/src/ghost.voxengine.js",
        );
        has("ivr.acme.voximplant.com/rules.config.json", "rule #5");
        has(
            "other.globex.voximplant.com/application.config.json",
            "--account-name",
        );
        has("broken/application.config.json", "is not valid");
        has("bad-rules/rules.config.json", "is not valid");
        assert_eq!(lines.len(), 7, "{lines:#?}");
    }

    #[test]
    fn a_missing_folder_declares_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (project, problems) = read(&dir.path().join("none"), "acme");
        assert_eq!(project, Project::default());
        assert!(problems.is_empty());
    }
}
