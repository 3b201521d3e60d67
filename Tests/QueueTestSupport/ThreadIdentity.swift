import Foundation

/// The kernel's id of the calling thread (its entry under `/proc/self/task/`), read from `/proc/thread-self`
/// (`gettid` is out of Swift's reach in Glibc); nil where that link cannot be read.
public func currentThreadID() -> Int32? {
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self") else { return nil }
    return target.split(separator: "/").last.flatMap { Int32($0) }
}

/// Whether the thread with kernel id `id` still exists in this process.
public func threadExists(_ id: Int32) -> Bool {
    FileManager.default.fileExists(atPath: "/proc/self/task/\(id)")
}
