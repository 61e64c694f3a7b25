//! Request parameters: the union of the query string and the body, and their value rules
//! (docs/api.md#parameter-values). Bodies may be urlencoded (Python client), multipart (Node client, chunked)
//! or a JSON object. A repeated key: the last wins.

use std::collections::HashMap;

use bytes::Bytes;
use chrono::{NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

use super::error::{ApiError, Code};

/// The largest integer an id or a count may be; beyond it the value is absurd.
const MAX_INT: u64 = i64::MAX as u64;

/// Merged request parameters.
#[derive(Debug, Default, Clone)]
pub struct Params {
    values: HashMap<String, String>,
}

/// `all`/`any`, or an explicit list (Del* methods).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection<T> {
    All,
    Some(Vec<T>),
}

impl Params {
    /// Parameters from `key=value` pairs (later pairs win).
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut p = Params::default();
        for (k, v) in pairs {
            p.values.insert(k.into(), v.into());
        }
        p
    }

    /// Merge the query string and the body, decoded by `content_type`.
    pub async fn parse(
        query: Option<&str>,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<Self, ApiError> {
        let mut p = Params::default();
        if let Some(q) = query {
            p.add_urlencoded(q.as_bytes(), "the query string")?;
        }
        if body.is_empty() {
            return Ok(p);
        }
        let mime = content_type
            .and_then(|c| c.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match mime.as_str() {
            "multipart/form-data" => {
                let ct = content_type.unwrap_or_default();
                let boundary = multer::parse_boundary(ct)
                    .map_err(|_| bad_body("the multipart boundary is missing"))?;
                p.add_multipart(body, boundary).await?;
            }
            "application/json" => p.add_json(&body)?,
            // urlencoded is the platform's default; take it for unlabelled bodies too.
            _ => p.add_urlencoded(&body, "the body")?,
        }
        Ok(p)
    }

    /// `where_`: what `raw` is, for the error ("the query string", "the body").
    fn add_urlencoded(&mut self, raw: &[u8], where_: &str) -> Result<(), ApiError> {
        // Decode strictly: invalid UTF-8 is an error, not U+FFFD stored in a name.
        let not_utf8 = || bad_body(&format!("{where_} is not valid UTF-8"));
        for pair in raw.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            let k = decode_component(k).ok_or_else(not_utf8)?;
            let v = decode_component(v).ok_or_else(not_utf8)?;
            self.values.insert(k, v);
        }
        Ok(())
    }

    async fn add_multipart(&mut self, body: Bytes, boundary: String) -> Result<(), ApiError> {
        let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
        let mut mp = multer::Multipart::new(stream, boundary);
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return Err(bad_body("the multipart body is malformed")),
            };
            let name = field
                .name()
                .map(str::to_string)
                .ok_or_else(|| bad_body("a multipart field has no name"))?;
            let bytes = field
                .bytes()
                .await
                .map_err(|_| bad_body("the multipart body is malformed"))?;
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| bad_body("the body is not valid UTF-8"))?;
            self.values.insert(name, text);
        }
        Ok(())
    }

    fn add_json(&mut self, raw: &[u8]) -> Result<(), ApiError> {
        let v: Value =
            serde_json::from_slice(raw).map_err(|_| bad_body("the JSON body is malformed"))?;
        let Value::Object(map) = v else {
            return Err(bad_body("the JSON body must be an object"));
        };
        for (k, v) in map {
            if let Some(s) = json_scalar(&v) {
                self.values.insert(k, s);
            } else if let Value::Array(items) = &v {
                let parts: Option<Vec<String>> = items.iter().map(json_scalar).collect();
                let parts =
                    parts.ok_or_else(|| ApiError::invalid(&k, "has an unsupported value"))?;
                self.values.insert(k, parts.join(";"));
            } else {
                return Err(ApiError::invalid(&k, "has an unsupported value"));
            }
        }
        Ok(())
    }

    /// A raw value; empty strings count as absent.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Whether the parameter was sent at all, even empty.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value as sent, an empty string included (for values where empty is a value).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn required_str(&self, name: &str) -> Result<&str, ApiError> {
        self.str(name).ok_or_else(|| ApiError::missing(name))
    }

    /// `true`/`false` in any case, `1`/`0`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Some(true)),
                "false" | "0" => Ok(Some(false)),
                _ => Err(ApiError::invalid(name, "must be a boolean")),
            },
        }
    }

    /// A non-negative integer (count, offset, ...).
    pub fn uint(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(s) => parse_uint(s)
                .map(Some)
                .ok_or_else(|| ApiError::invalid(name, "must be a non-negative integer")),
        }
    }

    /// An id: a positive integer; `0` counts as absent.
    pub fn id(&self, name: &str) -> Result<Option<u64>, ApiError> {
        Ok(self.uint(name)?.filter(|v| *v != 0))
    }

    /// `1;2;3`, or `all`/`any`.
    pub fn id_list(&self, name: &str) -> Result<Option<Selection<u64>>, ApiError> {
        let Some(s) = self.str(name) else {
            return Ok(None);
        };
        if is_all(s) {
            return Ok(Some(Selection::All));
        }
        let mut ids = Vec::new();
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let id = parse_uint(part)
                .ok_or_else(|| ApiError::invalid(name, "must be a list of integers"))?;
            if id != 0 {
                ids.push(id);
            }
        }
        Ok(if ids.is_empty() {
            None
        } else {
            Some(Selection::Some(ids))
        })
    }

    /// `a;b;c`, or `all`/`any`.
    pub fn name_list(&self, name: &str) -> Option<Selection<String>> {
        let s = self.str(name)?;
        if is_all(s) {
            return Some(Selection::All);
        }
        let names: Vec<String> = s
            .split(';')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        if names.is_empty() {
            None
        } else {
            Some(Selection::Some(names))
        }
    }

    /// `YYYY-MM-DD HH:mm:ss` (UTC) as Unix seconds.
    pub fn datetime(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(s) => parse_datetime(s)
                .map(Some)
                .ok_or_else(|| ApiError::invalid(name, "must be a date as YYYY-MM-DD HH:mm:ss")),
        }
    }
}

