//! AddApplication, GetApplications, SetApplicationInfo, DelApplication, and how other
//! methods name an application (`application_id` / `application_name`).
//!
//! The store keeps the short name (`myapp`); the wire shows the full one
//! (`myapp.ACCOUNT.voximplant.com`), and `application_name` parameters accept either.

use serde_json::{json, Value};

use super::methods::{done, listing, page, pick, same_object, store, store_error};
use super::{rules, ApiError, Code, Ctx, Params};
use crate::names::{full_application_name, short_application_name};
use crate::store::{
    Application, ApplicationChange, ApplicationFilter, Missing, Pick, RuleFilter, Store, StoreError,
};

/// Short names: `[a-z][a-z0-9-]{1,64}`.
const SHORT_NAME_MAX: usize = 65;

fn is_short_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    first_ok
        && (2..=SHORT_NAME_MAX).contains(&name.len())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The short name of a name a client gives for a new or renamed application; None → 107.
fn new_short_name(name: &str, account_name: &str) -> Option<String> {
    let short = short_application_name(name, account_name).unwrap_or(name);
    is_short_name(short).then(|| short.to_string())
}

/// The short name a name given in a lookup or filter refers to.
fn lookup_name(name: &str, account_name: &str) -> String {
    short_application_name(name, account_name)
        .unwrap_or(name)
        .to_string()
}

/// The full name the wire shows.
pub(super) fn full_name(ctx: &Ctx<'_>, short: &str) -> String {
    full_application_name(short, &ctx.state.account.name)
}

/// How a call names an application: `application_id` and/or the parameter `name_param`.
pub(super) struct AppRef {
    id: Option<u64>,
    name: Option<String>,
    name_param: &'static str,
}

impl AppRef {
    pub(super) fn parse(
        ctx: &Ctx<'_>,
        p: &Params,
        name_param: &'static str,
    ) -> Result<AppRef, ApiError> {
        Ok(AppRef {
            id: p.id("application_id")?,
            name: p
                .str(name_param)
                .map(|n| lookup_name(n, &ctx.state.account.name)),
            name_param,
        })
    }

    /// The application named, if any, read with `s` (the caller's store trip).
    /// Unknown id → 116, unknown name → 558, an id and a name of different applications → 458.
    pub(super) fn find(
        &self,
        s: &dyn Store,
        account: u64,
    ) -> Result<Option<Application>, ApiError> {
        match (self.id, &self.name) {
            (None, None) => Ok(None),
            (Some(id), name) => {
                let app = s
                    .application(account, id)
                    .map_err(store_error)?
                    .ok_or(Code::InvalidApplicationId)?;
                same_object(
                    name.as_deref(),
                    &app.name,
                    &format!("application_id, {}", self.name_param),
                )?;
                Ok(Some(app))
            }
            (None, Some(name)) => {
                let app = s
                    .application_by_name(account, name)
                    .map_err(store_error)?
                    .ok_or(Code::ApplicationNotFound)?;
                Ok(Some(app))
            }
        }
    }

    fn names_none(&self) -> bool {
        self.id.is_none() && self.name.is_none()
    }
}

/// The application a call names by `application_id` and/or `name_param`, if any
/// ([`AppRef::find`]).
pub(super) async fn resolve(
    ctx: &Ctx<'_>,
    p: &Params,
    name_param: &'static str,
) -> Result<Option<Application>, ApiError> {
    let named = AppRef::parse(ctx, p, name_param)?;
    if named.names_none() {
        return Ok(None);
    }
    let account = ctx.caller.account_id;
    store(ctx, move |s| Ok(named.find(s, account))).await?
}

/// Like [`resolve`] with `application_name`, but the application is required.
pub(super) async fn required(ctx: &Ctx<'_>, p: &Params) -> Result<Application, ApiError> {
    resolve(ctx, p, "application_name")
        .await?
        .ok_or_else(|| ApiError::missing("application_id"))
}

fn app_json(ctx: &Ctx<'_>, app: &Application) -> Value {
    json!({
        "application_id": app.id,
        "application_name": full_name(ctx, &app.name),
        "modified": super::params::format_datetime(app.modified),
        "secure_record_storage": app.secure_record_storage,
    })
}

pub(super) async fn add(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let given = p.required_str("application_name")?;
    let short =
        new_short_name(given, &ctx.state.account.name).ok_or(Code::InvalidApplicationName)?;
    let secure = p.bool("secure_record_storage")?.unwrap_or(false);
    let account = ctx.caller.account_id;
    let app = store(ctx, move |s| s.add_application(account, &short, secure)).await?;
    Ok(done(json!({
        "application_id": app.id,
        "application_name": full_name(ctx, &app.name),
        "secure_record_storage": app.secure_record_storage,
    })))
}

