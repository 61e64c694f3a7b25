//! The Unix socket between the supervisor and a worker, registered with the runtime for
//! reading only.
//!
//! Tokio registers a stream for both directions, and a Unix socket tells its epoll
//! registrations "writable" each time the peer reads from it (the kernel frees the sent
//! buffers and wakes every waiter on the socket). Each batch of frames one side read then
//! woke the other side for nothing: a context switch and an empty poll per batch, each way.
//! Here the reading side is registered for `READABLE` only, and a writer writes directly;
//! it registers for writability only while the socket is full (the peer is not reading).

use std::io::{self, ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncRead, Interest, ReadBuf};

/// The reading side of the socket, for [`super::protocol::reader`].
pub struct ReadHalf(AsyncFd<UnixStream>);

impl ReadHalf {
    /// `stream` in non-blocking mode; must be called within the runtime.
    pub fn new(stream: UnixStream) -> io::Result<Self> {
        stream.set_nonblocking(true)?;
        register(stream, Interest::READABLE).map(ReadHalf)
    }
}

impl AsyncRead for ReadHalf {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            let mut guard = ready!(self.0.poll_read_ready(cx))?;
            let unfilled = buf.initialize_unfilled();
            match guard.try_io(|fd| fd.get_ref().read(unfilled)) {
                Ok(Ok(n)) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Ok(Err(e)) => return Poll::Ready(Err(e)),
                // Not readable after all: the guard cleared the readiness; poll again.
                Err(_would_block) => continue,
            }
        }
    }
}

/// The writing side of the socket, for a task of the runtime.
pub struct WriteHalf(UnixStream);

impl WriteHalf {
    /// `stream` in non-blocking mode (shared with its [`ReadHalf`], a clone of the same
    /// socket).
    pub fn new(stream: UnixStream) -> io::Result<Self> {
        stream.set_nonblocking(true)?;
        Ok(WriteHalf(stream))
    }

    /// Writes all of `buf`, waiting (without blocking the thread) while the socket is full.
    pub async fn write_all(&self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match (&self.0).write(buf) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => buf = &buf[n..],
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    // Registered for this wait only. Registering polls the socket at
                    // once, so room made since the failed write is not missed.
                    let waiter = register(self.0.try_clone()?, Interest::WRITABLE)?;
                    let _room = waiter.writable().await?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// `stream` registered with the runtime for `interest` only.
fn register(stream: UnixStream, interest: Interest) -> io::Result<AsyncFd<UnixStream>> {
    // SAFETY: the `AsyncFd` owns `stream`, whose descriptor stays open and the same until
    // the `AsyncFd` drops it.
    unsafe { AsyncFd::register_with_interest(stream, interest) }.map_err(|e| e.into_parts().1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    /// More than the socket buffers hold goes through whole and in order: the writer waits
    /// for room while the reader is slow, and the reader sees the end when the writer's
    /// side is closed. As in the supervisor, the writer's socket is registered for reading
    /// too while the writer waits for room.
    #[tokio::test]
    async fn a_full_socket_waits_for_room_and_loses_nothing() {
        let (a, b) = UnixStream::pair().unwrap();
        let a_reader = ReadHalf::new(a.try_clone().unwrap()).unwrap();
        let writer = WriteHalf::new(a).unwrap();
        let mut reader = ReadHalf::new(b).unwrap();
        let data: Vec<u8> = (0..8 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
        let expected = data.clone();
        let write = tokio::spawn(async move {
            writer.write_all(&data).await.unwrap();
            // Dropping both closes the socket: the reader then reads the end.
            drop(a_reader);
        });
        let mut got = Vec::new();
        let mut chunk = vec![0u8; 4096];
        loop {
            let n = reader.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&chunk[..n]);
            if got.len() % (1024 * 1024) < 4096 {
                // Slow down now and then, so the writer meets a full socket.
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        }
        write.await.unwrap();
        assert_eq!(got.len(), expected.len());
        assert!(got == expected, "the bytes arrive in the order written");
    }
}
