import Foundation

/// Validated enqueue input: what the user asked for, before config defaults and the clock fill the gaps.
public struct JobSpec: Sendable, Equatable {
    /// When the first run may happen.
    public enum Schedule: Sendable, Equatable {
        /// As soon as a worker is free.
        case immediately
        /// Not before this instant.
        case at(Date)
        /// Not before this many seconds after enqueue.
        case after(seconds: Double)
    }

    /// The job's id; a UUID is generated when nil.
    public var id: JobID?
    /// The shell command.
    public var command: String
    /// Retries after the first run; the config default when nil.
    public var maxRetries: Int?
    /// Higher runs first.
    public var priority: Int
    /// When the first run may happen.
    public var schedule: Schedule
    /// Seconds a run may take; the config default when nil; 0 means no limit.
    public var timeout: Int?
    /// The queue name.
    public var queue: String
    /// Exit codes after which the job goes straight to `dead` (sorted, no repeats).
    public var noRetryExitCodes: [Int32]
    /// While a job with this key waits or runs, enqueueing this spec adds nothing (`UniqueKey`); nil: no key.
    public var uniqueKey: String?
    /// The jobs this one waits for, as given (full ids or prefixes, no repeats): `Operations.enqueue` resolves
    /// them against the store and the jobs earlier in the batch (`JobDependencies`). Empty: none.
    public var after: [JobID]
    /// Notes for stderr about fields that were accepted but ignored.
    public var warnings: [String]

    /// The longest delay accepted, in seconds (ten years).
    public static let maximumDelay: Double = 315_360_000
    /// The longest timeout accepted, in seconds (a year).
    public static let maximumTimeout = 31_536_000

    /// Builds a spec from already-typed values (the `--command` flags), checking every rule.
    public init(
        id: String? = nil, command: String, maxRetries: Int? = nil, priority: Int = 0,
        schedule: Schedule = .immediately, timeout: Int? = nil, queue: String? = nil, noRetryExitCodes: [Int] = [],
        uniqueKey: String? = nil, after: [String] = []
    ) throws(QueueError) {
        self.id = try id.map { (value: String) throws(QueueError) in try JobID(value) }
        guard !command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("the command is empty: give the shell command to run")
        }
        guard !command.utf8.contains(0) else {
            throw .invalidInput("the command contains a NUL byte, which a shell command cannot hold")
        }
        self.command = command
        if let maxRetries, maxRetries < 0 || maxRetries > 1_000_000 {
            throw .invalidInput("max_retries must be a whole number from 0 to 1000000, got \(maxRetries)")
        }
        self.maxRetries = maxRetries
        guard (-Self.integerLimit...Self.integerLimit).contains(priority) else {
            throw .invalidInput(
                "priority must be a whole number from -\(Self.integerLimit) to \(Self.integerLimit), got \(priority)")
        }
        self.priority = priority
        switch schedule {
        case .after(let seconds) where !(seconds >= 0 && seconds <= Self.maximumDelay):
            throw .invalidInput("delay must be a number of seconds from 0 to 315360000, got \(seconds.plainText)")
        default: break
        }
        self.schedule = schedule
        if let timeout, timeout < 0 || timeout > Self.maximumTimeout {
            throw .invalidInput("timeout must be a whole number of seconds from 0 to 31536000 (0 = none), got \(timeout)")
        }
        self.timeout = timeout
        let queueName = queue ?? Job.defaultQueue
        guard JobSpec.isValidQueueName(queueName) else { throw JobSpec.invalidQueueName(queueName) }
        self.queue = queueName
        let isExitCode = { (code: Int) in Int32(exactly: code).map(QueueConfig.failureExitCodes.contains) == true }
        if let bad = noRetryExitCodes.first(where: { !isExitCode($0) }) {
            throw .invalidInput("no_retry_exit_codes must hold exit codes from 1 to 255, got \(bad)")
        }
        self.noRetryExitCodes = Set(noRetryExitCodes.compactMap { Int32(exactly: $0) }).sorted()
        self.uniqueKey = try uniqueKey.map { (key: String) throws(QueueError) in try UniqueKey.validated(key) }
        self.after = try JobDependencies.validated(after)
        self.warnings = []
    }

    /// Whether `name` is an acceptable queue name (the id rules).
    public static func isValidQueueName(_ name: String) -> Bool {
        JobID.isValid(name)
    }

    /// The usage error for a queue name that breaks the rules, stating all of them.
    public static func invalidQueueName(_ name: String) -> QueueError {
        .invalidInput(
            "invalid queue name '\(name.prefix(140))': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'")
    }

    /// The job this spec describes, enqueued at `now`, with `config` filling what the spec leaves open.
    public func resolved(config: QueueConfig, now: Date, makeID: () -> JobID = JobID.generate) -> Job {
        let runAt: Date =
            switch schedule {
            case .immediately: now
            case .at(let date): date
            case .after(let seconds): now.addingTimeInterval(seconds)
            }
        // Stores keep whole milliseconds; rounding here makes the printed job equal the stored one.
        let created = Timestamp.date(milliseconds: Timestamp.milliseconds(now))
        return Job(
            id: id ?? makeID(), command: command, maxRetries: maxRetries ?? config.maxRetries, priority: priority,
            runAt: Timestamp.date(milliseconds: Timestamp.milliseconds(runAt)), timeout: timeout ?? config.jobTimeout,
            queue: queue, createdAt: created, timeoutFromConfig: timeout == nil, noRetryExitCodes: noRetryExitCodes,
            uniqueKey: uniqueKey)
    }
}

