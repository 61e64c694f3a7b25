//! The work items the session loop hands the prelude's dispatcher (`__voxrun` takes one
//! with `op_run_take`), typed, and made into JS values natively: a control request or a
//! timer, the items that come by the thousand, skip `serde_json` altogether.

use boa_engine::object::builtins::JsArray;
use boa_engine::{Context, JsResult, JsString, JsValue};
use serde_json::Value;

use super::HttpEvent;

/// One callback for the dispatcher to run (`90_dispatch.js` switches on its kind's code,
/// the array's first element).
pub(crate) enum Work {
    /// A VoxEngine event (`{name, ...}`) for its listeners.
    Event(Value),
    /// A control-URL request `id`, as `AppEvents.HttpRequest`.
    Http { id: u64, event: HttpEvent },
    /// Timer `id` fired; `done`: it will not fire again.
    Timer { id: u64, done: bool },
    /// Net request `id` completed with `result`.
    Net { id: u64, result: Value },
    /// ApplicationStorage request `id` was answered.
    Storage { id: u64, answer: Value },
    /// A call's state changed.
    Call { notice: Value },
}

impl Work {
    /// The dispatcher's name for this kind (also used in the session log).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Work::Event(_) => "event",
            Work::Http { .. } => "http",
            Work::Timer { .. } => "timer",
            Work::Net { .. } => "net",
            Work::Storage { .. } => "storage",
            Work::Call { .. } => "call",
        }
    }

    /// The kind as the dispatcher's `switch` knows it: a small integer, which it compares
    /// faster than a string (a control request passes here by the thousand). The cases of
    /// `__voxrun` in `90_dispatch.js` carry the same numbers (checked by a test below).
    pub(crate) fn code(&self) -> i32 {
        match self {
            Work::Event(_) => 0,
            Work::Http { .. } => 1,
            Work::Timer { .. } => 2,
            Work::Net { .. } => 3,
            Work::Storage { .. } => 4,
            Work::Call { .. } => 5,
        }
    }

    /// What `op_run_take` returns: `[code, ...fields]`, an array, not an object. Boa 0.22
    /// gives every object made from Rust its own property table, while arrays share
    /// one template; the dispatcher reads the fields by index, and a control request's
    /// event is an object literal there, so it too takes a shared, cached shape.
    pub(crate) fn to_js(&self, ctx: &mut Context) -> JsResult<JsValue> {
        let kind = JsValue::from(self.code());
        let items: Vec<JsValue> = match self {
            Work::Event(event) => vec![kind, JsValue::from_json(event, ctx)?],
            // [code, id, method, path, content, [name, value, name, value, ...]]
            Work::Http { id, event } => {
                let headers = event
                    .headers
                    .iter()
                    .filter(|(k, _)| k.len() >= 2 && k[..2].eq_ignore_ascii_case("x-"))
                    .flat_map(|(k, v)| [text(k), text(v)]);
                let headers = JsArray::from_iter(headers, ctx);
                vec![
                    kind,
                    number(*id),
                    text(&event.method),
                    text(&event.path),
                    text(&event.content),
                    headers.into(),
                ]
            }
            Work::Timer { id, done } => vec![kind, number(*id), JsValue::from(*done)],
            Work::Net { id, result } => vec![kind, number(*id), JsValue::from_json(result, ctx)?],
            Work::Storage { id, answer } => {
                vec![kind, number(*id), JsValue::from_json(answer, ctx)?]
            }
            Work::Call { notice } => vec![kind, JsValue::from_json(notice, ctx)?],
        };
        Ok(JsArray::from_iter(items, ctx).into())
    }
}

fn text(s: &str) -> JsValue {
    JsString::from(s).into()
}

/// An id as JS sees it: a small integer when it fits (as `JSON.parse` would make it).
fn number(id: u64) -> JsValue {
    i32::try_from(id).map_or(JsValue::from(id as f64), JsValue::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each `case N: // kind` of the dispatcher's switch names the kind whose code is N.
    #[test]
    fn the_dispatcher_switches_on_the_codes_of_the_kinds() {
        let js = include_str!("../../runtime-js/90_dispatch.js");
        let value = Value::Null;
        let kinds = [
            Work::Event(value.clone()),
            Work::Http {
                id: 1,
                event: HttpEvent {
                    method: String::new(),
                    path: String::new(),
                    content: String::new(),
                    headers: Vec::new(),
                },
            },
            Work::Timer { id: 1, done: true },
            Work::Net {
                id: 1,
                result: value.clone(),
            },
            Work::Storage {
                id: 1,
                answer: value.clone(),
            },
            Work::Call { notice: value },
        ];
        for w in &kinds {
            let case = format!("case {}: // {}", w.code(), w.kind());
            assert!(js.contains(&case), "90_dispatch.js has no `{case}`");
        }
        assert_eq!(
            js.matches("case ").count(),
            kinds.len() + 3,
            "cases of __voxrun and __voxrun_job"
        );
    }
}
