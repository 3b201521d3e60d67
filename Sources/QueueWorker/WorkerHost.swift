import Foundation
import Synchronization

private let slotCounter = Atomic<Int>(0)

/// This machine's name as workers register it, and the per-process slot numbering.
public enum WorkerHost {
    /// The host name, reduced to characters that are safe in an id (letters, digits, `.`, `_`, `-`).
    /// `QUEUECTL_HOSTNAME` overrides it (containers with random host names; several "hosts" on one machine).
    public static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let override = ProcessInfo.processInfo.environment["QUEUECTL_HOSTNAME"].flatMap { $0.isEmpty ? nil : $0 }
        let raw =
            override
            ?? (gethostname(&buffer, buffer.count) == 0
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost")
        let safe = String(raw.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "-" }
            .filter(\.isASCII))
        let trimmed = safe.drop { $0 == "." }
        return trimmed.isEmpty ? "localhost" : String(trimmed)
    }

    /// 1, 2, 3… for successive worker slots started in this process.
    static func nextSlotNumber() -> Int {
        slotCounter.add(1, ordering: .relaxed).newValue
    }
}
