//! Load generator: drives the real listeners of an in-process voxrun server over loopback
//! HTTP/1.1 keep-alive, beside a hyper hello-world baseline measured in the same run.
//!
//! `cargo run --release --example load -- [SECONDS] [CONNECTIONS] [IDLE_SESSIONS] [starts|external]`
//! Prints requests/s and latency percentiles for: the baseline, control-URL round trips into
//! one live session, the same spread over many live sessions, session starts
//! (StartScenarios with a 50-line scenario, with a JWT as the official clients send it and
//! with the legacy API key), and the RSS cost of idle sessions. `starts`: the baseline and
//! the starts only. `external`: the hello-world and `voxrun serve` run as processes of
//! their own instead of in this one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let secs: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let conns: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(32);
    let idle: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000);
    // `starts`: only the baseline and the session starts (for profiling the start path).
    // `external`: the hello-world and `voxrun serve` each run as a process of their own, as
    // a harness outside voxrun measures them; the load generator keeps its 2 threads.
    let only_starts = args.get(4).map(String::as_str) == Some("starts");
    let external = args.get(4).map(String::as_str) == Some("external");
    if args.get(1).map(String::as_str) == Some(HELLO_PROCESS) {
        let addr = hello_server().await;
        println!("{addr}");
        std::future::pending::<()>().await;
    }
    let dur = Duration::from_secs(secs);

    let hello = if external {
        hello_process()
    } else {
        hello_server().await
    };
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("data");
    let js_workers_for_idle = idle / 1000 + 1;
    let target = if external {
        Target::external(&data_dir, js_workers_for_idle).await
    } else {
        Target::in_process(data_dir, js_workers_for_idle).await
    };
    let (api, account, credentials) = (target.api, target.account, target.credentials.clone());
    let auth = format!("account_id={account}&api_key={}", target.api_key);

    // One application, a rule with a trivial handler, a rule with a 50-line scenario.
    let call = |m: &str, body: String| post_form(api, format!("/platform_api/{m}"), body);
    call("AddApplication", format!("{auth}&application_name=load")).await;
    let trivial = "VoxEngine.addEventListener(AppEvents.HttpRequest, e => 'ok');";
    call(
        "AddScenario",
        format!(
            "{auth}&scenario_name=trivial&application_name=load&scenario_script={}",
            enc(trivial)
        ),
    )
    .await;
    call(
        "AddRule",
        format!(
            "{auth}&application_name=load&rule_name=trivial&rule_pattern=.*&scenario_name=trivial"
        ),
    )
    .await;
    call(
        "AddScenario",
        format!(
            "{auth}&scenario_name=fifty&application_name=load&scenario_script={}",
            enc(&support::fifty_lines("VoxEngine.terminate();"))
        ),
    )
    .await;
    call(
        "AddRule",
        format!("{auth}&application_name=load&rule_name=fifty&rule_pattern=.*&scenario_name=fifty"),
    )
    .await;

    if external {
        println!("# {secs} s per run, {conns} connections; client (2 threads), hello-world and voxrun serve in 3 processes");
    } else {
        println!(
            "# {secs} s per run, {conns} connections, 2 worker threads shared by client and server"
        );
    }
    let base = run(fixed(hello), conns, dur, None, |_, _| {
        ("GET".into(), "/".to_string(), String::new())
    })
    .await;
    report("baseline hyper hello-world", &base, None);

    if !only_starts {
        sessions_phase(api, &auth, conns, dur, idle, &base, target.server_pid).await;
    }
    // As the official clients send it: a JWT signed with the account's service key, with
    // the claims the Python client puts in each request's token ([`Signer`]).
    let jwt = Arc::new(Signer::new(&credentials, account));
    for (label, bearer, body) in [
        ("JWT", Some(jwt), String::new()),
        ("legacy API key", None, format!("{auth}&")),
    ] {
        let start_body = format!("{body}rule_name=fifty&application_name=load");
        let starts = run(fixed(api), conns, dur, bearer, move |_, _| {
            (
                "POST".into(),
                "/platform_api/StartScenarios".to_string(),
                start_body.clone(),
            )
        })
        .await;
        report(
            &format!("StartScenarios, {label} (50-line scenario, response after Started)"),
            &starts,
            None,
        );
    }
    kill_children();
}

/// Owner tokens for the service-account key file, made as the official Python client
/// (`voximplant-apiclient`, `build_auth_header`) makes one for every request: claims
/// `{iss, iat: now - 5, exp: now + 24}` in whole seconds, RS256, `kid` header. RS256
/// signatures are deterministic, so every request within one second carries the same
/// token, whichever client process signs it; the signer keeps that second's token
/// instead of paying the client's RSA signing per request.
struct Signer {
    key: jsonwebtoken::EncodingKey,
    header: jsonwebtoken::Header,
    account: u64,
    current: std::sync::Mutex<(u64, String)>,
}

