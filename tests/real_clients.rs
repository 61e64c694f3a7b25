//! The official, unmodified Voximplant API clients (PyPI `voximplant-apiclient`, npm
//! `@voximplant/apiclient-nodejs`) against a real `voxrun serve` over HTTPS.
//!
//! The test setup installs both clients itself, once, under `<target>/clients/` (a Python venv
//! and an npm prefix), guarded by a file lock so parallel test processes do not collide, and
//! skips the install when a marker file says the pinned version is already there. Missing
//! `python3`/`node`/`npm` or a failed install fails the tests with what was run and what it
//! printed. The scripts in `tests/clients/` drive every applications/rules/scenarios method and
//! print each failed check with the call that produced it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::ServerProc;

/// The pinned Python client (the latest 2.12.x on PyPI).
const PY_CLIENT: &str = "voximplant-apiclient==2.12.0";
/// The pinned Node client.
const NODE_CLIENT: &str = "@voximplant/apiclient-nodejs@4.11.0";
/// A script that runs longer than this is killed and the test fails (a hung server, since the
/// clients themselves never time out). Not a performance assertion.
const SCRIPT_DEADLINE: Duration = Duration::from_secs(300);

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<target>/clients`: CARGO_TARGET_DIR when set (relative to the package), else `./target`.
fn clients_root() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                manifest_dir().join(d)
            }
        }
        _ => manifest_dir().join("target"),
    };
    target.join("clients")
}

fn script(name: &str) -> PathBuf {
    manifest_dir().join("tests").join("clients").join(name)
}

/// An exclusive `flock` on a file, released on drop (and by the kernel if the process dies).
struct FileLock(File);

impl FileLock {
    fn acquire(path: &Path) -> Result<FileLock, String> {
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open lock file {}: {e}", path.display()))?;
        loop {
            // SAFETY: flock on a file descriptor we own.
            let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 {
                return Ok(FileLock(f));
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(format!("cannot lock {}: {err}", path.display()));
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // SAFETY: unlocking the descriptor we locked.
        unsafe {
            libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

/// Run one setup step; on failure say what was run and everything it printed.
fn setup_step(what: &str, cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: could not run {shown}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "{what}: {shown} failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            out.status
        ));
    }
    Ok(stdout)
}

fn hint(e: String, tool: &str) -> String {
    format!(
        "{e}\n\nThe real-client tests need {tool} and access to the package registry \
         (.ci/run installs what is missing on a fresh machine)."
    )
}

/// The venv python with the pinned Python client, installed on first use.
fn python() -> &'static Path {
    static PY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PY.get_or_init(|| install_python().map_err(|e| hint(e, "python3 with the venv module"))) {
        Ok(p) => p,
        Err(e) => panic!("installing the official Python client failed:\n{e}"),
    }
}

fn install_python() -> Result<PathBuf, String> {
    let root = clients_root();
    fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let _lock = FileLock::acquire(&root.join("python.lock"))?;
    let venv = root.join("venv");
    let py = venv.join("bin").join("python");
    let marker = venv.join(".voxrun-installed");
    if py.exists() && fs::read_to_string(&marker).ok().as_deref() == Some(PY_CLIENT) {
        return Ok(py);
    }
    if venv.exists() {
        fs::remove_dir_all(&venv).map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
    }
    setup_step(
        "creating the venv",
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
    )?;
    setup_step(
        "installing the Python client",
        Command::new(&py).args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            PY_CLIENT,
        ]),
    )?;
    setup_step(
        "importing the installed Python client",
        Command::new(&py).args([
            "-c",
            "import voximplant.apiclient.client as c; c.VoximplantAPI",
        ]),
    )?;
    fs::write(&marker, PY_CLIENT).map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(py)
}

/// The `node_modules` directory holding the pinned Node client, installed on first use.
fn node_modules() -> &'static Path {
    static NODE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match NODE.get_or_init(|| install_node().map_err(|e| hint(e, "node and npm"))) {
        Ok(p) => p,
        Err(e) => panic!("installing the official Node client failed:\n{e}"),
    }
}

fn install_node() -> Result<PathBuf, String> {
    let root = clients_root();
    fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let _lock = FileLock::acquire(&root.join("node.lock"))?;
    let prefix = root.join("node");
    let modules = prefix.join("node_modules");
    let marker = prefix.join(".voxrun-installed");
    let installed = modules
        .join("@voximplant")
        .join("apiclient-nodejs")
        .join("package.json");
    // `node` itself must run in any case: the scripts need it.
    setup_step("running node", Command::new("node").arg("--version"))?;
    if installed.exists() && fs::read_to_string(&marker).ok().as_deref() == Some(NODE_CLIENT) {
        return Ok(modules);
    }
    if prefix.exists() {
        fs::remove_dir_all(&prefix)
            .map_err(|e| format!("cannot remove {}: {e}", prefix.display()))?;
    }
    fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    setup_step(
        "installing the Node client",
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args([
                "--no-audit",
                "--no-fund",
                "--no-update-notifier",
                NODE_CLIENT,
            ]),
    )?;
    setup_step(
        "loading the installed Node client",
        Command::new("node")
            .args(["-e", "require('@voximplant/apiclient-nodejs').default"])
            .env("NODE_PATH", &modules),
    )?;
    fs::write(&marker, NODE_CLIENT)
        .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(modules)
}

/// The scripts talk to 127.0.0.1 directly: no proxies, no ambient credentials.
fn isolate(cmd: &mut Command, server: &ServerProc) {
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "VOXIMPLANT_CREDENTIALS",
        "CURL_CA_BUNDLE",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ] {
        cmd.env_remove(v);
    }
    cmd.env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env("REQUESTS_CA_BUNDLE", &server.cert)
        .env("NODE_EXTRA_CA_CERTS", &server.cert)
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1");
}

/// Run a client script to completion (bounded by SCRIPT_DEADLINE); panic with its whole
/// output unless it exits 0.
fn run_script(what: &str, mut cmd: Command) -> String {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: could not run {shown}: {e}"));
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let (status, timed_out) = loop {
        if let Some(st) = child.try_wait().expect("wait for script") {
            break (Some(st), false);
        }
        if started.elapsed() > SCRIPT_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    let report = format!("--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    if timed_out {
        panic!(
            "{what}: {shown} did not finish within {SCRIPT_DEADLINE:?} (a request hung?)\n{report}"
        );
    }
    let status = status.unwrap();
    assert!(
        status.success(),
        "{what}: {shown} exited with {status}\n{report}"
    );
    stdout
}

fn python_script(server: &ServerProc, support: Option<&Path>) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg(script("python_methods.py"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials);
    if let Some(support) = support {
        cmd.arg("--support-credentials").arg(support);
    }
    isolate(&mut cmd, server);
    cmd
}

fn node_script(server: &ServerProc, support: Option<&Path>) -> Command {
    let modules = node_modules();
    let mut cmd = Command::new("node");
    cmd.arg(script("node_methods.js"))
        .arg("--endpoint")
        .arg(server.endpoint())
        .arg("--credentials")
        .arg(&server.credentials);
    if let Some(support) = support {
        cmd.arg("--support-credentials").arg(support);
    }
    isolate(&mut cmd, server);
    cmd.env("NODE_PATH", modules);
    cmd
}

/// A key file with the Support role, made by `voxrun keys create` while the server runs.
fn support_key(server: &ServerProc) -> PathBuf {
    let out = server
        .data_dir
        .parent()
        .unwrap_or(&server.data_dir)
        .join("support-key.json");
    let res = Command::new(env!("CARGO_BIN_EXE_voxrun"))
        .args(["keys", "create", "--role", "Support", "--out"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&server.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run voxrun keys create");
    assert!(
        res.status.success(),
        "voxrun keys create --role Support failed ({}): {}{}",
        res.status,
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
    let kf: serde_json::Value =
        serde_json::from_slice(&fs::read(&out).expect("read the Support key file"))
            .expect("key file JSON");
    for field in ["account_email", "account_id", "key_id", "private_key"] {
        assert!(
            !kf[field].is_null(),
            "the Support key file lacks {field}: {kf}"
        );
    }
    assert_ne!(
        kf["key_id"],
        server.key_file()["key_id"],
        "a new key must get a new key id"
    );
    out
}

#[test]
fn python_client_drives_every_method() {
    python();
    let server = ServerProc::start();
    let out = run_script("python_methods.py", python_script(&server, None));
    assert!(
        out.contains("8 of 8 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn node_client_drives_every_method() {
    node_modules();
    let server = ServerProc::start();
    let out = run_script("node_methods.js", node_script(&server, None));
    assert!(
        out.contains("8 of 8 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn python_client_with_a_support_key_reads_but_cannot_change() {
    python();
    let server = ServerProc::start();
    let key = support_key(&server);
    let out = run_script(
        "python_methods.py (Support key)",
        python_script(&server, Some(&key)),
    );
    assert!(
        out.contains("1 of 1 sections passed"),
        "unexpected output:\n{out}"
    );
}

#[test]
fn node_client_with_a_support_key_reads_but_cannot_change() {
    node_modules();
    let server = ServerProc::start();
    let key = support_key(&server);
    let out = run_script(
        "node_methods.js (Support key)",
        node_script(&server, Some(&key)),
    );
    assert!(
        out.contains("1 of 1 sections passed"),
        "unexpected output:\n{out}"
    );
}
