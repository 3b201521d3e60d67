import ArgumentParser
import QueueCore
import QueueFormatting
import QueueOperations

extension Queue {
    /// `queuectl queue list [--json]`: every queue that has jobs or settings.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every queue that has jobs or settings: jobs per state, paused, limit.",
            discussion: """
                --json prints an array of {"queue","pending","processing","completed","failed","dead",
                "cancelled","paused","limit"} (limit 0: none).

                Example:
                  queuectl queue list
                  queuectl queue list --json
                """)

        @OptionGroup var global: GlobalOptions

        /// Print JSON instead of a table.
        @Flag(help: "Print a JSON array of queue objects.") var json = false

        /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
        func run() async throws {
            let context = CommandContext.current
            let documents = try await global.withOperations(for: .read) { operations, _ in try await operations.queues() }
            let output = Output(context)
            if json {
                try output.json(documents)
                return
            }
            guard !documents.isEmpty else {
                output.line("no queues")
                return
            }
            let columns = [
                TableColumn("QUEUE", keepsWhole: true), TableColumn("PENDING"), TableColumn("PROCESSING"),
                TableColumn("COMPLETED"), TableColumn("FAILED"), TableColumn("DEAD"), TableColumn("CANCELLED"),
                TableColumn("PAUSED"), TableColumn("LIMIT"),
            ]
            let rows = documents.map { document in
                let queue = document.queue
                return [
                    TableCell(queue.name), TableCell(String(queue.counts.pending)),
                    TableCell(String(queue.counts.processing)), TableCell(String(queue.counts.completed)),
                    TableCell(String(queue.counts.failed)), TableCell(String(queue.counts.dead)),
                    TableCell(String(queue.counts.cancelled)), TableCell(queue.paused ? "yes" : "no"),
                    TableCell(queue.limit == 0 ? "-" : String(queue.limit)),
                ]
            }
            output.table(columns, rows: rows)
        }
    }
}
