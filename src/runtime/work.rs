//! The work items the session loop hands the prelude's dispatcher (`__voxrun` takes one
//! with `op_run_take`), typed, and made into JS values natively: a control request or a
//! timer, the items that come by the thousand, skip `serde_json` altogether.

use boa_engine::object::builtins::JsArray;
use boa_engine::object::PlainObjectTemplate;
use boa_engine::property::PropertyKey;
use boa_engine::{js_string, Context, JsResult, JsString, JsValue};
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

    /// What `op_run_take` returns: `[code, ...fields]`, an array, not an object (arrays
    /// share one shape; the dispatcher reads the fields by index). A control request is
    /// `[code, id, event]`, its event made whole from `shapes` (see [`EventShapes`]).
    /// `shapes` is made on the first control request.
    pub(crate) fn to_js(
        &self,
        shapes: &mut Option<EventShapes>,
        ctx: &mut Context,
    ) -> JsResult<JsValue> {
        let kind = JsValue::from(self.code());
        let items: Vec<JsValue> = match self {
            Work::Event(event) => vec![kind, JsValue::from_json(event, ctx)?],
            Work::Http { id, event } => {
                let shapes = match shapes {
                    Some(shapes) => shapes,
                    None => shapes.insert(EventShapes::new(ctx)?),
                };
                vec![kind, number(*id), shapes.http_event(event, ctx)?]
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

/// The shapes of `AppEvents.HttpRequest` and of its headers' `{key, value}`, made once per
/// context. An object built from Rust property by property takes a new shape with each
/// one, and each definition is validated; one from a template starts complete, with the
/// shape an object literal `{content, headers, method, name, path}` in a script gets.
pub(crate) struct EventShapes {
    http: PlainObjectTemplate,
    header: PlainObjectTemplate,
    /// The last request's method, path and body as JS strings: a session's requests often
    /// repeat them (a poll), and a JS string is immutable, so the same one serves again.
    method: LastText,
    path: LastText,
    content: LastText,
}

/// One text and the JS string made from it.
#[derive(Default)]
struct LastText {
    text: String,
    js: JsString,
}

/// Longest text kept for reuse: a large body is not held twice by an idle session.
const MAX_KEPT_TEXT: usize = 256;

impl LastText {
    /// `s` as a JS string; made anew unless `s` is the last (short) text again.
    fn get(&mut self, s: &str) -> JsValue {
        if s.len() > MAX_KEPT_TEXT {
            return text(s);
        }
        if !same_bytes(self.text.as_bytes(), s.as_bytes()) {
            self.js = JsString::from(s);
            self.text.clear();
            self.text.push_str(s);
        }
        self.js.clone().into()
    }
}

/// `a == b` for short texts without a call to `memcmp`: glibc's vector `memcmp` stalled on
/// the load of a freshly made request text (3.5 % of a control request in `perf`).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// The name of a control request's event (`AppEvents.HttpRequest`).
const HTTP_EVENT_NAME: JsString = js_string!("Application.HttpRequest");

impl EventShapes {
    pub(crate) fn new(ctx: &Context) -> JsResult<Self> {
        let keys = |names: &[JsString]| -> Vec<PropertyKey> {
            names.iter().cloned().map(PropertyKey::from).collect()
        };
        // Keys in the order the event has always had (alphabetical), as JSON.stringify
        // shows it.
        let http = keys(&[
            js_string!("content"),
            js_string!("headers"),
            js_string!("method"),
            js_string!("name"),
            js_string!("path"),
        ]);
        let header = keys(&[js_string!("key"), js_string!("value")]);
        Ok(EventShapes {
            http: PlainObjectTemplate::new(&http, ctx)?,
            header: PlainObjectTemplate::new(&header, ctx)?,
            method: LastText::default(),
            path: LastText::default(),
            content: LastText::default(),
        })
    }

    /// The event object of a control request; its headers are the `X-*` ones only.
    fn http_event(&mut self, event: &HttpEvent, ctx: &mut Context) -> JsResult<JsValue> {
        let mut headers = Vec::new();
        for (k, v) in &event.headers {
            if super::is_event_header(k) {
                headers.push(self.header.create(vec![text(k), text(v)])?.into());
            }
        }
        let headers = JsArray::from_iter(headers, ctx);
        let values = vec![
            self.content.get(&event.content),
            headers.into(),
            self.method.get(&event.method),
            HTTP_EVENT_NAME.into(),
            self.path.get(&event.path),
        ];
        Ok(self.http.create(values)?.into())
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
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The event a handler gets is an ordinary object, as an object literal would make it:
    /// its fields in the documented order, `Object.prototype`, every property writable,
    /// enumerable and configurable, and only the `X-*` headers.
    #[test]
    fn a_control_requests_event_is_an_ordinary_object_with_its_fields_in_order() {
        use boa_engine::Source;
        let mut ctx = Context::default();
        let header = |k: &str, v: &str| (k.to_string(), v.to_string());
        let work = |method: &str, path: &str| Work::Http {
            id: 7,
            event: HttpEvent {
                method: method.into(),
                path: path.into(),
                content: "h\u{e9}llo \u{1f600}".into(),
                headers: vec![
                    header("X-One", "1"),
                    header("Accept", "*/*"),
                    header(
                        "a\u{e9}",
                        "not X-*, and its second byte is inside a character",
                    ),
                    header("x-", "a name with nothing after x-"),
                    header("x-two", "2"),
                ],
            },
        };
        let mut shapes = None;
        // The same request twice (its strings made once, then reused), then another.
        for (round, (method, path)) in [("POST", "/a?b=1"), ("POST", "/a?b=1"), ("GET", "/c")]
            .into_iter()
            .enumerate()
        {
            let value = work(method, path)
                .to_js(&mut shapes, &mut ctx)
                .expect("to_js");
            assert!(shapes.is_some(), "the shapes are kept for the next request");
            ctx.global_object()
                .set(js_string!("w"), value, false, &mut ctx)
                .expect("set w");
            let probe = r#"(() => {
                const ev = w[2];
                const d = Object.getOwnPropertyDescriptor(ev, 'path');
                const before = JSON.stringify(ev);
                ev.path = 'changed';
                delete ev.content;
                ev.extra = 1;
                return JSON.stringify([w.length, w[0], w[1], before, JSON.stringify(ev),
                  Object.getPrototypeOf(ev) === Object.prototype, d.writable, d.enumerable,
                  d.configurable, Array.isArray(ev.headers), Object.isExtensible(ev)]);
            })()"#;
            let out = ctx
                .eval(Source::from_bytes(probe))
                .expect("probe")
                .to_string(&mut ctx)
                .expect("string")
                .to_std_string_escaped();
            let before = serde_json::json!({
                "content": "h\u{e9}llo \u{1f600}",
                "headers": [{"key": "X-One", "value": "1"}, {"key": "x-two", "value": "2"}],
                "method": method,
                "name": "Application.HttpRequest",
                "path": path,
            });
            let expected: Value = serde_json::json!([
                3,
                1,
                7,
                before.to_string(),
                format!(
                    r#"{{"headers":[{{"key":"X-One","value":"1"}},{{"key":"x-two","value":"2"}}],"method":"{method}","name":"Application.HttpRequest","path":"changed","extra":1}}"#
                ),
                true,
                true,
                true,
                true,
                true,
                true
            ]);
            let got: Value = serde_json::from_str(&out).expect("probe output");
            assert_eq!(got, expected, "round {round}");
        }
    }

    /// A short text is made into a JS string once and reused; a long one, or another one,
    /// is made anew, and each time the JS string is the text.
    #[test]
    fn last_text_gives_the_text_it_is_asked_for() {
        let mut last = LastText::default();
        let long = "b".repeat(MAX_KEPT_TEXT + 1);
        // Texts of one length that differ in their last or first byte are told apart.
        for s in ["", "/a", "/a", long.as_str(), long.as_str(), "/b", "xb", ""] {
            let js = last.get(s);
            assert_eq!(
                js.as_string().map(|j| j.to_std_string_escaped()),
                Some(s.to_string())
            );
            if s.len() > MAX_KEPT_TEXT {
                assert_eq!(last.text, "/a", "a long text is not kept");
            } else {
                assert_eq!(last.text, s);
            }
        }
    }

    /// A template refuses keys that would not give an object literal's shape, and a wrong
    /// number of values.
    #[test]
    fn a_plain_object_template_refuses_bad_keys_and_values() {
        let ctx = Context::default();
        let a = PropertyKey::from(js_string!("a"));
        assert!(PlainObjectTemplate::new(&[a.clone(), a.clone()], &ctx).is_err());
        assert!(PlainObjectTemplate::new(&[PropertyKey::from(0u32)], &ctx).is_err());
        let t = PlainObjectTemplate::new(&[a], &ctx).expect("template");
        assert!(t.create(vec![]).is_err());
        assert!(t.create(vec![JsValue::from(1), JsValue::from(2)]).is_err());
        assert!(t.create(vec![JsValue::from(1)]).is_ok());
    }

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
