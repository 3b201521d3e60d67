import Dispatch
import Foundation
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
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        var sender: Int32 = -1
        defer { if sender >= 0 { close(sender) } }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".sock") else { continue }
            if sender < 0 {
                sender = Self.makeSocket()
                if sender < 0 { return }
            }
            var byte: UInt8 = 1
            let failure = Self.withAddress(of: path + "/" + name, directoryFD: dirfd(directory)) { address, length in
                sendto(sender, &byte, 1, Int32(MSG_DONTWAIT) | Self.noSignal, address, length) < 0 ? errno : 0
            }
            // Nobody bound to it any more: its owner died without cleaning up.
            if failure == ECONNREFUSED {
                unlinkat(dirfd(directory), name, 0)
            }
        }
    }

    private func bindSocket(at socketPath: String) -> Int32? {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { return nil }
        let fd = Self.makeSocket()
        guard fd >= 0 else { return nil }
        let directoryFD = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if directoryFD >= 0 { close(directoryFD) } }
        let result = Self.withAddress(of: socketPath, directoryFD: directoryFD) { address, length in
            bind(fd, address, length)
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func makeSocket() -> Int32 {
        #if os(Linux)
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #else
            socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
    }

    private static var noSignal: Int32 {
        #if os(Linux)
            Int32(MSG_NOSIGNAL)
        #else
            0
        #endif
    }

    /// Calls `body` with a `sockaddr_un` for `fullPath`. A path too long for `sun_path` (108 bytes) is reached
    /// through `/proc/self/fd/<directoryFD>/<name>` instead. Returns nil when neither form fits.
    private static func withAddress<R>(
        of fullPath: String, directoryFD: Int32, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
    ) -> R? {
        var address = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        var bytes = Array(fullPath.utf8)
        if bytes.count >= capacity {
            guard directoryFD >= 0, let name = fullPath.split(separator: "/").last else { return nil }
            bytes = Array("/proc/self/fd/\(directoryFD)/\(name)".utf8)
            guard bytes.count < capacity else { return nil }
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
