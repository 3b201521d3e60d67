/// `queuectl list` on the fast path: the jobs of `SQLiteSQL.jobs` for the filter, printed as `List` prints them
/// (a JSON array of job documents, or `JobTable`'s table, `no jobs` when empty).
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
        let columns = [
            FastPathTable.Column(header: "ID", keepsWhole: true), FastPathTable.Column(header: "STATE"),
            FastPathTable.Column(header: "ATTEMPTS"), FastPathTable.Column(header: "PRI"),
            FastPathTable.Column(header: "QUEUE", cap: 12, minimum: 5), FastPathTable.Column(header: "TIME"),
            FastPathTable.Column(header: "COMMAND", minimum: 7),
        ]
        let now = FastPathTime.nowReferenceSeconds()
        let rows = jobs.map { job in
            [
                job.id, job.state, String(job.attempts) + "/" + String(1 + job.maxRetries), String(job.priority), job.queue,
                FastPathTime.relative(Self.shownTime(of: job), now: now), job.command,
            ]
        }
        FastPathTable.render(columns, rows: rows, into: &output, available: FastPathTable.defaultColumns)
    }

    /// `JobTable`'s TIME: when a waiting job is due, or when any other job last changed.
    private static func shownTime(of job: FastPathJob) -> Int64 {
        switch job.state {
        case "pending", "failed": job.runAt
        case "processing": job.startedAt ?? job.updatedAt
        default: job.finishedAt ?? job.updatedAt
        }
    }
}
