import Foundation
import Synchronization

private let slotCounter = Atomic<Int>(0)

/// This machine's name and identity as workers register them, and the per-process slot numbering.
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

    /// Which machine and pid namespace this process runs in: `<name>/<boot id>/<pid namespace inode>`.
    ///
    /// "Is that worker on my host, so is its pid meaningful here" decisions compare this, not the host
    /// name: two containers (pid namespaces) may share a host name and a store, and then each must leave the
    /// other's workers to the lease. The boot id makes the process start times comparable (they count
    /// from boot); the host name part keeps `QUEUECTL_HOSTNAME` "hosts" on one machine apart.
    public static var identity: String {
        let bootID = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var info = stat()
        let namespace = stat("/proc/self/ns/pid", &info) == 0 ? String(info.st_ino) : "0"
        return "\(name)/\(bootID.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")/\(namespace)"
    }

    /// 1, 2, 3… for successive worker slots started in this process.
    static func nextSlotNumber() -> Int {
        slotCounter.add(1, ordering: .relaxed).newValue
    }
}
