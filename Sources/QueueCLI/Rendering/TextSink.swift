#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import QueueFormatting
import Synchronization

/// Somewhere text goes: the process's stdout or stderr, or a buffer in an in-process test.
public struct TextSink: Sendable {
    /// Writes the text exactly as given (callers add the newline).
    public let write: @Sendable (String) -> Void
    /// Why the first failed write failed ("No space left on device"), or nil while every write has
    /// succeeded. The entry point turns it into an error (exit 1), so output lost to a full disk or a
    /// broken device is never reported as success.
    public let failure: @Sendable () -> String?

    /// Wraps a writing function; `failure` reports its first failed write (none by default).
    public init(_ write: @escaping @Sendable (String) -> Void, failure: @escaping @Sendable () -> String? = { nil }) {
        self.write = write
        self.failure = failure
    }

    /// The first error a write to stdout met.
    private static let standardOutputError = Mutex<Int32?>(nil)

    /// The process's standard output.
    public static let standardOutput = TextSink(
        { text in
            guard let code = TextSink.writeAll(text, to: STDOUT_FILENO) else { return }
            standardOutputError.withLock { first in if first == nil { first = code } }
        },
        failure: { standardOutputError.withLock { $0 }.map { String(cString: strerror($0)) } })

    /// The process's standard error (a failure there has nowhere to be reported).
    public static let standardError = TextSink { text in _ = TextSink.writeAll(text, to: STDERR_FILENO) }

    /// Writes straight to the descriptor (`DescriptorWriter`: no buffering to flush before exit) and returns the
    /// `errno` of a failed write. A closed pipe (`queuectl list | head -1`) counts as success: SIGPIPE is ignored
    /// by the entry point.
    private static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { DescriptorWriter.writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }
}
