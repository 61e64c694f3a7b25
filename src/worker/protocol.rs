//! The supervisor ↔ worker protocol (docs/isolation.md): typed messages, postcard-encoded, one per
//! length-delimited frame (`tokio-util`'s codec). Nothing here knows the transport:
//! [`reader`] reads frames from any byte stream and [`frame`] makes the bytes to write
//! (today a Unix socket pair; later a TLS connection from a media node).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncRead;
use tokio_util::codec::{FramedRead, LengthDelimitedCodec};

use crate::runtime::{
    FinishReason, HttpEvent, HttpReply, Limits, SessionOutcome, SessionSpec, StartResult,
    StorageAnswer, StorageRequest,
};
use crate::telephony::FarEndAct;

/// Largest frame either side accepts: a start carries every scenario of a rule (each up to
/// 128 KB), a reply up to the control listener's 8 MiB cap.
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

/// Supervisor → worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Start a session; the worker answers `Started`, then `Log` lines, then `Ended`.
    Start(Box<StartSession>),
    /// A control-URL request for a session; answered by `Reply` with the same `request`.
    Http {
        session: u64,
        request: u64,
        event: HttpEvent,
    },
    /// End a session (operator stop, server shutdown).
    Terminate { session: u64, reason: FinishReason },
    /// The answer to a session's `Storage` request.
    Storage {
        session: u64,
        id: u64,
        answer: StorageAnswer,
    },
    /// Act as a call's far end; answered by `Reply` (204, or 409 with the error).
    FarEnd {
        session: u64,
        request: u64,
        call: String,
        act: FarEndAct,
    },
}

#[derive(Debug, Serialize, Deserialize)]
pub struct StartSession {
    pub spec: SessionSpec,
    pub limits: Limits,
    /// Events that may wait in the session's queue before requests are refused as busy.
    pub queue_len: usize,
}

/// Worker → supervisor.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromWorker {
    /// Sent once, when the worker has set itself up and reads its socket.
    Ready { pid: u32 },
    /// Sent every [`HEARTBEAT_MS`](crate::worker::HEARTBEAT_MS).
    Heartbeat(Health),
    /// `AppEvents.Started` was dispatched (or the load failed).
    Started { session: u64, result: StartResult },
    /// One session log entry, already formatted (`YYYY-MM-DD HH:mm:ss.mmm text`).
    Log { session: u64, line: String },
    Reply {
        request: u64,
        outcome: ControlOutcome,
    },
    /// One transcript entry of a session (its JSON line), as it is recorded.
    Transcript { session: u64, line: String },
    /// An ApplicationStorage request of a session; answered by `ToWorker::Storage`.
    Storage {
        session: u64,
        request: StorageRequest,
    },
    /// The session is over; its last `Log` came before this.
    Ended {
        session: u64,
        outcome: SessionOutcome,
    },
}

/// A worker's health, as it reports it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Health {
    pub rss_bytes: u64,
    /// One of its JS threads has not come back from script code for longer than the
    /// supervisor's stuck limit (a loop inside a native builtin).
    pub stuck_thread: bool,
    /// CPU time (ns) of the worker's main thread when it sent this, for the supervisor's
    /// watchdog; `None` when sent from another thread.
    pub main_thread_cpu_ns: Option<u64>,
}

/// What became of one control-URL request.
#[derive(Debug, Serialize, Deserialize)]
pub enum ControlOutcome {
    /// The handler's answer (or the runtime's 500/503/504).
    Reply(HttpReply),
    /// The session's event queue is full.
    Busy,
    /// No such session in this worker any more.
    Gone,
    /// The session ended before it answered.
    Unanswered,
}

fn codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .max_frame_length(MAX_FRAME)
        .new_codec()
}

/// A byte stream as a stream of frames.
pub fn reader<T: AsyncRead>(io: T) -> FramedRead<T, LengthDelimitedCodec> {
    FramedRead::new(io, codec())
}

/// Appends `msg` as one whole frame (length prefix included) to `out`, as
/// `LengthDelimitedCodec` reads it: a 4-byte big-endian length, then the payload. Writers
/// gather frames in a buffer and write them whole, from whichever thread has one. On an
/// error `out` is left as it was.
pub fn frame_into<M: Serialize>(msg: &M, out: &mut Vec<u8>) -> Result<(), String> {
    let payload = postcard::to_stdvec(msg).map_err(|e| format!("cannot encode a message: {e}"))?;
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|n| *n as usize <= MAX_FRAME)
        .ok_or_else(|| format!("cannot frame a message of {} bytes", payload.len()))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&payload);
    Ok(())
}

pub fn decode<M: DeserializeOwned>(frame: &[u8]) -> Result<M, String> {
    postcard::from_bytes(frame).map_err(|e| format!("malformed message: {e}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn messages_cross_a_socket_pair_intact_and_in_order() {
        let (mut tx, b) = tokio::net::UnixStream::pair().unwrap();
        let mut rx = reader(b);
        let big = "x".repeat(300_000);
        let msgs = [
            FromWorker::Log {
                session: 7,
                line: big.clone(),
            },
            FromWorker::Reply {
                request: 9,
                outcome: ControlOutcome::Reply(HttpReply {
                    status: 201,
                    content_type: None,
                    body: vec![0, 255, 10],
                }),
            },
            FromWorker::Ended {
                session: 7,
                outcome: SessionOutcome {
                    finish_reason: FinishReason::Timeout,
                    custom_data: "cd".into(),
                    system_error: false,
                    idle: false,
                    transcript: vec![r#"{"t":0.0}"#.into()],
                    calls: Vec::new(),
                },
            },
        ];
        // Gathered in one buffer, as the writers do. The big frame is larger than the
        // socket buffer: write while the other end reads.
        let mut frames = Vec::new();
        for m in &msgs {
            frame_into(m, &mut frames).unwrap();
        }
        let writer = tokio::spawn(async move {
            tx.write_all(&frames).await.unwrap();
        });
        let mut got = Vec::new();
        for _ in 0..3 {
            let f = rx.next().await.unwrap().unwrap();
            got.push(decode::<FromWorker>(&f).unwrap());
        }
        writer.await.unwrap();
        assert!(matches!(&got[0], FromWorker::Log { session: 7, line } if *line == big));
        assert!(
            matches!(&got[1], FromWorker::Reply { request: 9, outcome: ControlOutcome::Reply(r) } if r.status == 201 && r.body == vec![0, 255, 10])
        );
        assert!(matches!(
            &got[2],
            FromWorker::Ended { session: 7, outcome } if outcome.finish_reason == FinishReason::Timeout
        ));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode::<ToWorker>(&[0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(decode::<FromWorker>(&[]).is_err());
    }
}
