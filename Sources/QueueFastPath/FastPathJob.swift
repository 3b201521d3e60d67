import QueueFormatting

/// One job row as the fast path reads it (the fields of `Job` that `list` and `show` print), decoded by column
/// name from a statement that selects `FastPathSQL.jobColumns`, with `Job(row:)`'s conversions.
struct FastPathJob {
    var id: String
    var command: String
    var maxRetries: Int64
    var priority: Int64
    var runAt: Int64
    var timeout: Int64
    var queue: String
    var state: String
    var attempts: Int64
    var exitCode: Int64?
    var lastError: String?
    var createdAt: Int64
    var updatedAt: Int64
    var startedAt: Int64?
    var finishedAt: Int64?
    var worker: String?
    var lastWorker: String?
    var noRetryExitCodes: [Int32]
    var snoozes: Int64
    var uniqueKey: String?
    var after: [String]

    /// Where each column is in the rows of one statement.
    struct Columns {
        let id, command, maxRetries, priority, runAt, timeout, queue, state, attempts, exitCode, lastError: Int32
        let createdAt, updatedAt, startedAt, finishedAt, worker, lastWorker, noRetryExitCodes, snoozes: Int32
        let uniqueKey, after: Int32

        init(_ statement: FastPathStatement) throws(FastPathDecline) {
            id = try statement.index(of: "id")
            command = try statement.index(of: "command")
            maxRetries = try statement.index(of: "max_retries")
            priority = try statement.index(of: "priority")
            runAt = try statement.index(of: "run_at")
            timeout = try statement.index(of: "timeout")
            queue = try statement.index(of: "queue")
            state = try statement.index(of: "state")
            attempts = try statement.index(of: "attempts")
            exitCode = try statement.index(of: "exit_code")
            lastError = try statement.index(of: "last_error")
            createdAt = try statement.index(of: "created_at")
            updatedAt = try statement.index(of: "updated_at")
            startedAt = try statement.index(of: "started_at")
            finishedAt = try statement.index(of: "finished_at")
            worker = try statement.index(of: "worker")
            lastWorker = try statement.index(of: "last_worker")
            noRetryExitCodes = try statement.index(of: "no_retry_exit_codes")
            snoozes = try statement.index(of: "snoozes")
            uniqueKey = try statement.index(of: "unique_key")
            after = try statement.index(of: "after")
        }
    }

    /// The job on the statement's current row. A state this version does not know declines (the full path
    /// reports it).
    init(_ statement: FastPathStatement, columns: Columns) throws(FastPathDecline) {
        id = try statement.text(columns.id)
        command = try statement.text(columns.command)
        maxRetries = try statement.integer(columns.maxRetries)
        priority = try statement.integer(columns.priority)
        runAt = try statement.integer(columns.runAt)
        timeout = try statement.integer(columns.timeout)
        queue = try statement.text(columns.queue)
        state = try statement.text(columns.state)
        guard FastPathStatus.states.contains(state) else { throw FastPathDecline() }
        attempts = try statement.integer(columns.attempts)
        exitCode = try statement.optionalInteger(columns.exitCode).map { Int64(Int32(truncatingIfNeeded: $0)) }
        lastError = try statement.optionalText(columns.lastError)
        createdAt = try statement.integer(columns.createdAt)
        updatedAt = try statement.integer(columns.updatedAt)
        startedAt = try statement.optionalInteger(columns.startedAt)
        finishedAt = try statement.optionalInteger(columns.finishedAt)
        worker = try statement.optionalText(columns.worker)
        lastWorker = try statement.optionalText(columns.lastWorker)
        // `SQLiteSQL.exitCodes`.
        noRetryExitCodes = try statement.text(columns.noRetryExitCodes).split(separator: ",").compactMap { Int32($0) }
        snoozes = try statement.integer(columns.snoozes)
        uniqueKey = try statement.optionalText(columns.uniqueKey)
        after = try Self.jobIDs(try statement.text(columns.after))
    }

