import Foundation

/// Names the calling thread (the kernel keeps 15 bytes: `top -H`, `/proc/PID/task/*/comm`) by writing
/// `/proc/thread-self/comm`: Foundation's `Thread.name` does not reach the kernel here, and
/// `pthread_setname_np` is out of Swift's reach in Glibc. A failure leaves the name as it was.
public func nameCurrentThread(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}
