import QueueFormatting

/// `queuectl show ID` on the fast path, for an exact id: every field, printed as `Show` prints it. A prefix of an
/// id, an unknown id, and (without `--json`) a job that waits for others decline: the full path resolves
/// prefixes, words the errors and reads the states of the jobs waited for.
struct FastPathShow {
    /// The job.
    private let job: FastPathJob

    /// Reads the job whose id is exactly `id`.
    init(database: FastPathDatabase, id: String, json: Bool) throws(FastPathDecline) {
        job = try database.read { () throws(FastPathDecline) -> FastPathJob in
            let statement = try database.prepare(FastPathSQL.job)
            try statement.bind(id, at: 1)
            guard try statement.step() else { throw FastPathDecline() }
            return try FastPathJob(statement, columns: try FastPathJob.Columns(statement))
        }
        guard json || job.after.isEmpty else { throw FastPathDecline() }
    }

    /// Appends the output: the job document with `json`, else `Show`'s `key: value` lines.
    func render(json: Bool, logsDirectory: String, into output: inout FastPathText) {
        let log = logsDirectory + "/" + job.id + ".log"
        if json {
            job.appendJSON(to: &output, logsDirectory: logsDirectory)
            output.append("\n")
            return
        }
        let now = FastPathTime.nowReferenceSeconds()
        func time(_ milliseconds: Int64?) -> String {
            guard let milliseconds else { return "-" }
            return FastPathTime.format(milliseconds) + " ("
                + RelativeTime.describe(secondsFromNow: FastPathTime.referenceSeconds(milliseconds) - now) + ")"
        }
        let attempts = String(job.attempts) + " of " + String(1 + job.maxRetries)
        let timeout = job.timeout == 0 ? "none" : String(job.timeout) + "s"
        let exitCodes = job.noRetryExitCodes.isEmpty ? "-" : job.noRetryExitCodes.map { String($0) }.joined(separator: ",")
        let exitCode = job.exitCode.map { String($0) } ?? "-"
        let duration = job.lastRunDuration.map(RunDuration.describe(seconds:)) ?? "-"
        var pairs: [(String, String)] = [("id", job.id), ("command", job.command), ("state", job.state)]
        pairs += [("attempts", attempts), ("snoozes", String(job.snoozes)), ("max_retries", String(job.maxRetries))]
        pairs += [("priority", String(job.priority)), ("queue", job.queue), ("run_at", time(job.runAt))]
        pairs += [("timeout", timeout), ("no_retry_exit_codes", exitCodes), ("after", "-"), ("waiting_for", "-")]
        pairs += [("exit_code", exitCode), ("last_error", job.lastError ?? "-"), ("created_at", time(job.createdAt))]
        pairs += [("updated_at", time(job.updatedAt)), ("started_at", time(job.startedAt))]
        pairs += [("finished_at", time(job.finishedAt)), ("duration", duration), ("worker", job.worker ?? "-")]
        pairs += [("last_worker", job.lastWorker ?? "-"), ("log", log)]
        output.appendLines(TextTable.keyValueLines(pairs.map { ($0, TableCell($1)) }))
    }
}