impl Signer {
    fn new(path: &std::path::Path, account: u64) -> Self {
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = file["key_id"].as_str().map(str::to_string);
        let pem = file["private_key"].as_str().unwrap().as_bytes();
        Signer {
            key: jsonwebtoken::EncodingKey::from_rsa_pem(pem).unwrap(),
            header,
            account,
            current: std::sync::Mutex::new((0, String::new())),
        }
    }

    /// The `Authorization` header value for a request sent now.
    fn authorization(&self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let mut current = self.current.lock().unwrap();
        if current.0 != now {
            let claims = serde_json::json!({"iss": self.account.to_string(), "iat": now - 5, "exp": now + 24});
            *current = (
                now,
                jsonwebtoken::encode(&self.header, &claims, &self.key).unwrap(),
            );
        }
        format!("Bearer {}", current.1)
    }
}

/// Control-URL round trips into one and then many live sessions, and their memory.
async fn sessions_phase(
    api: SocketAddr,
    auth: &str,
    conns: usize,
    dur: Duration,
    idle: usize,
    base: &Stats,
    server_pid: Option<u32>,
) {
    let one = start(api, auth, "trivial").await;
    let one_path = path_of(&one);
    let cpu = Cpu::now(server_pid);
    let ctl = run(fixed(control_addr(&one)), conns, dur, None, move |_, _| {
        ("GET".into(), one_path.clone(), String::new())
    })
    .await;
    report("control URL, 1 live session", &ctl, Some(base));
    cpu.report_per_request(ctl.lat_us.len());

    let rss_before = rss_kib(server_pid);
    let mut urls = Vec::with_capacity(idle);
    let t = Instant::now();
    for _ in 0..idle {
        urls.push(start(api, auth, "trivial").await);
    }
    let started = t.elapsed();
    let rss_after = rss_kib(server_pid);
    println!(
        "{idle} idle sessions started sequentially in {:.2} s; RSS +{} KiB = {:.0} KiB per session",
        started.as_secs_f64(),
        rss_after.saturating_sub(rss_before),
        rss_after.saturating_sub(rss_before) as f64 / idle.max(1) as f64
    );
    if idle == 0 {
        return;
    }
    // Connection c talks to the control address of group c (one group per distinct
    // address; today every session has the supervisor's).
    let mut groups: Vec<(SocketAddr, Vec<String>)> = Vec::new();
    for u in &urls {
        let addr = control_addr(u);
        match groups.iter_mut().find(|(a, _)| *a == addr) {
            Some((_, paths)) => paths.push(path_of(u)),
            None => groups.push((addr, vec![path_of(u)])),
        }
    }
    let groups = Arc::new(groups);
    let g = groups.clone();
    let cpu = Cpu::now(server_pid);
    let many = run(
        move |c| g[c % g.len()].0,
        conns,
        dur,
        None,
        move |c, i| {
            let paths = &groups[c % groups.len()].1;
            ("GET".into(), paths[i % paths.len()].clone(), String::new())
        },
    )
    .await;
    report(
        &format!("control URL, spread over {idle} live sessions"),
        &many,
        Some(base),
    );
    cpu.report_per_request(many.lat_us.len());
}

struct Stats {
    lat_us: Vec<u64>,
    errors: usize,
    elapsed: Duration,
}

fn report(name: &str, s: &Stats, base: Option<&Stats>) {
    let mut l = s.lat_us.clone();
    l.sort_unstable();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let rps = l.len() as f64 / s.elapsed.as_secs_f64();
    let vs = base
        .map(|b| {
            format!(
                " ({:.0}% of baseline)",
                100.0 * rps / (b.lat_us.len() as f64 / b.elapsed.as_secs_f64())
            )
        })
        .unwrap_or_default();
    println!(
        "{name}: {rps:.0} req/s{vs}; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
        pct(0.5) as f64 / 1000.0,
        pct(0.99) as f64 / 1000.0,
        l.last().copied().unwrap_or(0) as f64 / 1000.0,
        s.errors
    );
}

/// Every connection to `addr`.
fn fixed(addr: SocketAddr) -> impl Fn(usize) -> SocketAddr {
    move |_| addr
}