    /// A job just enqueued at `now` (milliseconds), as `JobSpec.resolved` makes it: pending, due now, no runs yet.
    init(pendingID id: String, command: String, maxRetries: Int64, timeout: Int64, queue: String, at now: Int64) {
        self.id = id
        self.command = command
        self.maxRetries = maxRetries
        priority = 0
        runAt = now
        self.timeout = timeout
        self.queue = queue
        state = "pending"
        attempts = 0
        createdAt = now
        updatedAt = now
        noRetryExitCodes = []
        snoozes = 0
        after = []
    }

    /// The ids of an `after` column as `SQLiteSQL.jobIDList` writes them (`["a","b"]`); any other text declines.
    private static func jobIDs(_ text: String) throws(FastPathDecline) -> [String] {
        guard text != "[]" else { return [] }
        guard text.hasPrefix("[\""), text.hasSuffix("\"]") else { throw FastPathDecline() }
        let ids = text.dropFirst(2).dropLast(2).split(separator: "\",\"", omittingEmptySubsequences: false).map(String.init)
        guard ids.allSatisfy(FastPathInvocation.isValidID) else { throw FastPathDecline() }
        return ids
    }

    /// Seconds the latest run took (`Job.lastRunDuration`), with the same floating-point steps as `Date`'s.
    var lastRunDuration: Double? {
        guard let startedAt, let finishedAt, finishedAt >= startedAt else { return nil }
        return FastPathTime.referenceSeconds(finishedAt) - FastPathTime.referenceSeconds(startedAt)
    }

    /// Appends the job's JSON document (`JobDocument`), its log under `logsDirectory`.
    func appendJSON(to output: inout FastPathText, logsDirectory: String) {
        output.append("{\"id\":")
        output.appendJSONString(id)
        output.append(",\"command\":")
        output.appendJSONString(command)
        output.append(",\"max_retries\":")
        output.append(maxRetries)
        output.append(",\"priority\":")
        output.append(priority)
        output.append(",\"run_at\":\"" + FastPathTime.format(runAt) + "\",\"timeout\":")
        output.append(timeout)
        output.append(",\"queue\":")
        output.appendJSONString(queue)
        output.append(",\"state\":\"" + state + "\",\"attempts\":")
        output.append(attempts)
        output.append(",\"exit_code\":")
        if let exitCode { output.append(exitCode) } else { output.append("null") }
        output.append(",\"last_error\":")
        output.appendJSONString(lastError)
        output.append(",\"created_at\":\"" + FastPathTime.format(createdAt) + "\",\"updated_at\":\"")
        output.append(FastPathTime.format(updatedAt) + "\",\"started_at\":")
        output.appendJSONString(startedAt.map(FastPathTime.format))
        output.append(",\"finished_at\":")
        output.appendJSONString(finishedAt.map(FastPathTime.format))
        output.append(",\"worker\":")
        output.appendJSONString(worker)
        output.append(",\"log\":")
        output.appendJSONString(logsDirectory + "/" + id + ".log")
        output.append(",\"last_worker\":")
        output.appendJSONString(lastWorker)
        output.append(",\"duration\":")
        if let duration = lastRunDuration {
            output.append(JSONText.plainNumber((duration * 1000).rounded() / 1000))
        } else {
            output.append("null")
        }
        output.append(",\"no_retry_exit_codes\":[")
        for (index, code) in noRetryExitCodes.enumerated() {
            if index > 0 { output.append(",") }
            output.append(Int64(code))
        }
        output.append("],\"snoozes\":")
        output.append(snoozes)
        output.append(",\"unique_key\":")
        output.appendJSONString(uniqueKey)
        output.append(",\"after\":[")
        for (index, dependency) in after.enumerated() {
            if index > 0 { output.append(",") }
            output.appendJSONString(dependency)
        }
        output.append("]}")
    }
}
