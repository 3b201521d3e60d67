import QueueFormatting

/// `queuectl list` on the fast path: the jobs of `SQLiteSQL.jobs` for the filter, printed as `List` prints them
/// (a JSON array of job documents, or the table of `JobTableLayout`, `no jobs` when empty).
struct FastPathList {
    /// The jobs, in enqueue order.
    private let jobs: [FastPathJob]

    /// Reads the page of jobs `invocation` asks for.
    init(database: FastPathDatabase, invocation: FastPathInvocation) throws(FastPathDecline) {
        jobs = try database.read { () throws(FastPathDecline) -> [FastPathJob] in
            let statement = try database.prepare(
                FastPathSQL.jobs(stateCount: invocation.states.count, queueCount: invocation.queues.count))
            var position: Int32 = 1
            for value in invocation.states + invocation.queues {
                try statement.bind(value, at: position)
                position += 1
            }
            try statement.bind(invocation.limit ?? -1, at: position)
            try statement.bind(invocation.offset ?? 0, at: position + 1)
            var jobs: [FastPathJob] = []
            guard try statement.step() else { return jobs }
            let columns = try FastPathJob.Columns(statement)
            repeat {
                jobs.append(try FastPathJob(statement, columns: columns))
            } while try statement.step()
            return jobs
        }
    }

    /// Appends the output.
    func render(json: Bool, logsDirectory: String, into output: inout FastPathText) {
        if json {
            output.append("[")
            for (index, job) in jobs.enumerated() {
                if index > 0 { output.append(",") }
                job.appendJSON(to: &output, logsDirectory: logsDirectory)
            }
            output.append("]\n")
            return
        }
        guard !jobs.isEmpty else {
            output.append("no jobs\n")
            return
        }
        let now = FastPathTime.nowReferenceSeconds()
        let rows = jobs.map { job in
            let shown = JobTableLayout.shownInstant(
                state: job.state, runAt: job.runAt, startedAt: job.startedAt, finishedAt: job.finishedAt,
                updatedAt: job.updatedAt)
            return JobTableLayout.row(
                id: job.id, state: TableCell(job.state), attempts: Int(job.attempts), maxRetries: Int(job.maxRetries),
                priority: Int(job.priority), queue: job.queue,
                time: RelativeTime.describe(secondsFromNow: FastPathTime.referenceSeconds(shown) - now), lastError: nil,
                command: job.command)
        }
        output.appendTable(JobTableLayout.columns(lastError: false), rows: rows)
    }
}