/// `conns` keep-alive connections (connection `c` to `addr(c)`), each sending requests back
/// to back for `dur`; `make(c, i)` is request `i` of connection `c`.
/// `bearer`: signs the `Authorization: Bearer ...` of every request.
async fn run<A, F>(
    addr: A,
    conns: usize,
    dur: Duration,
    bearer: Option<Arc<Signer>>,
    make: F,
) -> Stats
where
    A: Fn(usize) -> SocketAddr,
    F: Fn(usize, usize) -> (String, String, String) + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..conns {
        let make = make.clone();
        let addr = addr(c);
        let bearer = bearer.clone();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut i = c;
            while t0.elapsed() < dur {
                let (method, path, body) = make(c, i);
                i += conns;
                let mut req = Request::builder()
                    .method(method.as_str())
                    .uri(path)
                    .header("host", "127.0.0.1")
                    .header("content-type", "application/x-www-form-urlencoded");
                if let Some(signer) = &bearer {
                    req = req.header("authorization", signer.authorization());
                }
                let req = req.body(Full::new(Bytes::from(body))).unwrap();
                let t = Instant::now();
                match send.send_request(req).await {
                    Ok(resp) => {
                        let ok = resp.status().is_success();
                        let body = resp
                            .into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        if ok && !body.starts_with(b"{\"error\"") {
                            lat.push(t.elapsed().as_micros() as u64);
                        } else {
                            errors += 1;
                        }
                    }
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
            (lat, errors)
        }));
    }
    let mut stats = Stats {
        lat_us: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for t in tasks {
        let (l, e) = t.await.unwrap();
        stats.lat_us.extend(l);
        stats.errors += e;
    }
    stats.elapsed = t0.elapsed();
    stats
}

async fn hello_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (s, _) = listener.accept().await.unwrap();
            let _ = s.set_nodelay(true);
            tokio::spawn(async move {
                let svc =
                    hyper::service::service_fn(|_req: Request<hyper::body::Incoming>| async {
                        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"ok"))))
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(s), svc)
                    .await;
            });
        }
    });
    addr
}

async fn post_form(addr: SocketAddr, path: String, body: String) -> serde_json::Value {
    post_form_with(addr, path, body, None).await
}

async fn post_form_with(
    addr: SocketAddr,
    path: String,
    body: String,
    authorization: Option<String>,
) -> serde_json::Value {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut req = Request::post(path)
        .header("host", "127.0.0.1")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    let req = req.body(Full::new(Bytes::from(body))).unwrap();
    let resp = send.send_request(req).await.unwrap();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert!(v.get("error").is_none(), "{v}");
    v
}

async fn start(api: SocketAddr, auth: &str, rule: &str) -> String {
    let v = post_form(
        api,
        "/platform_api/StartScenarios".into(),
        format!("{auth}&application_name=load&rule_name={rule}"),
    )
    .await;
    v["media_session_access_url"].as_str().unwrap().to_string()
}

fn path_of(url: &str) -> String {
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

fn control_addr(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// CPU time used so far by this process (load generator and supervisor) and by its
/// children (the worker processes), in clock ticks.
struct Cpu {
    own: u64,
    server: u64,
    /// The `voxrun serve` process, when it is not this one.
    server_pid: Option<u32>,
}

impl Cpu {
    /// In-process: this process (load generator and supervisor) and its children (the
    /// workers). External: this process (the load generator) and the server's processes.
    fn now(server_pid: Option<u32>) -> Cpu {
        let me = std::process::id();
        let server = match server_pid {
            None => children(me).into_iter().map(process_cpu_ticks).sum(),
            Some(pid) => {
                process_cpu_ticks(pid)
                    + children(pid)
                        .into_iter()
                        .map(process_cpu_ticks)
                        .sum::<u64>()
            }
        };
        Cpu {
            own: process_cpu_ticks(me),
            server,
            server_pid,
        }
    }

    /// Prints the CPU time per request since `self` (workers that died meanwhile are not
    /// counted; none do in these runs).
    fn report_per_request(&self, requests: usize) {
        let now = Cpu::now(self.server_pid);
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        let per = |ticks: u64| ticks as f64 / hz * 1e6 / requests.max(1) as f64;
        let (own, server) = match self.server_pid {
            None => ("load generator + supervisor", "workers"),
            Some(_) => ("load generator", "supervisor + workers"),
        };
        println!(
            "  CPU per request: {own} {:.1} µs, {server} {:.1} µs",
            per(now.own.saturating_sub(self.own)),
            per(now.server.saturating_sub(self.server))
        );
    }
}

/// utime + stime of process `pid`, in clock ticks.
fn process_cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // Fields after the command name (which may hold spaces): state is field 3, utime 14.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    num(11) + num(12)
}

/// The pids whose parent is `parent`.
fn children(parent: u32) -> Vec<u32> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
                continue;
            };
            let ppid = status
                .lines()
                .find(|l| l.starts_with("PPid:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u32>().ok());
            if ppid == Some(parent) {
                out.push(pid);
            }
        }
    }
    out
}