/// Unix seconds → `YYYY-MM-DD HH:mm:ss` (UTC), the wire format of timestamps.
pub fn format_datetime(unix: i64) -> String {
    match Utc.timestamp_opt(unix, 0).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => String::new(),
    }
}

/// `YYYY-MM-DD HH:mm:ss` (or `YYYY-MM-DD`) → Unix seconds.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    // chrono alone would also take a signed or longer year and a leap second (`:60`).
    if !has_datetime_shape(s.as_bytes()) {
        return None;
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return Some(t.and_utc().timestamp());
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
}

/// `dddd-dd-dd`, or that and ` dd:dd:dd` with seconds below 60.
fn has_datetime_shape(b: &[u8]) -> bool {
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    match b.len() {
        10 => date,
        19 => {
            date && b[10] == b' '
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
                && b[16] == b':'
                && digits(17..19)
                && b[17] < b'6'
        }
        _ => false,
    }
}

fn parse_uint(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u64>().ok().filter(|v| *v <= MAX_INT)
}

fn is_all(s: &str) -> bool {
    s.eq_ignore_ascii_case("all") || s.eq_ignore_ascii_case("any")
}

fn json_scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn bad_body(why: &str) -> ApiError {
    ApiError::InvalidArgument(format!("{}: {why}.", Code::InvalidArguments.message()))
}

