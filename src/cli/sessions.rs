//! `voxrun sessions [stop ID]`, `voxrun logs ID [--follow]`, `voxrun transcript ID
//! [--follow]`: the live sessions of the server running on a data dir, through its
//! `/voxrun/v1` API ([`super::client`]).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use hyper::Method;
use serde_json::Value;

use super::client::{self, Client, Failure};

#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub action: Option<SessionsAction>,
    /// The data dir of the running server.
    #[arg(
        long,
        global = true,
        env = "VOXRUN_DATA_DIR",
        default_value = "./voxrun-data"
    )]
    pub data_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum SessionsAction {
    /// End a live session ("Terminated administratively"); waits until it has ended.
    Stop {
        /// The session's id (`call_session_history_id`).
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct SessionOutputArgs {
    /// The session's id (`call_session_history_id`), live or ended.
    pub id: u64,
    /// Keep printing what the live session adds until it ends.
    #[arg(long, short)]
    pub follow: bool,
    /// The data dir of the running server.
    #[arg(long, env = "VOXRUN_DATA_DIR", default_value = "./voxrun-data")]
    pub data_dir: PathBuf,
}

/// Run one command on a fresh single-threaded runtime.
fn block_on<F: std::future::Future<Output = Result<(), Failure>>>(
    f: impl FnOnce() -> F,
) -> Result<(), Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?
        .block_on(f())
}

/// Writes to stdout; a reader that went away (`| head`) ends the command quietly.
struct Out(std::io::Stdout);

/// What a closed stdout turns into: stop, without an error.
const STDOUT_CLOSED: &str = "";

impl Out {
    fn print(&mut self, text: &str) -> Result<(), Failure> {
        let mut lock = self.0.lock();
        lock.write_all(text.as_bytes())
            .and_then(|()| lock.flush())
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => STDOUT_CLOSED.to_string(),
                _ => format!("cannot write to stdout: {e}"),
            })
    }
}

/// A closed stdout is no failure.
fn quiet_on_closed(r: Result<(), Failure>) -> Result<(), Failure> {
    match r {
        Err(e) if e == STDOUT_CLOSED => Ok(()),
        r => r,
    }
}

pub(super) fn sessions(args: SessionsArgs) -> Result<(), Failure> {
    let client = Client::for_data_dir(&args.data_dir)?;
    let mut out = Out(std::io::stdout());
    quiet_on_closed(block_on(|| async move {
        match args.action {
            None => list(&client, &mut out).await,
            Some(SessionsAction::Stop { id }) => stop(&client, id, &mut out).await,
        }
    }))
}

/// One line per live session: id, rule (application), start (UTC), state.
async fn list(client: &Client, out: &mut Out) -> Result<(), Failure> {
    let v = client.json(Method::GET, "sessions", "sessions").await?;
    let list = v["result"].as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        eprintln!("no live sessions");
    }
    for s in list {
        out.print(&format!(
            "{}\t{} ({})\t{} UTC\t{}\n",
            s["call_session_history_id"],
            s["rule_name"].as_str().unwrap_or("?"),
            s["application_name"].as_str().unwrap_or("?"),
            s["start_date"].as_str().unwrap_or("?"),
            s["state"].as_str().unwrap_or("?"),
        ))?;
    }
    Ok(())
}

async fn stop(client: &Client, id: u64, out: &mut Out) -> Result<(), Failure> {
    let what = format!("live session {id}");
    client
        .json(Method::POST, &format!("sessions/{id}/terminate"), &what)
        .await?;
    // Its log's stream ends once the session has ended (Terminating and Terminated ran).
    follow(client, &format!("sessions/{id}/log"), &what, |_| Ok(())).await?;
    out.print(&format!("session {id} ended\n"))
}

pub(super) fn logs(args: SessionOutputArgs) -> Result<(), Failure> {
    let client = Client::for_data_dir(&args.data_dir)?;
    let mut out = Out(std::io::stdout());
    quiet_on_closed(block_on(|| async move {
        let what = format!("session {}", args.id);
        let path = format!("sessions/{}/log", args.id);
        let text = |v: &Value, key: &str| v[key].as_str().unwrap_or("").to_string();
        if !args.follow {
            let v = client.json(Method::GET, &path, &what).await?;
            return out.print(&text(&v, "log"));
        }
        follow(&client, &path, &what, |chunk| match chunk {
            Chunk::Whole(v) => out.print(&text(v, "log")),
            Chunk::Event(data) => {
                let v: Value = serde_json::from_str(data).unwrap_or(Value::Null);
                out.print(&text(&v, "text"))
            }
        })
        .await
    }))
}

/// The transcript as JSON lines, one entry each (as `voxrun run --transcript -`).
pub(super) fn transcript(args: SessionOutputArgs) -> Result<(), Failure> {
    let client = Client::for_data_dir(&args.data_dir)?;
    let mut out = Out(std::io::stdout());
    quiet_on_closed(block_on(|| async move {
        let what = format!("session {}", args.id);
        let path = format!("sessions/{}/transcript", args.id);
        let mut lines = |v: &Value| -> Result<(), Failure> {
            for entry in v.as_array().into_iter().flatten() {
                out.print(&format!("{entry}\n"))?;
            }
            Ok(())
        };
        if !args.follow {
            let v = client.json(Method::GET, &path, &what).await?;
            return lines(&v);
        }
        follow(&client, &path, &what, |chunk| match chunk {
            Chunk::Whole(v) => lines(v),
            Chunk::Event(data) => lines(&Value::Array(vec![
                serde_json::from_str(data).unwrap_or(Value::Null)
            ])),
        })
        .await
    }))
}

/// What a follow gets: an ended session's whole answer, or one event of a live one.
enum Chunk<'a> {
    Whole(&'a Value),
    Event(&'a str),
}

/// `GET {path}?follow=1`: a live session's events as they come, until its `end` event;
/// an ended session's whole JSON answer.
async fn follow(
    client: &Client,
    path: &str,
    what: &str,
    mut on: impl FnMut(Chunk<'_>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let r = client
        .send(Method::GET, &format!("{path}?follow=1"))
        .await?;
    if !client::is_event_stream(&r) {
        let v = client::json_answer(r, what).await?;
        return on(Chunk::Whole(&v));
    }
    let mut ended = false;
    client::read_events(r, |event, data| {
        if event == "end" {
            ended = true;
            return Ok(false);
        }
        on(Chunk::Event(data))?;
        Ok(true)
    })
    .await?;
    if ended {
        Ok(())
    } else {
        Err("the server closed the stream before the session ended".to_string())
    }
}
