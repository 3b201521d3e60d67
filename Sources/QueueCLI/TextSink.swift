#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Somewhere text goes: the process's stdout or stderr, or a buffer in an in-process test.
public struct TextSink: Sendable {
    /// Writes the text exactly as given (callers add the newline).
    public let write: @Sendable (String) -> Void

    /// Wraps a writing function.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// The process's standard output.
    public static let standardOutput = TextSink { text in TextSink.writeAll(text, to: STDOUT_FILENO) }
    /// The process's standard error.
    public static let standardError = TextSink { text in TextSink.writeAll(text, to: STDERR_FILENO) }

    /// Writes straight to the descriptor (no buffering to flush before exit). A closed pipe
    /// (`queuectl list | head -1`) ends the write quietly: SIGPIPE is ignored by the entry point.
    private static func writeAll(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            guard var pointer = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, pointer, remaining)
                #else
                    let written = Darwin.write(descriptor, pointer, remaining)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                remaining -= written
                pointer += written
            }
        }
    }
}
