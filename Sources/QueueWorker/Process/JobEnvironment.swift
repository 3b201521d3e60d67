import Foundation

/// The variables every job of a runner starts with, copied into C strings once: each spawn passes these as
/// they are and copies only the few variables naming its run, instead of every variable of the worker's
/// environment per job.
///
/// `@unchecked Sendable`: the strings are written once, in `init`, and only read afterwards (by the jobs
/// thread, while it spawns); they are freed when the last holder lets go.
final class JobEnvironment: @unchecked Sendable {
    private let entries: [UnsafeMutablePointer<CChar>?]

    /// `NAME=value` entries.
    init(_ variables: [String]) {
        entries = variables.map { strdup($0) }
    }

    deinit {
        for entry in entries { free(entry) }
    }

    /// Calls `body` with a NULL-terminated `envp`: these variables, then `added` (`NAME=value` entries).
    func withEnvironmentPointer<Result>(
        adding added: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let copies = added.map { strdup($0) }
        defer { for copy in copies { free(copy) } }
        var envp = entries
        envp.reserveCapacity(entries.count + copies.count + 1)
        envp.append(contentsOf: copies)
        envp.append(nil)
        return envp.withUnsafeBufferPointer { buffer in
            // Never empty: it ends with the terminating nil.
            body(buffer.baseAddress.unsafelyUnwrapped)
        }
    }
}