/// One urlencoded key or value: `+` is a space, `%XX` a byte; the result must be UTF-8.
fn decode_component(raw: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn booleans_accept_python_and_numeric_forms() {
        let q = p(&[
            ("a", "True"),
            ("b", "FALSE"),
            ("c", "1"),
            ("d", "0"),
            ("e", "yes"),
        ]);
        assert_eq!(q.bool("a").ok(), Some(Some(true)));
        assert_eq!(q.bool("b").ok(), Some(Some(false)));
        assert_eq!(q.bool("c").ok(), Some(Some(true)));
        assert_eq!(q.bool("d").ok(), Some(Some(false)));
        assert_eq!(q.bool("e").map_err(|e| e.code()), Err(101));
        assert_eq!(q.bool("missing").ok(), Some(None));
    }

    #[test]
    fn ids_treat_zero_and_empty_as_absent_and_reject_absurd_numbers() {
        let q = p(&[
            ("a", "0"),
            ("b", ""),
            ("c", "42"),
            ("d", "99999999999999999999999"),
            ("e", "-1"),
        ]);
        assert_eq!(q.id("a").ok(), Some(None));
        assert_eq!(q.id("b").ok(), Some(None));
        assert_eq!(q.id("c").ok(), Some(Some(42)));
        assert!(q.id("d").is_err());
        assert!(q.id("e").is_err());
    }

    #[test]
    fn lists_split_on_semicolons_and_know_all() {
        let q = p(&[
            ("ids", "1;2;3"),
            ("all", "all"),
            ("any", "ANY"),
            ("names", "a;b"),
            ("bad", "1;x"),
        ]);
        assert_eq!(
            q.id_list("ids").ok(),
            Some(Some(Selection::Some(vec![1, 2, 3])))
        );
        assert_eq!(q.id_list("all").ok(), Some(Some(Selection::All)));
        assert_eq!(q.id_list("any").ok(), Some(Some(Selection::All)));
        assert_eq!(
            q.name_list("names"),
            Some(Selection::Some(vec!["a".into(), "b".into()]))
        );
        assert!(q.id_list("bad").is_err());
    }

    #[tokio::test]
    async fn query_and_body_merge_and_the_body_wins() {
        let q = Params::parse(
            Some("cmd=GetScenarios&count=5"),
            Some("application/x-www-form-urlencoded"),
            Bytes::from_static(b"count=7&scenario_name=a%20b"),
        )
        .await
        .map_err(|e| e.to_string());
        let q = q.as_ref().map_err(|e| e.as_str());
        assert_eq!(q.map(|q| q.str("count")), Ok(Some("7")));
        assert_eq!(q.map(|q| q.str("scenario_name")), Ok(Some("a b")));
        assert_eq!(q.map(|q| q.str("cmd")), Ok(Some("GetScenarios")));
    }

    #[tokio::test]
    async fn json_arrays_become_lists() {
        let q = Params::parse(
            None,
            Some("application/json"),
            Bytes::from_static(br#"{"scenario_id":[1,2],"rewrite":true,"n":3}"#),
        )
        .await;
        let q = q.ok();
        assert_eq!(q.as_ref().and_then(|q| q.str("scenario_id")), Some("1;2"));
        assert_eq!(q.as_ref().and_then(|q| q.str("rewrite")), Some("true"));
        assert_eq!(q.as_ref().and_then(|q| q.str("n")), Some("3"));
    }

    #[tokio::test]
    async fn multipart_fields_are_read() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"cmd\"\r\n\r\nAddScenario\r\n--XX\r\nContent-Disposition: form-data; name=\"scenario_script\"\r\n\r\nline1\r\nline2\r\n--XX--\r\n";
        let q = Params::parse(
            None,
            Some("multipart/form-data; boundary=XX"),
            Bytes::from(body),
        )
        .await
        .ok();
        assert_eq!(q.as_ref().and_then(|q| q.str("cmd")), Some("AddScenario"));
        assert_eq!(
            q.as_ref().and_then(|q| q.str("scenario_script")),
            Some("line1\r\nline2")
        );
    }

    #[tokio::test]
    async fn broken_bodies_are_rejected_with_101() {
        let bad_mp = Params::parse(
            None,
            Some("multipart/form-data; boundary=XX"),
            Bytes::from("--XX\r\ngarbage"),
        )
        .await;
        assert_eq!(bad_mp.map(|_| ()).map_err(|e| e.code()), Err(101));
        let bad_utf8 = Params::parse(None, None, Bytes::from_static(b"a=%FF%FE")).await;
        assert_eq!(bad_utf8.map(|_| ()).map_err(|e| e.code()), Err(101));
        let bad_json =
            Params::parse(None, Some("application/json"), Bytes::from_static(b"[1]")).await;
        assert_eq!(bad_json.map(|_| ()).map_err(|e| e.code()), Err(101));
    }

    #[test]
    fn datetimes_round_trip() {
        let t = parse_datetime("2024-02-29 13:14:15");
        assert_eq!(
            t.map(format_datetime).as_deref(),
            Some("2024-02-29 13:14:15")
        );
        assert!(parse_datetime("2024-13-01 00:00:00").is_none());
        assert_eq!(
            parse_datetime("2024-02-29").map(format_datetime).as_deref(),
            Some("2024-02-29 00:00:00")
        );
        // Only the wire's shape: no signed or five-digit years, no leap second, no
        // missing zero padding.
        for bad in [
            "-0001-01-01",
            "+2024-01-01",
            "20240-01-01",
            "2026-12-04 00:00:60",
            "2026-12-04 0:00:00",
            "2026-1-04",
            "2026-12-04T00:00:00",
            "2026-12-04 00:00:00Z",
            "ééééé-12-04",
        ] {
            assert!(parse_datetime(bad).is_none(), "{bad}");
        }
    }
}
