//! `voxrun run`: scenario files as one session, in a child process.

use std::path::PathBuf;

use super::{ClockArg, RunArgs};

/// `voxrun run`: the log goes to stdout, the exit code tells the outcome. The session runs
/// in a child process (docs/isolation.md), so that a crash in Boa (a native stack overflow, a refused
/// allocation) is reported instead of taking the command down without a word, and so that
/// `--timeout` holds even while the script is stuck inside a native builtin.
pub(super) fn run_files(args: RunArgs) -> i32 {
    if args.in_process {
        return run_files_here(args);
    }
    match run_files_in_child(args.timeout.map(std::time::Duration::from_secs)) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("voxrun: {msg}");
            1
        }
    }
}

/// The session's child process may use this much address space.
const RUN_MEMORY_MAX: u64 = 2 * 1024 * 1024 * 1024;
/// How long past `--timeout` the child may take to end the session itself before it is
/// killed (its Terminating handler gets this long).
const RUN_TIMEOUT_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

fn run_files_in_child(timeout: Option<std::time::Duration>) -> Result<i32, String> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the voxrun binary: {e}"))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(std::env::args_os().skip(1)).arg("--in-process");
    // SAFETY: confine_child only calls async-signal-safe functions.
    unsafe {
        cmd.pre_exec(|| crate::worker::confine_child(RUN_MEMORY_MAX));
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start the session process: {e}"))?;
    let deadline = timeout.map(|t| std::time::Instant::now() + t + RUN_TIMEOUT_GRACE);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("cannot wait for the session process: {e}")),
        }
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            let _ = child.kill();
            let _ = child.wait();
            eprintln!(
                "voxrun: timeout: the session did not end within --timeout (the script did not return control, and its process was killed)"
            );
            return Ok(2);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Ok(match status.code() {
        Some(code) => code,
        None => {
            eprintln!(
                "voxrun: the session crashed: its process {}",
                crate::worker::describe_exit(status)
            );
            1
        }
    })
}

fn run_files_here(args: RunArgs) -> i32 {
    let calls = match run_calls(&args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("voxrun: {msg}");
            return 2;
        }
    };
    let virtual_clock = match args.clock {
        Some(c) => c == ClockArg::Virtual,
        None => args.call_in.is_some() || args.peers.is_some(),
    };
    let mut limits = crate::runtime::Limits::default();
    if !args.net_allow.is_empty() {
        limits.net_allow = Some(args.net_allow.clone());
    }
    // As a server's watchdog does for its workers (docs/isolation.md); a shorter --timeout
    // ends such a run first, as a timeout.
    let stuck_after = Some(limits.per_event + crate::app::WATCHDOG_SLACK).filter(|s| {
        args.timeout
            .is_none_or(|t| std::time::Duration::from_secs(t) > *s)
    });
    let opts = crate::runtime::RunOptions {
        stuck_after,
        files: args.files,
        custom_data: args.custom_data,
        requests: args.requests,
        timeout: args.timeout.map(std::time::Duration::from_secs),
        limits,
        calls,
        virtual_clock,
        transcript: args.transcript.map(|t| {
            if t == "-" {
                crate::runtime::TranscriptOut::Stdout
            } else {
                crate::runtime::TranscriptOut::File(PathBuf::from(t))
            }
        }),
    };
    let report = crate::runtime::run_files_blocking(opts);
    if report.exit_code != 0 {
        eprintln!("voxrun: {}", report.message);
    }
    report.exit_code
}

/// The calls of a `voxrun run`: the peer files, validated before anything runs.
fn run_calls(args: &RunArgs) -> Result<crate::runtime::CallSetup, String> {
    use crate::telephony::peer::{PeerScript, PeerTable};
    let read = |flag: &str, path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| format!("{flag} {}: {e}", path.display()))
    };
    let mut setup = crate::runtime::CallSetup::default();
    if let Some(path) = &args.peers {
        let text = read("--peers", path)?;
        setup.peers =
            PeerTable::parse_str(&text).map_err(|e| format!("--peers {}: {e}", path.display()))?;
    }
    let caller = match &args.caller {
        Some(path) => {
            let text = read("--caller", path)?;
            PeerScript::parse_str(&text).map_err(|e| format!("--caller {}: {e}", path.display()))?
        }
        None => PeerScript::default(),
    };
    if let Some(spec) = &args.call_in {
        let (to, from) = match spec.split_once(',') {
            Some((to, from)) => (to.trim(), from.trim()),
            None => (spec.trim(), crate::telephony::DEFAULT_CALLER),
        };
        if to.is_empty() || from.is_empty() {
            return Err(format!("--call-in {spec:?}: expected TO[,FROM]"));
        }
        setup.inbound = Some(crate::telephony::Inbound {
            to: to.to_string(),
            from: from.to_string(),
            caller,
            ..Default::default()
        });
    } else if args.caller.is_some() {
        return Err("--caller needs --call-in".to_string());
    }
    Ok(setup)
}
