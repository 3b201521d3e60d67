#if canImport(Glibc)
    import Glibc
#endif

/// Writing to a file descriptor with `write(2)`, whole: the command line's stdout and stderr (`TextSink`) and the
/// fast path's output.
public enum DescriptorWriter {
    /// Writes all of `buffer` to `descriptor` (no buffering to flush before exit), retrying after a signal and
    /// after a short write, and returns the `errno` of a failed write, or nil. A closed pipe
    /// (`queuectl list | head -1`) ends the write quietly and counts as success: the reader wanted no more (SIGPIPE
    /// must be ignored for that).
    public static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var pointer = buffer.baseAddress else { return nil }
        var remaining = buffer.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, pointer, remaining)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                return code == EPIPE ? nil : code
            }
            remaining -= written
            pointer += written
        }
        return nil
    }
}