pub(super) async fn get(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let filter = ApplicationFilter {
        id: p.id("application_id")?,
        name_contains: p
            .str("application_name")
            .map(|n| lookup_name(n, &ctx.state.account.name).to_lowercase()),
    };
    let with_rules = p.bool("with_rules")?.unwrap_or(false);
    let with_scenarios = p.bool("with_scenarios")?.unwrap_or(false);
    let page = page(p, 20)?;
    let account = ctx.caller.account_id;
    // One trip to the blocking pool for the page and, if asked, its rules and bindings.
    let (listing_, rules) = store(ctx, move |s| {
        let apps = s.applications(account, &filter, page)?;
        let mut rules = Vec::new();
        if with_rules {
            for app in &apps.items {
                let filter = RuleFilter {
                    application_id: app.id,
                    ..RuleFilter::default()
                };
                let mut of_app = Vec::new();
                for rule in s.rules(account, &filter)? {
                    let bound = if with_scenarios {
                        Some(s.rule_scenarios(account, rule.id, false)?)
                    } else {
                        None
                    };
                    of_app.push((rule, bound));
                }
                rules.push(of_app);
            }
        }
        Ok((apps, rules))
    })
    .await?;
    let mut rules = rules.into_iter();
    let items = listing_
        .items
        .iter()
        .map(|app| {
            let mut item = app_json(ctx, app);
            if with_rules {
                let list: Vec<Value> = rules
                    .next()
                    .unwrap_or_default()
                    .iter()
                    .map(|(rule, bound)| rules::rule_json(rule, bound.as_deref()))
                    .collect();
                item["rules"] = Value::Array(list);
            }
            item
        })
        .collect();
    Ok(listing(items, listing_.total))
}

pub(super) async fn set_info(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let app = resolve(ctx, p, "required_application_name")
        .await?
        .ok_or_else(|| ApiError::missing("application_id"))?;
    let name = match p.str("application_name") {
        Some(given) => Some(
            new_short_name(given, &ctx.state.account.name).ok_or(Code::InvalidApplicationName)?,
        ),
        None => None,
    };
    let change = ApplicationChange {
        name,
        secure_record_storage: p.bool("secure_record_storage")?,
    };
    let account = ctx.caller.account_id;
    store(ctx, move |s| s.update_application(account, app.id, &change)).await?;
    Ok(done(json!({})))
}

pub(super) async fn delete(ctx: &Ctx<'_>, p: &Params) -> Result<Value, ApiError> {
    let account = ctx.caller.account_id;
    let account_name = ctx.state.account.name.clone();
    let which = pick(
        p,
        "application_id",
        "application_name",
        |names| async move {
            let short: Vec<String> = names
                .iter()
                .map(|n| lookup_name(n, &account_name))
                .collect();
            store(ctx, move |s| {
                let mut ids = Vec::with_capacity(short.len());
                for name in &short {
                    match s.application_by_name(account, name)? {
                        Some(app) => ids.push(app.id),
                        None => return Err(StoreError::NotFound(Missing::ApplicationName)),
                    }
                }
                Ok(ids)
            })
            .await
        },
    )
    .await?;
    let which = match which {
        Pick::Names(names) => Pick::Names(
            names
                .iter()
                .map(|n| lookup_name(n, &ctx.state.account.name))
                .collect(),
        ),
        other => other,
    };
    store(ctx, move |s| s.delete_applications(account, &which)).await?;
    Ok(done(json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_accept_the_short_and_the_full_form_of_this_account_only() {
        assert_eq!(
            new_short_name("my-app1", "acme").as_deref(),
            Some("my-app1")
        );
        assert_eq!(
            new_short_name("my-app1.acme.voximplant.com", "acme").as_deref(),
            Some("my-app1")
        );
        assert_eq!(new_short_name("my-app1.other.voximplant.com", "acme"), None);
        assert_eq!(new_short_name("a", "acme"), None);
        assert_eq!(new_short_name("1app", "acme"), None);
        assert_eq!(new_short_name("MyApp", "acme"), None);
        assert!(new_short_name(&format!("a{}", "b".repeat(64)), "acme").is_some());
        assert_eq!(
            new_short_name(&format!("a{}", "b".repeat(65)), "acme"),
            None
        );
    }
}
