#if canImport(Glibc)
    import Glibc
#endif

/// The datagram sockets through which processes sharing a SQLite file wake each other (see
/// `SQLiteWakeupDirectory`, which listens on them): here once, for the store and for the fast path's enqueue,
/// which must wake idle workers exactly as the store does.
public enum WakeupSockets {
    /// Sends one byte to every `*.sock` in `directory`, never blocking; a socket nobody is bound to any more (its
    /// owner died without cleaning up) is removed. When nobody listens the directory is missing or empty and this
    /// costs one `opendir`.
    public static func notify(directory path: String) {
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
                sender = makeSocket()
                if sender < 0 { return }
            }
            var byte: UInt8 = 1
            let failure = withAddress(of: path + "/" + name, directoryFD: dirfd(directory)) { address, length in
                sendto(sender, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), address, length) < 0 ? errno : 0
            }
            if failure == ECONNREFUSED {
                unlinkat(dirfd(directory), name, 0)
            }
        }
    }

    /// A non-blocking, close-on-exec Unix datagram socket, or -1.
    public static func makeSocket() -> Int32 {
        socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    }

    /// Calls `body` with a `sockaddr_un` for `fullPath`. A path too long for `sun_path` (108 bytes) is reached
    /// through `/proc/self/fd/<directoryFD>/<name>` instead. Returns nil when neither form fits.
    public static func withAddress<R>(
        of fullPath: String, directoryFD: Int32, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
    ) -> R? {
        var address = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        var bytes = Array(fullPath.utf8)
        if bytes.count >= capacity {
            guard directoryFD >= 0, let name = fullPath.split(separator: "/").last else { return nil }
            bytes = Array(("/proc/self/fd/" + String(directoryFD) + "/" + String(name)).utf8)
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
