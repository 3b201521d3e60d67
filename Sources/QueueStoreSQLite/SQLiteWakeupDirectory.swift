import Dispatch
import Foundation
import QueueWakeup
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Numbers the wake-up sockets this process binds, so each `wakeups()` stream gets its own.
private let socketCounter = Atomic<Int>(0)

/// Wake-ups between processes that share an SQLite file, which has no server to notify through.
///
/// Every listener binds a Unix datagram socket `<pid>-<n>.sock` in a directory beside the database
/// (`<db path>.wake/`, mode 0700). A writer that made work claimable sends one byte to every socket there,
/// without blocking; a socket whose owner died answers ECONNREFUSED and is unlinked. When nobody listens
/// the directory is missing or empty and a notification costs one `opendir`.
struct SQLiteWakeupDirectory: Sendable {
    /// The directory holding the sockets.
    let path: String

    /// The directory for the database at `databasePath`.
    init(databasePath: String) {
        path = databasePath + ".wake"
    }

    /// A stream that yields after every notification. The socket is removed when the stream terminates.
    /// If no socket can be bound (e.g. the directory is not writable) the stream stays open and never yields,
    /// so a caller that also polls keeps working.
    func listen() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let name = "\(getpid())-\(socketCounter.add(1, ordering: .relaxed).newValue).sock"
        let socketPath = path + "/" + name
        guard let fd = bindSocket(at: socketPath) else {
            // Keep the continuation alive until the consumer goes away, so the stream does not end.
            continuation.onTermination = { _ in _ = continuation }
            return stream
        }
        // Dispatch sources are thread-safe (cancel may come from any thread) but not marked Sendable.
        nonisolated(unsafe) let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue.global())
        source.setEventHandler { @Sendable in
            var byte: UInt8 = 0
            // Drain every queued datagram: one yield covers them all.
            while recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) >= 0 {}
            continuation.yield(())
        }
        source.setCancelHandler { @Sendable in
            close(fd)
            unlink(socketPath)
        }
        continuation.onTermination = { @Sendable _ in source.cancel() }
        source.resume()
        return stream
    }

    /// Sends one byte to every listening socket, never blocking.
    func notify() {
        WakeupSockets.notify(directory: path)
    }

    private func bindSocket(at socketPath: String) -> Int32? {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { return nil }
        let fd = WakeupSockets.makeSocket()
        guard fd >= 0 else { return nil }
        let directoryFD = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if directoryFD >= 0 { close(directoryFD) } }
        let result = WakeupSockets.withAddress(of: socketPath, directoryFD: directoryFD) { address, length in
            bind(fd, address, length)
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
