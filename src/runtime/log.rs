//! The session log writer: timestamps every entry with the session clock and caps the
//! total size per session.

use std::cell::Cell;
use std::rc::Rc;

use super::clock::SessionClock;
use super::SessionLink;

/// Longest text one `Logger.write` keeps, in characters (docs/sessions.md#the-voxengine-globals).
pub(crate) const MAX_ENTRY_CHARS: usize = 15_000;

/// How far past the log limit the runtime's own lines may still go (see
/// [`SessionLog::ending`]).
pub(crate) const SYSTEM_RESERVE_BYTES: usize = 16 * 1024;

pub(crate) struct SessionLog {
    sink: Rc<dyn SessionLink>,
    clock: Rc<SessionClock>,
    written: Cell<usize>,
    max_bytes: usize,
    capped: Cell<bool>,
}

impl SessionLog {
    pub(crate) fn new(
        sink: Rc<dyn SessionLink>,
        clock: Rc<SessionClock>,
        max_bytes: usize,
    ) -> Self {
        SessionLog {
            sink,
            clock,
            written: Cell::new(0),
            max_bytes,
            capped: Cell::new(false),
        }
    }

    /// Writes one entry, cut to [`MAX_ENTRY_CHARS`].
    pub(crate) fn write(&self, text: &str) {
        self.write_within("", &[text], 0, Delivery::Now);
    }

    /// A line written by the runtime itself.
    pub(crate) fn system(&self, text: &str) {
        self.write_within(SYSTEM_TAG, &[text], 0, Delivery::Now);
    }

    /// The runtime's line for a control request, whose text is `parts` one after another
    /// (made without a `format!` of its own). It may be held back and sent with the
    /// request's reply ([`SessionLink::write_soon`]): there is one for every request, and a
    /// write of its own cost the worker about 1 of its 7-8 us per request (BENCHMARKS.md,
    /// session 18).
    pub(crate) fn request_line(&self, parts: &[&str]) {
        self.write_within(SYSTEM_TAG, parts, 0, Delivery::Soon);
    }

    /// A line of the runtime's that says why the session fails or ends. Past the limit,
    /// such lines still go out within [`SYSTEM_RESERVE_BYTES`] more: a full log must still
    /// say why the session failed and how it ended.
    pub(crate) fn ending(&self, text: &str) {
        self.write_within(SYSTEM_TAG, &[text], SYSTEM_RESERVE_BYTES, Delivery::Now);
    }

    /// Writes the text `tag` and then `parts` make if the log stays within its limit plus
    /// `reserve`. The first line that does not fit the limit itself writes the notice, and
    /// from then on only lines with a reserve go out.
    fn write_within(&self, tag: &str, parts: &[&str], reserve: usize, delivery: Delivery) {
        if self.capped.get() && reserve == 0 {
            return;
        }
        let len: usize = tag.len() + parts.iter().map(|p| p.len()).sum::<usize>();
        let mut line = String::with_capacity(TIME_LEN + 1 + len);
        line_time_into(self.clock.wall_ms_i64(), &mut line);
        line.push(' ');
        let text_at = line.len();
        line.push_str(tag);
        for p in parts {
            line.push_str(p);
        }
        // Bytes bound characters from above: only a long entry needs counting.
        if len > MAX_ENTRY_CHARS {
            let kept = cut_chars(&line[text_at..], MAX_ENTRY_CHARS).len();
            line.truncate(text_at + kept);
        }
        let total = self.written.get().saturating_add(line.len());
        if !self.capped.get() && total > self.max_bytes {
            self.capped.set(true);
            self.sink.write(&format!(
                "{} {SYSTEM_TAG}log limit of {} bytes reached; further lines are dropped",
                self.clock.timestamp(),
                self.max_bytes
            ));
        }
        if self.capped.get() && total > self.max_bytes.saturating_add(reserve) {
            return;
        }
        self.written.set(total);
        match delivery {
            Delivery::Now => self.sink.write(&line),
            Delivery::Soon => self.sink.write_soon(&line),
        }
    }

    /// The session's link (ApplicationStorage requests go through it).
    pub(crate) fn link(&self) -> &Rc<dyn SessionLink> {
        &self.sink
    }
}

/// How a line goes to the session's link.
#[derive(Clone, Copy)]
enum Delivery {
    /// [`SessionLink::write`]: out at once.
    Now,
    /// [`SessionLink::write_soon`]: may wait for the next reply, in order.
    Soon,
}

/// What starts the text of the runtime's own lines.
const SYSTEM_TAG: &str = "[voxrun] ";

