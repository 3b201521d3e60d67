#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small secret kept in a file of its own (a dashboard token, a database password): read only from a regular
/// file that no other account can read or write, as PostgreSQL requires of `PGPASSFILE`, and written with mode
/// 0600 without ever following a symbolic link planted in its place.
public enum PrivateFile {
    /// The most a secret file may hold.
    public static let maximumSize = 4096

    /// The file's text with one final line break removed. `what` names the file in messages ("the password file
    /// 'x' (QUEUECTL_DB_PASSWORD_FILE)"); every failure is `failure(message)`.
    public static func read(_ path: String, what: String, failure: (String) -> QueueError) throws(QueueError) -> String {
        func refused(_ why: String) -> QueueError { failure("cannot use \(what): \(why)") }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw refused(code == ELOOP ? "it is a symbolic link" : String(cString: strerror(code)).lowercased())
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw refused("it is not a regular file")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw refused("other accounts can read or write it; run 'chmod 600 \(path)'")
        }
        guard status.st_size <= maximumSize else { throw refused("it is larger than 4 KiB; it should hold the secret alone") }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw refused(String(cString: strerror(errno)).lowercased()) }
        var text = String(decoding: bytes[0..<count], as: UTF8.self)
        if text.hasSuffix("\r\n") || text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw refused("it is empty") }
        return text
    }

    /// Writes `text` to `path` with mode 0600. `replacing`: atomically over any file there (a reader never sees
    /// half of it); otherwise only if there is none, returning false when one exists already (another process
    /// wrote it first).
    @discardableResult
    public static func save(_ text: String, to path: String, replacing: Bool) throws(QueueError) -> Bool {
        func failed() -> QueueError {
            .operationFailed("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        let target = replacing ? path + ".\(getpid()).tmp" : path
        if replacing { unlink(target) }
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if !replacing, errno == EEXIST { return false }
            throw failed()
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let closed = close(descriptor)
        guard written == bytes.count, closed == 0, !replacing || rename(target, path) == 0 else {
            let error = failed()
            unlink(target)
            throw error
        }
        return true
    }
}
