import ArgumentParser
import Foundation
import QueueCore
import QueueOperations

/// `queuectl logs ID [--follow] [--tail N]`: a job's captured stdout and stderr.
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's captured output (stdout and stderr, one header line per attempt).",
        discussion: """
            An unknown id exits 1; a job that has not run yet prints nothing. A job that has run but whose
            log file is gone (deleted) says so on stderr and exits 1. --tail N prints only the last N lines.
            --follow keeps printing new output until the job is completed or dead (after the last N lines
            with --tail), and says on stderr when no worker is running to run the job.

            Example:
              queuectl logs job1
              queuectl logs job1 --tail 20 --follow
            """)

    @OptionGroup var global: GlobalOptions

    /// The job whose log to print.
    @Argument(help: "The job id, or a unique prefix of it (4 characters or more).", completion: .jobIDs) var id: String

    /// Keep printing until the job is completed or dead.
    @Flag(name: [.short, .long], help: "Keep printing new output until the job is completed or dead.")
    var follow = false

    /// Print only the last this many lines.
    @Option(parsing: .unconditional, help: ArgumentHelp("Print only the last n lines (then follow, with --follow).", valueName: "n"))
    var tail: Int?

    func validate() throws {
        if let tail, tail < 0 {
            throw ValidationError("--tail is out of range: \(tail) is negative; give a number of lines from 0 up")
        }
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        let jobID = try JobID(id)
        let context = CommandContext.current
        try await global.withOperations(for: .read) { operations, resolver in
            let store = operations.store
            var job = try await operations.job(jobID)
            let jobID = job.id
            let log = JobLog(store: store, home: resolver.home)
            if try await log.isMissing(for: job) {
                throw QueueError.operationFailed(
                    "job '\(jobID)' has run but its log file \(resolver.home.logFile(for: jobID)) is missing (deleted?)")
            }
            var offset: Int
            if let tail {
                let slice = try await log.lastLines(tail, of: jobID)
                Self.write(slice.bytes, context: context)
                offset = slice.size
            } else {
                offset = try await Self.printNewBytes(of: jobID, in: log, from: 0, context: context)
            }
            guard follow else { return }
            var notice = NoWorkerNotice(context: context)
            while !job.state.isFinal {
                try await notice.check([job], in: operations)
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
        write(slice.bytes, context: context)
        return slice.offset + slice.bytes.count
    }

    private static func write(_ bytes: [UInt8], context: CommandContext) {
        if !bytes.isEmpty { context.standardOutput.write(String(decoding: bytes, as: UTF8.self)) }
    }
}