/// Length of a [`line_time`].
const TIME_LEN: usize = "YYYY-MM-DD HH:mm:ss.mmm".len();

/// Unix milliseconds as a log line's time, `YYYY-MM-DD HH:mm:ss.mmm` (UTC).
pub fn line_time(unix_ms: i64) -> String {
    let mut s = String::with_capacity(TIME_LEN);
    line_time_into(unix_ms, &mut s);
    s
}

/// [`line_time`], appended to `out`. Written digit by digit: this runs for every log line,
/// and `format!` cost more than the rest of the line.
pub(crate) fn line_time_into(unix_ms: i64, out: &mut String) {
    use chrono::{Datelike, Timelike};
    let Some(t) = chrono::DateTime::from_timestamp_millis(unix_ms) else {
        out.push_str("0000-00-00 00:00:00.000");
        return;
    };
    let year = u32::try_from(t.year()).unwrap_or(0);
    push_digits(out, year, 4);
    out.push('-');
    push_digits(out, t.month(), 2);
    out.push('-');
    push_digits(out, t.day(), 2);
    out.push(' ');
    push_digits(out, t.hour(), 2);
    out.push(':');
    push_digits(out, t.minute(), 2);
    out.push(':');
    push_digits(out, t.second(), 2);
    out.push('.');
    push_digits(out, t.timestamp_subsec_millis().min(999), 3);
}

/// The last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for i in (0..width).rev() {
        let digit = (n / 10u32.pow(i)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// The first `max` characters of `s`.
pub(crate) fn cut_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Hides a session's control secret in the request paths it logs and records (`***`).
/// The searcher is built once a session, not once a request.
pub(crate) struct SecretMask(Option<memchr::memmem::Finder<'static>>);

impl SecretMask {
    pub(crate) fn new(secret: Option<&str>) -> Self {
        SecretMask(
            secret
                .filter(|s| !s.is_empty())
                .map(|s| memchr::memmem::Finder::new(s).into_owned()),
        )
    }

    /// `path` with every occurrence of the secret replaced by `***`.
    pub(crate) fn apply(&self, path: &str) -> String {
        let Some(finder) = &self.0 else {
            return path.to_string();
        };
        let mut out = Vec::with_capacity(path.len());
        let mut rest = path.as_bytes();
        while let Some(at) = finder.find(rest) {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(b"***");
            rest = &rest[at + finder.needle().len()..];
        }
        out.extend_from_slice(rest);
        // A match of a whole UTF-8 secret starts and ends on character boundaries.
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_masked_wherever_it_appears() {
        let mask = SecretMask::new(Some("s3cr\u{e9}t"));
        assert_eq!(
            mask.apply("/x/s3cr\u{e9}t/y?k=s3cr\u{e9}t&z=\u{e9}"),
            "/x/***/y?k=***&z=\u{e9}"
        );
        assert_eq!(mask.apply("/no/secret/here"), "/no/secret/here");
        assert_eq!(SecretMask::new(Some("")).apply("/a"), "/a");
        assert_eq!(SecretMask::new(None).apply("/a"), "/a");
    }

    #[derive(Default)]
    struct Lines(std::cell::RefCell<Vec<String>>);

    impl SessionLink for Lines {
        fn write(&self, line: &str) {
            self.0.borrow_mut().push(line.to_string());
        }
    }

    #[test]
    fn a_full_log_still_takes_the_ending_lines_even_the_one_that_fills_it() {
        let lines = Rc::new(Lines::default());
        let clock = Rc::new(SessionClock::new(super::super::ClockSource::Manual {
            start_ms: 0,
        }));
        let log = SessionLog::new(lines.clone(), clock, 100);
        log.write("a".repeat(60).as_str());
        // This one would pass the limit: the notice goes out, and the line with it.
        log.ending("Session error in http: a limit");
        log.write("dropped");
        log.system("dropped too");
        log.ending("Session ended: JS session error");
        let got = lines.0.borrow();
        let texts: Vec<&str> = got.iter().map(|l| &l[24..]).collect();
        assert_eq!(
            texts,
            [
                "a".repeat(60).as_str(),
                "[voxrun] log limit of 100 bytes reached; further lines are dropped",
                "[voxrun] Session error in http: a limit",
                "[voxrun] Session ended: JS session error",
            ]
        );
    }

    #[test]
    fn line_times_have_milliseconds_and_zero_padding() {
        assert_eq!(line_time(0), "1970-01-01 00:00:00.000");
        assert_eq!(line_time(1_704_164_645_007), "2024-01-02 03:04:05.007");
        assert_eq!(line_time(i64::MAX), "0000-00-00 00:00:00.000");
    }
}
