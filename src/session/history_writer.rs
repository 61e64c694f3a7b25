//! Session records, group-committed: every write queued while one batch is being written
//! (new rows, transcripts, closed rows) goes to disk with the next batch, in one transaction
//! and one sync. New rows take ids reserved here, after the highest the store ever gave.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::store::{SessionWrite, StoreError, StoreHandle};

/// Writes in one transaction at most.
const BATCH_MAX: usize = 256;

struct Pending {
    /// Applied together, in order, all or nothing.
    writes: Vec<SessionWrite>,
    done: oneshot::Sender<Result<(), String>>,
}

pub struct HistoryWriter {
    next_id: AtomicU64,
    queue: mpsc::UnboundedSender<Pending>,
}

const STOPPED: &str = "the history writer has stopped";

impl HistoryWriter {
    /// Ids continue after the highest the store ever gave. Must be called inside a tokio
    /// runtime (the writing task is spawned).
    pub fn start(store: StoreHandle) -> Result<Arc<HistoryWriter>, StoreError> {
        let last = store.blocking().last_history_id()?;
        let (queue, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(store, rx));
        Ok(Arc::new(HistoryWriter {
            next_id: AtomicU64::new(last + 1),
            queue,
        }))
    }

    /// The id of a new session's row.
    pub fn reserve(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Queue a write; resolves once it is durable or failed.
    pub async fn write(&self, write: SessionWrite) -> Result<(), String> {
        self.write_together(vec![write]).await
    }

    /// Queue writes that go to disk in the same transaction, in order, all or nothing (a
    /// session's end: its transcript and its closed row, one sync).
    pub async fn write_together(&self, writes: Vec<SessionWrite>) -> Result<(), String> {
        let (done, written) = oneshot::channel();
        if self.queue.send(Pending { writes, done }).is_err() {
            return Err(STOPPED.into());
        }
        written.await.unwrap_or_else(|_| Err(STOPPED.into()))
    }
}

async fn write_batches(store: StoreHandle, mut rx: mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH_MAX {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        // Moved, not copied, to the store's thread (a closed row carries the whole log);
        // `lens` keeps where each group's writes are.
        let mut writes: Vec<SessionWrite> = Vec::new();
        let mut lens = Vec::with_capacity(batch.len());
        let mut dones = Vec::with_capacity(batch.len());
        for p in batch {
            lens.push(p.writes.len());
            writes.extend(p.writes);
            dones.push(p.done);
        }
        let n = dones.len();
        let outcomes = store
            .call(move |s| {
                let all = s.apply_session_writes(&writes);
                if all.is_ok() || lens.len() == 1 {
                    return Ok(vec![all.map_err(|e| e.to_string()); lens.len()]);
                }
                // One bad group must not fail the others: each on its own, then.
                let mut at = 0;
                Ok(lens
                    .iter()
                    .map(|len| {
                        let group = &writes[at..at + len];
                        at += len;
                        s.apply_session_writes(group).map_err(|e| e.to_string())
                    })
                    .collect())
            })
            .await
            .unwrap_or_else(|e| vec![Err(e.to_string()); n]);
        for (done, outcome) in dones.into_iter().zip(outcomes) {
            let _ = done.send(outcome);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::{HistoryStart, SessionWritesForTests, SqliteStore};

    fn row(n: u64) -> HistoryStart {
        HistoryStart {
            account_id: 1,
            application_id: 1,
            application_name: "a.acme.voximplant.com".into(),
            rule_id: 1,
            rule_name: format!("rule-{n}"),
            user_id: None,
            custom_data: String::new(),
            conference_name: None,
            log_secret: "s".into(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_rows_all_become_durable_under_their_reserved_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("voxrun.db");
        let store = StoreHandle::new(Arc::new(SqliteStore::open(&path).unwrap()));
        let old = store.blocking().create_history(&row(0)).unwrap();
        let writer = HistoryWriter::start(store.clone()).unwrap();
        let mut waits = Vec::new();
        let mut ids = Vec::new();
        for n in 1..=100 {
            let id = writer.reserve();
            ids.push(id);
            let writer = writer.clone();
            waits.push(tokio::spawn(async move {
                writer.write(SessionWrite::Start { id, row: row(n) }).await
            }));
        }
        for w in waits {
            assert_eq!(w.await.unwrap(), Ok(()));
        }
        assert_eq!(ids[0], old + 1, "ids continue after the store's");
        // Durable: a second connection to the file sees every row under its id.
        let reopened = SqliteStore::open(&path).unwrap();
        for (n, id) in ids.iter().enumerate() {
            let r = crate::store::Store::history_row(&reopened, 1, *id)
                .unwrap()
                .unwrap();
            assert_eq!(r.rule_name, format!("rule-{}", n + 1));
            assert!(r.running);
        }
        assert_eq!(
            crate::store::Store::last_history_id(&reopened).unwrap(),
            old + 100
        );
    }

    #[tokio::test]
    async fn a_row_that_cannot_be_written_reports_why() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreHandle::new(Arc::new(
            SqliteStore::open(&dir.path().join("voxrun.db")).unwrap(),
        ));
        let writer = HistoryWriter::start(store).unwrap();
        let id = writer.reserve();
        let start = |n| SessionWrite::Start { id, row: row(n) };
        // Three writes in flight at once (likely one batch): the two that reuse the id are
        // refused, each with the store's reason, and the first is kept.
        let (a, b, c) = tokio::join!(
            writer.write(start(1)),
            writer.write(start(2)),
            writer.write(start(3))
        );
        assert_eq!(a, Ok(()));
        assert!(b.is_err() && c.is_err(), "{b:?} {c:?}");
        let other = writer.reserve();
        let fine = writer
            .write(SessionWrite::Start {
                id: other,
                row: row(4),
            })
            .await;
        assert_eq!(fine, Ok(()));
    }

    #[tokio::test]
    async fn writes_queued_together_land_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("voxrun.db");
        let store = StoreHandle::new(Arc::new(SqliteStore::open(&path).unwrap()));
        let writer = HistoryWriter::start(store).unwrap();
        let taken = writer.reserve();
        writer
            .write(SessionWrite::Start {
                id: taken,
                row: row(0),
            })
            .await
            .unwrap();
        let (fresh, other) = (writer.reserve(), writer.reserve());
        let finish = |id| SessionWrite::Finish {
            id,
            duration: 2,
            reason: "Normal termination".into(),
            custom_data: "cd".into(),
            log: "the log\n".into(),
        };
        // In flight at once: a group whose second write reuses an id fails whole (its new
        // row is not left behind), and the other group is written.
        let (bad, good) = tokio::join!(
            writer.write_together(vec![
                SessionWrite::Start {
                    id: fresh,
                    row: row(1)
                },
                SessionWrite::Start {
                    id: taken,
                    row: row(2)
                },
            ]),
            writer.write_together(vec![
                SessionWrite::Start {
                    id: other,
                    row: row(3)
                },
                finish(other),
            ])
        );
        assert!(bad.is_err(), "{bad:?}");
        assert_eq!(good, Ok(()));
        let reopened = SqliteStore::open(&path).unwrap();
        assert!(crate::store::Store::history_row(&reopened, 1, fresh)
            .unwrap()
            .is_none());
        let closed = crate::store::Store::history_row(&reopened, 1, other)
            .unwrap()
            .unwrap();
        assert!(!closed.running);
        assert_eq!(
            crate::store::Store::history_log(&reopened, other, "s").unwrap(),
            Some("the log\n".to_string())
        );
    }
}
