//! The records the store keeps, and the filters and changes its methods take.
//!
//! Times are Unix seconds (UTC). Application names are the short form (`myapp`); the API adds
//! the `.ACCOUNT.voximplant.com` suffix on the way out.

/// An application: the container of rules and (non-shared) scenarios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: u64,
    pub account_id: u64,
    /// The short name (`[a-z][a-z0-9-]{1,64}`).
    pub name: String,
    pub secure_record_storage: bool,
    pub modified: i64,
}

/// A routing rule of an application. Rules of an application have a priority order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: u64,
    pub application_id: u64,
    pub name: String,
    pub pattern: String,
    /// Empty when the rule has none.
    pub pattern_exclude: String,
    pub video_conference: bool,
    pub modified: i64,
}

/// A scenario: a named JavaScript text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub id: u64,
    /// `None`: the account's shared folder.
    pub application_id: Option<u64>,
    pub name: String,
    /// Present only when asked for (scripts can be 128 KB each).
    pub script: Option<String>,
    pub modified: i64,
}

/// What a delete acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    All,
    Ids(Vec<u64>),
    Names(Vec<String>),
}

/// Paging, applied after filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub count: u64,
    pub offset: u64,
}

/// One page of matches and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    pub total: u64,
    pub items: Vec<T>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationFilter {
    pub id: Option<u64>,
    /// Substring of the short name.
    pub name_contains: Option<String>,
}

/// `None` fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationChange {
    pub name: Option<String>,
    pub secure_record_storage: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRule {
    pub application_id: u64,
    pub name: String,
    pub pattern: String,
    pub pattern_exclude: String,
    pub video_conference: bool,
    /// Bound in this order.
    pub scenario_ids: Vec<u64>,
}

/// Rules of one application, in priority order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFilter {
    pub application_id: u64,
    pub rule_id: Option<u64>,
    /// Case-insensitive substring of the name.
    pub name_contains: Option<String>,
    pub video_conference: Option<bool>,
}

/// `None` fields stay as they are. Bindings are never changed here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleChange {
    pub name: Option<String>,
    pub pattern: Option<String>,
    pub pattern_exclude: Option<String>,
    pub video_conference: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScenario {
    /// `None`: shared.
    pub application_id: Option<u64>,
    pub name: String,
    pub script: String,
    /// A scenario of that name exists: replace its script and keep its id (else a conflict).
    pub rewrite: bool,
    /// Bind to this rule, after the scenarios already bound.
    pub rule_id: Option<u64>,
}

/// Scenarios ordered by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScenarioFilter {
    pub id: Option<u64>,
    /// Case-insensitive substring of the name.
    pub name_contains: Option<String>,
    /// Only that application's scenarios (not the shared ones).
    pub application_id: Option<u64>,
    pub with_script: bool,
}

/// `None` fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScenarioChange {
    pub name: Option<String>,
    pub script: Option<String>,
}

/// One write of a session's records, for [`super::Store::apply_session_writes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionWrite {
    /// Its running row, under an id the caller reserved (above `last_history_id`).
    Start { id: u64, row: HistoryStart },
    /// Its transcript (a JSON array) and the calls and recordings it made, replacing what
    /// an earlier write saved. Unknown row → `NotFound(History)`; a transcript that is not
    /// a JSON array → `Invalid(Transcript)`.
    Calls {
        id: u64,
        transcript: String,
        calls: Vec<CallRecord>,
        records: Vec<RecordRecord>,
    },
    /// Its row closed: duration (s), finish reason, final custom data; `log` replaces the
    /// stored log.
    Finish {
        id: u64,
        duration: u64,
        reason: String,
        custom_data: String,
        log: String,
    },
}

/// A session that starts: its call-history row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStart {
    pub account_id: u64,
    pub application_id: u64,
    pub application_name: String,
    pub rule_id: u64,
    pub rule_name: String,
    pub user_id: Option<u64>,
    pub custom_data: String,
    pub conference_name: Option<String>,
    /// The secret of the session's log URL.
    pub log_secret: String,
}

/// A call-history row (`call_session_history_id` = `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub id: u64,
    pub account_id: u64,
    pub application_id: u64,
    pub application_name: String,
    pub rule_id: u64,
    pub rule_name: String,
    pub user_id: Option<u64>,
    pub start_date: i64,
    /// Whole seconds; `None` while running.
    pub duration: Option<u64>,
    /// `None` while running.
    pub finish_reason: Option<String>,
    pub custom_data: String,
    pub log_secret: String,
    pub conference_name: Option<String>,
    pub running: bool,
}

/// GetCallHistory's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Inclusive bounds on `start_date`.
    pub from: i64,
    pub to: i64,
    pub ids: Option<Vec<u64>>,
    pub application_id: Option<u64>,
    /// Exact rule name.
    pub rule_name: Option<String>,
    /// Exact custom data.
    pub custom_data: Option<String>,
    /// Newest first (else oldest first).
    pub desc: bool,
    /// Count all matches (costs a second query).
    pub with_total: bool,
}

/// One page of history rows; `total` only when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPage {
    pub total: Option<u64>,
    pub rows: Vec<HistoryRow>,
}

/// One call of a session, as `GetCallHistory` (`with_calls`) reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The call's id in the session and its transcript (`call-1`, ...).
    pub call_id: String,
    /// Unix seconds.
    pub start_time: u64,
    /// Whole seconds connected.
    pub duration: u64,
    pub local_number: String,
    pub remote_number: String,
    pub incoming: bool,
    /// Whether it was connected.
    pub successful: bool,
    pub record_url: Option<String>,
}

/// One recording of a session, as `GetCallHistory` (`with_records`) reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRecord {
    /// Assigned by the store (unique in it): `None` when saving, set when read back.
    pub record_id: Option<u64>,
    pub record_name: Option<String>,
    pub record_url: String,
    /// Unix seconds.
    pub start_time: u64,
    /// Whole seconds.
    pub duration: u64,
    /// The recorded call.
    pub call_id: String,
}

/// What a session left beside its history row: its calls and recordings, in the order saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionCalls {
    pub calls: Vec<CallRecord>,
    pub records: Vec<RecordRecord>,
}
