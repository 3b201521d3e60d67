import ArgumentParser
import Foundation
import QueueCore

/// `queuectl logs ID [--follow]`: a job's captured stdout and stderr.
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's captured output (stdout and stderr, one header line per attempt).",
        discussion: """
            An unknown id exits 1; a job that has not run yet prints nothing. --follow keeps printing
            new output until the job is completed or dead.

            Example:
              queuectl logs job1
              queuectl logs job1 --follow
            """)

    @OptionGroup var global: GlobalOptions

    /// The job whose log to print.
    @Argument(help: "The job id.") var id: String

    /// Keep printing until the job is completed or dead.
    @Flag(name: [.short, .long], help: "Keep printing new output until the job is completed or dead.")
    var follow = false

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        let jobID = try JobID(id)
        let context = CommandContext.current
        try await global.withStore(for: .read) { store, resolver in
            guard var job = try await store.job(jobID) else { throw QueueError.jobNotFound(jobID) }
            let log = JobLog(store: store, home: resolver.home)
            var offset = try await Self.printNewBytes(of: jobID, in: log, from: 0, context: context)
            guard follow else { return }
            while !job.state.isFinal {
                try await Task.sleep(for: .milliseconds(100))
                offset = try await Self.printNewBytes(of: jobID, in: log, from: offset, context: context)
                guard let current = try await store.job(jobID) else { return }
                job = current
            }
            // The run ended: print whatever it wrote last.
            _ = try await Self.printNewBytes(of: jobID, in: log, from: offset, context: context)
        }
    }

    /// Prints the log's bytes after `offset`; returns the new offset.
    private static func printNewBytes(
        of id: JobID, in log: JobLog, from offset: Int, context: CommandContext
    ) async throws -> Int {
        let slice = try await log.read(id, .from(offset))
        if !slice.bytes.isEmpty { context.standardOutput.write(String(decoding: slice.bytes, as: UTF8.self)) }
        return slice.offset + slice.bytes.count
    }
}