/// RSS of the supervisor (this process, or `server_pid`) plus its children (the worker
/// processes).
fn rss_kib(server_pid: Option<u32>) -> u64 {
    let server = server_pid.unwrap_or_else(std::process::id);
    let mut total = support::process_rss_kib(&format!("/proc/{server}/status"));
    for pid in children(server) {
        total += support::process_rss_kib(&format!("/proc/{pid}/status"));
    }
    total
}

/// `target/<profile>/voxrun`, beside this example's own directory.
fn voxrun_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("voxrun"))
        .unwrap();
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build --release` first (the workers are that binary)",
        bin.display()
    );
    bin
}

/// The first argument that makes this binary the hello-world process of `external` runs.
const HELLO_PROCESS: &str = "hello-process";

/// Starts this binary as a hello-world process (killed with this one) and returns its
/// address.
fn hello_process() -> SocketAddr {
    use std::io::BufRead;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .arg(HELLO_PROCESS)
        .stdout(std::process::Stdio::piped())
        .die_with_parent()
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    CHILDREN.lock().unwrap().push(child);
    line.trim().parse().unwrap()
}

/// Processes this run started, killed at its end.
static CHILDREN: std::sync::Mutex<Vec<std::process::Child>> = std::sync::Mutex::new(Vec::new());

fn kill_children() {
    for mut c in CHILDREN.lock().unwrap().drain(..) {
        let _ = c.kill();
        let _ = c.wait();
    }
}

/// The voxrun server under load: in this process, or a `voxrun serve` process.
struct Target {
    api: SocketAddr,
    account: u64,
    api_key: String,
    credentials: std::path::PathBuf,
    server_pid: Option<u32>,
    /// Keeps the in-process server running.
    _stop: Option<tokio::sync::watch::Sender<bool>>,
}

impl Target {
    async fn in_process(data_dir: std::path::PathBuf, js_workers_for_idle: usize) -> Target {
        let mut config = voxrun::config::ServeConfig::for_data_dir(data_dir);
        config.js_threads_max = 256;
        config.worker_exe = Some(voxrun_binary());
        config.max_concurrent_starts = 10_000;
        // Many idle sessions: enough workers that none passes its recycle RSS (1 GiB by
        // default, about 2,000 sessions), as an operator would set `--js-workers`.
        config.js_workers = config.js_workers.max(js_workers_for_idle);
        let server = voxrun::app::Server::bind(config).await.unwrap();
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let target = Target {
            api: server.api_addr,
            account: server.data.account.id,
            api_key: server.data.account.api_key.clone(),
            credentials: server.data.credentials.clone(),
            server_pid: None,
            _stop: Some(stop_tx),
        };
        tokio::spawn(server.serve(stop_rx));
        target
    }

    /// `voxrun serve` with the flags the in-process server gets, on ports it picks.
    async fn external(data_dir: &std::path::Path, js_workers_for_idle: usize) -> Target {
        use std::io::BufRead;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers = cores.max(2).max(js_workers_for_idle).to_string();
        let mut child = std::process::Command::new(voxrun_binary())
            .arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--api-addr", "127.0.0.1:0", "--control-addr", "127.0.0.1:0"])
            .args([
                "--js-threads-max",
                "256",
                "--max-concurrent-starts",
                "10000",
            ])
            .args(["--js-workers", &workers])
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .die_with_parent()
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut api, mut credentials) = (None, None);
        while api.is_none() || credentials.is_none() {
            let line = lines.next().unwrap().unwrap();
            if let Some(rest) = line.strip_prefix("voxrun API listening on https://") {
                api = rest.split_whitespace().next().map(|a| a.parse().unwrap());
            } else if let Some(p) = line.strip_prefix("credentials: ") {
                credentials = Some(std::path::PathBuf::from(p));
            }
        }
        std::thread::spawn(move || for _ in lines {});
        CHILDREN.lock().unwrap().push(child);
        let (api, credentials): (SocketAddr, _) = (api.unwrap(), credentials.unwrap());
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&credentials).unwrap()).unwrap();
        let account = match &file["account_id"] {
            serde_json::Value::String(id) => id.parse().unwrap(),
            id => id.as_u64().unwrap(),
        };
        let signer = Signer::new(&credentials, account);
        let info = post_form_with(
            api,
            "/platform_api/GetAccountInfo".into(),
            String::new(),
            Some(signer.authorization()),
        )
        .await;
        Target {
            api,
            account,
            api_key: info["result"]["api_key"].as_str().unwrap().to_string(),
            credentials,
            server_pid: Some(pid),
            _stop: None,
        }
    }
}

trait DieWithParent {
    /// The child is killed when this process ends, however it ends.
    fn die_with_parent(&mut self) -> &mut Self;
}

impl DieWithParent for std::process::Command {
    fn die_with_parent(&mut self) -> &mut Self {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and changes only the child.
        unsafe {
            self.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            })
        }
    }
}
