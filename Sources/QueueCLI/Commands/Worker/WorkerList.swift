import ArgumentParser
import QueueCore
import QueueFormatting
import QueueOperations

extension Worker {
    /// `queuectl worker list`: the registered workers.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List workers: id, pid, host, state, queues, current job and last heartbeat.",
            discussion: """
                State is idle, busy, stopping, or lost (no heartbeat within lease_timeout). QUEUES lists the
                queues a worker serves, or * when it serves every queue.
                --json prints an array of {"id","pid","host","state","queues","job","started_at","heartbeat_at"}.

                Example:
                  queuectl worker list
                  queuectl worker list --json
                """)

        @OptionGroup var global: GlobalOptions

        /// Print JSON instead of a table.
        @Flag(help: "Print a JSON array of worker objects.") var json = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let documents = try await global.withOperations(for: .read) { operations, _ in try await operations.workers() }
            let now = context.clock.now()
            let output = Output(context)
            if json {
                try output.json(documents)
                return
            }
            guard !documents.isEmpty else {
                output.line("no workers running")
                return
            }
            // Worker and job ids are copied from here into other commands: only the queue list gives way.
            output.table(
                [
                    TableColumn("ID", keepsWhole: true), TableColumn("PID"), TableColumn("HOST"), TableColumn("STATE"),
                    TableColumn("QUEUES", minimum: 3), TableColumn("JOB", keepsWhole: true), TableColumn("HEARTBEAT"),
                ],
                rows: documents.map { document in
                    let worker = document.worker
                    return [
                        TableCell(worker.id), TableCell(String(worker.pid)), TableCell(worker.host),
                        TableCell(document.state),
                        TableCell(worker.queues.isEmpty ? "*" : worker.queues.joined(separator: ",")),
                        TableCell(worker.job?.rawValue ?? "-"),
                        TableCell(RelativeTime.describe(worker.heartbeatAt, now: now)),
                    ]
                })
        }
    }
}