extension JobSpec {
    /// Fields the queue manages: accepted on input only to be ignored, with a warning.
    static let managedFields: Set<String> = ["state", "attempts", "snoozes", "created_at", "updated_at"]
    /// Fields a job object may carry.
    static let knownFields: Set<String> = [
        "id", "command", "max_retries", "priority", "run_at", "delay", "timeout", "queue", "no_retry_exit_codes",
        "unique_key", "after",
    ]

    /// Parses one JSON object (the `enqueue '<json>'` form).
    public static func parseObject(_ text: String) throws(QueueError) -> JobSpec {
        let value = try JSONValue.parse(Data(text.utf8), hint: true)
        return try JobSpec(json: value, label: nil)
    }

    /// Parses a batch: a JSON object, a JSON array of objects, or JSON lines (one object a line; an object
    /// may span several lines). Any bad element rejects the whole batch, naming the element (`job 2:`,
    /// `line 3:`).
    ///
    /// An id given twice in the batch is bad input too, named at its second place (`job 3: id 'x' repeats the
    /// id of job 1 of this batch`): the store would only say that a job with that id exists, which `show`
    /// then denies, since nothing was enqueued.
    public static func parseBatch(_ data: Data) throws(QueueError) -> [JobSpec] {
        let documents = try JSONValue.parseSequence(data)
        guard let first = documents.first else { throw .invalidInput("no jobs given: the input is empty") }
        var specs: [JobSpec] = []
        var firstPlaces: [JobID: String] = [:]
        var firstKeyPlaces: [String: String] = [:]
        func append(_ spec: JobSpec, label: String) throws(QueueError) {
            if let key = spec.uniqueKey {
                if let earlier = firstKeyPlaces[key] {
                    throw .invalidInput(
                        "\(label): unique_key '\(key)' repeats the unique_key of \(earlier) of this batch; a batch may hold a key once")
                }
                firstKeyPlaces[key] = label
            }
            if let id = spec.id {
                if let earlier = firstPlaces[id] {
                    throw .invalidInput("\(label): id '\(id)' repeats the id of \(earlier) of this batch; give each job its own id")
                }
                firstPlaces[id] = label
            }
            specs.append(spec)
        }
        if documents.count == 1 {
            guard case .array(let elements) = first.value else { return [try JobSpec(json: first.value, label: nil)] }
            guard !elements.isEmpty else { throw .invalidInput("no jobs given: the array is empty") }
            specs.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                let label = "job \(index + 1)"
                try append(try JobSpec(json: element, label: label), label: label)
            }
            return specs
        }
        specs.reserveCapacity(documents.count)
        for document in documents {
            let label = "line \(document.line)"
            try append(try JobSpec(json: document.value, label: label), label: label)
        }
        return specs
    }

    /// The instant a `run_at` text names; `name` is how messages call the field (`'run_at'`, `--run-at`).
    /// Malformed text and impossible times (`2026-02-30`, `T25:00`, year 0) are usage errors.
    public static func runAt(_ text: String, name: String) throws(QueueError) -> Date {
        switch Timestamp.check(text) {
        case .success(let date):
            return date
        case .failure(.malformed):
            throw .invalidInput("\(name) must be an ISO-8601 time like 2026-11-23T10:30:00Z, got '\(text.prefix(60))'")
        case .failure(.impossible(let reason)):
            throw .invalidInput("\(name) must be a real time in the years 1970 to 9999, got '\(text.prefix(60))': \(reason)")
        }
    }

    /// The largest magnitude a whole-number field (`priority` above all) may have: well inside both
    /// stores' 64-bit integers and exactly representable in JSON readers that use doubles.
    public static let integerLimit = 9_000_000_000_000_000

    /// Builds a spec from a decoded JSON value, checking fields and types strictly.
    init(json: JSONValue, label: String?) throws(QueueError) {
        let prefix = label.map { "\($0): " } ?? ""
        guard case .object(let fields) = json else {
            throw .invalidInput("\(prefix)a job must be a JSON object like {\"command\": \"echo hi\"}")
        }
        var warnings: [String] = []
        for key in fields.keys.sorted() where !Self.knownFields.contains(key) {
            if Self.managedFields.contains(key) {
                warnings.append("\(prefix)ignoring '\(key)': it is managed by the queue")
            } else {
                throw .invalidInput(
                    "\(prefix)unknown field '\(key)': a job takes \(Self.knownFields.sorted().joined(separator: ", "))")
            }
        }
        let typed = JSONFields(fields: fields, prefix: prefix)
        func string(_ key: String) throws(QueueError) -> String? { try typed.string(key) }
        func integer(_ key: String) throws(QueueError) -> Int? { try typed.integer(key) }
        guard let command = try string("command") else {
            throw .invalidInput("\(prefix)missing 'command': a job needs the shell command to run")
        }
        var schedule = Schedule.immediately
        let runAtText = try string("run_at")
        var delay: Double?
        switch fields["delay"] {
        case nil, .null?: break
        case .number(let number)?: delay = number.value
        case let other?: throw .invalidInput("\(prefix)'delay' must be a number of seconds, got \(other.kindName)")
        }
        if let runAtText {
            guard delay == nil else { throw .invalidInput("\(prefix)give either 'run_at' or 'delay', not both") }
            schedule = .at(try Self.runAt(runAtText, name: "\(prefix)'run_at'"))
        } else if let delay {
            schedule = .after(seconds: delay)
        }
        // Read the typed fields first: their errors already carry the prefix.
        let id = try string("id")
        let maxRetries = try integer("max_retries")
        let priority = try integer("priority") ?? 0
        let timeout = try integer("timeout")
        let queue = try string("queue")
        let uniqueKey = try string("unique_key")
        var after: [String] = []
        switch fields["after"] {
        case nil, .null?: break
        case .array(let elements)?:
            for element in elements {
                guard case .string(let text) = element else {
                    throw .invalidInput("\(prefix)'after' must be an array of job ids, like [\"build\"]")
                }
                after.append(text)
            }
        case let other?:
            throw .invalidInput("\(prefix)'after' must be an array of job ids like [\"build\"], got \(other.kindName)")
        }
        var noRetryExitCodes: [Int] = []
        switch fields["no_retry_exit_codes"] {
        case nil, .null?: break
        case .array(let elements)?:
            for element in elements {
                guard case .number(let number) = element, number.isWhole, let code = number.integer else {
                    throw .invalidInput(
                        "\(prefix)'no_retry_exit_codes' must be an array of exit codes from 1 to 255, like [2, 64]")
                }
                noRetryExitCodes.append(code)
            }
        case let other?:
            throw .invalidInput(
                "\(prefix)'no_retry_exit_codes' must be an array of exit codes like [2, 64], got \(other.kindName)")
        }
        do {
            try self.init(
                id: id, command: command, maxRetries: maxRetries, priority: priority, schedule: schedule,
                timeout: timeout, queue: queue, noRetryExitCodes: noRetryExitCodes, uniqueKey: uniqueKey,
                after: after)
        } catch {
            throw .invalidInput(prefix + error.description)
        }
        self.warnings = warnings
    }
}
