//! The binary's own answers: a bare `voxrun` prints the help, usage errors print clap's
//! whole message (not its first line only), `--help` and `--version` succeed.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn voxrun(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_bare_voxrun_prints_the_help_with_every_command_and_exits_2() {
    let (code, out, err) = voxrun(&[]);
    assert_eq!(code, 2, "stdout {out:?}");
    for command in [
        "serve",
        "run",
        "test",
        "keys",
        "sessions",
        "logs",
        "transcript",
    ] {
        assert!(
            err.lines().any(|l| l.trim_start().starts_with(command)),
            "{command} missing from the help:\n{err}"
        );
    }
    assert!(err.contains("Usage: voxrun <COMMAND>"), "{err}");
    assert!(
        !err.contains("worker"),
        "the hidden command is listed:\n{err}"
    );
}

#[test]
fn help_and_version_succeed_on_stdout() {
    let (code, out, _) = voxrun(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("sessions"), "{out}");
    let (code, out, _) = voxrun(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("voxrun "), "{out}");
}

#[test]
fn usage_errors_print_the_whole_message_and_exit_2() {
    let (code, _, err) = voxrun(&["run"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not provided:"), "{err}");
    assert!(
        err.contains("<FILES>..."),
        "what is missing is not named:\n{err}"
    );
    assert!(err.contains("Usage: voxrun run"), "{err}");

    let (code, _, err) = voxrun(&["logs", "seven"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid value 'seven' for '<ID>'"), "{err}");
    assert!(err.contains("invalid digit found in string"), "{err}");
    assert!(err.contains("try '--help'"), "{err}");

    let (code, _, err) = voxrun(&["serve", "--no-such-flag"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--no-such-flag"), "{err}");
    assert!(err.contains("Usage: voxrun serve"), "{err}");

    // A supervisor with no thread would never answer.
    let (code, _, err) = voxrun(&["serve", "--io-threads", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("'--io-threads <IO_THREADS>'"), "{err}");
    assert!(err.contains("not in 1..=256"), "{err}");

    let (code, _, err) = voxrun(&["frobnicate"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unrecognized subcommand 'frobnicate'"),
        "{err}"
    );
}
