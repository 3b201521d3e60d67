#if canImport(Glibc)
    import Glibc
#endif

/// `queuectl enqueue CMD` on the fast path: one job from a plain command argument (with `--id`, `--queue`,
/// `--json`), stored as `Operations.enqueue` stores it (defaults from the store's `max_retries` and `job_timeout`,
/// due now, a random UUID for its id), in one fsynced IMMEDIATE transaction, followed by the wake-up of idle
/// workers and, on a large WAL, the checkpoint `SQLiteJobStore.close()` makes.
///
/// It declines before its transaction commits, so a declined enqueue wrote nothing: on a taken id (the full path
/// words the conflict), on stored defaults of a shape it does not read, and on any error. The home must exist
/// with its `logs/` and `workers/` (the full path creates them).
struct FastPathEnqueue {
    /// The job as stored.
    let job: FastPathJob

    /// Stores the job.
    init(database: FastPathDatabase, invocation: FastPathInvocation) throws(FastPathDecline) {
        guard let command = invocation.jobCommand else { throw FastPathDecline() }
        let id = invocation.id ?? Self.randomUUID()
        let defaults = try database.read { () throws(FastPathDecline) -> (maxRetries: Int64, timeout: Int64) in
            (
                try Self.setting(database, key: "max_retries", default: 3, range: 0...1_000_000),
                try Self.setting(database, key: "job_timeout", default: 0, range: 0...31_536_000)
            )
        }
        let now = FastPathClock.milliseconds()
        job = FastPathJob(
            pendingID: id, command: command, maxRetries: defaults.maxRetries, timeout: defaults.timeout,
            queue: invocation.queue ?? "default", at: now)
        try database.write { () throws(FastPathDecline) in
            let insert = try database.prepare(FastPathSQL.insertPendingJob)
            try insert.bind(job.id, at: 1)
            try insert.bind(job.command, at: 2)
            try insert.bind(job.maxRetries, at: 3)
            try insert.bind(now, at: 4)
            try insert.bind(job.timeout, at: 5)
            try insert.bind(job.queue, at: 6)
            guard try !insert.step(), database.changes == 1 else { throw FastPathDecline() }
            try database.execute(FastPathSQL.countInsertedPending)
        }
    }

    /// A stored integer setting as `QueueConfig(stored:)` reads it: the stored whole number when in `range`, else
    /// `default`; a stored text of any other shape than plain digits declines.
    static func setting(
        _ database: FastPathDatabase, key: String, default defaultValue: Int64, range: ClosedRange<Int64>
    ) throws(FastPathDecline) -> Int64 {
        let statement = try database.prepare(FastPathSQL.configurationValue)
        try statement.bind(key, at: 1)
        guard try statement.step() else { return defaultValue }
        let text = try statement.text(0)
        guard !text.isEmpty, text.utf8.count <= 9,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int64(text)
        else { throw FastPathDecline() }
        return range.contains(value) ? value : defaultValue
    }

    /// A random (version 4) UUID in lower case, as `JobID.generate()` makes ids.
    static func randomUUID() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the output: the job's id, or its JSON document with `json`.
    func render(json: Bool, logsDirectory: String, into output: inout FastPathText) {
        if json {
            job.appendJSON(to: &output, logsDirectory: logsDirectory)
            output.append("\n")
        } else {
            output.append(job.id + "\n")
        }
    }
}
