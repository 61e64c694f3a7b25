//! `voxrun test` (docs/testing.md): finds `*.test.js` files, runs each in a child process
//! (`--in-process`, several at once), prints one line per test and a summary, writes JUnit
//! XML, and with `--watch` runs again whenever a file changes.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::TestArgs;
use crate::files::{self, Snapshot};
use crate::runtime::{TestEvent, TestResult};

/// A test file's process may use this much address space.
const FILE_MEMORY_MAX: u64 = 2 * 1024 * 1024 * 1024;

/// What one test file gave.
struct FileReport {
    path: PathBuf,
    events: Vec<TestEvent>,
    real: Duration,
}

pub(super) fn test(args: TestArgs) -> i32 {
    if let Some(file) = &args.in_process {
        return in_process(file, args.filter.as_deref());
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if !args.watch {
        return run_once(&args, &paths);
    }
    let mut seen = Snapshot::take(&paths);
    loop {
        run_once(&args, &paths);
        println!("watching for changes (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
        loop {
            std::thread::sleep(files::POLL);
            let now = Snapshot::take(&paths);
            if now != seen {
                seen = now;
                break;
            }
        }
        println!();
    }
}

/// The child: runs one file and prints each event as a JSON line.
fn in_process(file: &Path, filter: Option<&str>) -> i32 {
    let mut failed = false;
    crate::runtime::run_test_file(file, filter, &mut |event| {
        failed |= match &event {
            TestEvent::Test(t) => !t.passed,
            TestEvent::FileError { .. } => true,
            TestEvent::Begin { .. } => false,
        };
        if let Ok(line) = serde_json::to_string(&event) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    });
    i32::from(failed)
}

fn run_once(args: &TestArgs, paths: &[PathBuf]) -> i32 {
    let files = match find_test_files(paths) {
        Ok(f) if f.is_empty() => {
            eprintln!(
                "voxrun: no test files (*.test.js) under {}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return 1;
        }
        Ok(f) => f,
        Err(msg) => {
            eprintln!("voxrun: {msg}");
            return 1;
        }
    };
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(2, |n| n.get()),
        |n| n as usize,
    );
    let timeout = Duration::from_secs(args.timeout);
    let reports = run_files(&files, jobs.max(1), timeout, args.filter.as_deref());
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    for r in &reports {
        for e in &r.events {
            match e {
                TestEvent::Test(t) if t.passed => passed += 1,
                TestEvent::Test(_) => failed += 1,
                TestEvent::FileError { .. } => broken += 1,
                TestEvent::Begin { .. } => {}
            }
        }
    }
    let mut summary = format!("{passed} passed, {failed} failed");
    if broken > 0 {
        let files = if broken == 1 { "file" } else { "files" };
        summary.push_str(&format!(", {broken} test {files} could not run"));
    }
    println!("{summary}");
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, junit(&reports)) {
            eprintln!("voxrun: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    i32::from(failed > 0 || broken > 0)
}

/// `*.test.js` under each path (a file is taken as it is), sorted, each once.
fn find_test_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_file() {
            out.push(p.clone());
        } else {
            files::walk(p, &mut |f| {
                if f.to_string_lossy().ends_with(".test.js") {
                    out.push(f.to_path_buf());
                }
            })
            .map_err(|e| format!("{}: {e}", p.display()))?;
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Runs the files, `jobs` at a time, and prints each file's lines in the files' order as
/// soon as it and every file before it are done.
fn run_files(
    files: &[PathBuf],
    jobs: usize,
    timeout: Duration,
    filter: Option<&str>,
) -> Vec<FileReport> {
    let mut reports: Vec<Option<FileReport>> = files.iter().map(|_| None).collect();
    let mut running: Vec<(usize, Running)> = Vec::new();
    let mut next = 0;
    let mut printed = 0;
    while printed < files.len() {
        while running.len() < jobs && next < files.len() {
            running.push((next, Running::spawn(&files[next], filter)));
            next += 1;
        }
        let mut i = 0;
        while i < running.len() {
            if let Some(report) = running[i].1.poll(timeout) {
                let (index, _) = running.swap_remove(i);
                reports[index] = Some(report);
            } else {
                i += 1;
            }
        }
        while printed < files.len() {
            match &reports[printed] {
                Some(r) => print_file(r),
                None => break,
            }
            printed += 1;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    reports.into_iter().flatten().collect()
}

/// One test file's child process; its stdout is read by a thread.
struct Running {
    path: PathBuf,
    child: Result<Child, String>,
    lines: Option<std::thread::JoinHandle<Vec<String>>>,
    started: Instant,
}

impl Running {
    fn spawn(path: &Path, filter: Option<&str>) -> Running {
        use std::os::unix::process::CommandExt;
        let started = Instant::now();
        let exe = match std::env::current_exe() {
            Ok(e) => e,
            Err(e) => {
                return Running {
                    path: path.to_path_buf(),
                    child: Err(format!("cannot find the voxrun binary: {e}")),
                    lines: None,
                    started,
                }
            }
        };
        let mut cmd = Command::new(exe);
        cmd.arg("test").arg("--in-process").arg(path);
        if let Some(f) = filter {
            cmd.arg("--filter").arg(f);
        }
        cmd.stdout(Stdio::piped()).stdin(Stdio::null());
        // SAFETY: confine_child only calls async-signal-safe functions.
        unsafe {
            cmd.pre_exec(|| crate::worker::confine_child(FILE_MEMORY_MAX));
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start a test process: {e}"));
        let lines = child
            .as_mut()
            .ok()
            .and_then(|c| c.stdout.take())
            .map(|out| {
                std::thread::spawn(move || {
                    BufReader::new(out).lines().map_while(Result::ok).collect()
                })
            });
        Running {
            path: path.to_path_buf(),
            child,
            lines,
            started,
        }
    }

    /// The report once the child is done (or was killed for taking too long).
    fn poll(&mut self, timeout: Duration) -> Option<FileReport> {
        let mut crash = None;
        match &mut self.child {
            Err(msg) => crash = Some(msg.clone()),
            Ok(child) => match child.try_wait() {
                Ok(Some(status)) => {
                    if status.code().is_none() {
                        crash = Some(format!(
                            "its process {}",
                            crate::worker::describe_exit(status)
                        ));
                    }
                }
                Ok(None) if self.started.elapsed() < timeout => return None,
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    crash = Some(format!(
                        "it did not finish within {} s (--timeout); its process was killed",
                        timeout.as_secs()
                    ));
                }
                Err(e) => crash = Some(format!("cannot wait for its process: {e}")),
            },
        }
        let lines = self
            .lines
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let all: Vec<TestEvent> = lines
            .iter()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        // The test that was running when the process died or was killed.
        let mut running = None;
        let mut events = Vec::with_capacity(all.len());
        for e in all {
            match e {
                TestEvent::Begin { name } => running = Some(name),
                other => {
                    running = None;
                    events.push(other);
                }
            }
        }
        if let Some(mut message) = crash {
            if let Some(name) = running {
                message.push_str(&format!(" (while running the test {name:?})"));
            }
            events.push(TestEvent::FileError { message });
        }
        Some(FileReport {
            path: self.path.clone(),
            events,
            real: self.started.elapsed(),
        })
    }
}

fn print_file(r: &FileReport) {
    let file = r.path.display();
    let mut out = std::io::stdout().lock();
    if r.events.is_empty() {
        let _ = writeln!(out, "PASS  {file} (no tests)");
    }
    for e in &r.events {
        let _ = match e {
            TestEvent::Begin { .. } => Ok(()),
            TestEvent::Test(t) => {
                let mark = if t.passed { "PASS" } else { "FAIL" };
                let line = writeln!(out, "{mark}  {file} › {} ({})", t.name, took(t));
                if !t.passed {
                    for l in t.message.lines() {
                        let _ = writeln!(out, "      {l}");
                    }
                }
                line
            }
            TestEvent::FileError { message } => {
                let mut lines = message.lines();
                let first = lines.next().unwrap_or("");
                let line = writeln!(out, "ERROR {file}: {first}");
                for l in lines {
                    let _ = writeln!(out, "      {l}");
                }
                line
            }
        };
    }
    let _ = out.flush();
}

fn took(t: &TestResult) -> String {
    format!(
        "{} ms, {:.1} s virtual",
        t.real_ms,
        t.virtual_ms as f64 / 1000.0
    )
}

/// JUnit XML: one `testsuite` per file, one `testcase` per test; a file that could not
/// run is one `testcase` with an `error`.
fn junit(reports: &[FileReport]) -> String {
    let mut tests = 0;
    let mut failures = 0;
    let mut errors = 0;
    let mut suites = String::new();
    for r in reports {
        let name = xml(&r.path.display().to_string());
        let events = r
            .events
            .iter()
            .filter(|e| !matches!(e, TestEvent::Begin { .. }));
        let (mut t, mut f, mut e) = (0, 0, 0);
        let mut cases = String::new();
        for ev in events {
            t += 1;
            match ev {
                TestEvent::Begin { .. } => {}
                TestEvent::Test(tr) => {
                    let time = tr.real_ms as f64 / 1000.0;
                    cases.push_str(&format!(
                        "    <testcase classname=\"{name}\" name=\"{}\" time=\"{time:.3}\"",
                        xml(&tr.name)
                    ));
                    if tr.passed {
                        cases.push_str("/>\n");
                    } else {
                        f += 1;
                        let first = tr.message.lines().next().unwrap_or("failed");
                        cases.push_str(&format!(
                            ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                            xml(first),
                            xml(&tr.message)
                        ));
                    }
                }
                TestEvent::FileError { message } => {
                    e += 1;
                    let first = message.lines().next().unwrap_or("error");
                    cases.push_str(&format!(
                        "    <testcase classname=\"{name}\" name=\"(file)\" time=\"0\">\n      <error message=\"{}\">{}</error>\n    </testcase>\n",
                        xml(first),
                        xml(message)
                    ));
                }
            }
        }
        tests += t;
        failures += f;
        errors += e;
        suites.push_str(&format!(
            "  <testsuite name=\"{name}\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" time=\"{:.3}\">\n{cases}  </testsuite>\n",
            r.real.as_secs_f64()
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"voxrun test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// Text for an XML attribute or element; characters XML 1.0 cannot hold become `?`.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;?");
    }
}
