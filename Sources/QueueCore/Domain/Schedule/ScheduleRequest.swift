import Foundation

/// What `schedule add` is asked for, before the schedule rules are checked: the fields of the command's flags,
/// or of the JSON body of `POST /api/schedules`. Both go through the same checks (`Operations.schedule`), so a
/// schedule the API accepts is one the command would accept.
public struct ScheduleRequest: Sendable, Equatable {
    /// The schedule's name, unchecked.
    public var name: String
    /// The cron expression, if the schedule runs by cron.
    public var cron: String?
    /// The interval text (`90`, `15m`), if the schedule runs every so often.
    public var every: String?
    /// The IANA zone of cron times; UTC when nil.
    public var timeZone: String?
    /// The job each tick enqueues (already checked: command, queue, priority, timeout, retries).
    public var job: JobSpec
    /// How messages name the fields: as the command's flags or as the body's keys.
    public var spelling: FieldSpelling

    /// How a request's messages name its fields, so each reads in the words its user typed.
    public enum FieldSpelling: Sendable, Equatable {
        /// The command's flags: `--cron`, `--max-retries`.
        case flags
        /// The JSON body's keys: `'cron'`, `'max_retries'`.
        case bodyKeys

        /// How messages call `field` (a body key such as `max_retries`).
        public func name(_ field: String) -> String {
            switch self {
            case .flags: "--" + field.replacingOccurrences(of: "_", with: "-")
            case .bodyKeys: "'\(field)'"
            }
        }

        /// `field` given `placeholder`, as an example in a message: `--every DURATION`, `--cron 'EXPR'` (`quoted`:
        /// a shell word with spaces) or `"cron": "EXPR"`.
        public func example(_ field: String, _ placeholder: String, quoted: Bool = false) -> String {
            switch self {
            case .flags: quoted ? "\(name(field)) '\(placeholder)'" : "\(name(field)) \(placeholder)"
            case .bodyKeys: "\"\(field)\": \"\(placeholder)\""
            }
        }
    }

    /// The fields a body may carry: those of one `schedule list --json` element that a user chooses.
    public static let knownFields: Set<String> = [
        "name", "cron", "every", "command", "queue", "priority", "timeout", "max_retries", "tz",
    ]

    /// A request from already-typed values (by default the command's flags).
    public init(
        name: String, cron: String?, every: String?, timeZone: String?, job: JobSpec, spelling: FieldSpelling = .flags
    ) {
        self.name = name
        self.cron = cron
        self.every = every
        self.timeZone = timeZone
        self.job = job
        self.spelling = spelling
    }

    /// The request in a JSON body such as `{"name": "nightly", "cron": "30 2 * * *", "command": "backup.sh"}`:
    /// an object with only `knownFields`, each of its type (`every` and `timeout` as whole seconds or a duration
    /// text like `15m`; null is as absent). Anything else is a usage error naming the field.
    public static func parse(body: Data) throws(QueueError) -> ScheduleRequest {
        let document = try JSONValue.parse(body, hint: false)
        guard case .object(let fields) = document else {
            throw .invalidInput(
                "the body must be a JSON object like {\"name\": \"nightly\", \"cron\": \"30 2 * * *\", \"command\": \"backup.sh\"}, "
                    + "not \(document.kindName)")
        }
        if let unknown = fields.keys.sorted().first(where: { !knownFields.contains($0) }) {
            throw .invalidInput(
                "unknown field '\(unknown.prefix(40))': a schedule takes \(knownFields.sorted().joined(separator: ", "))")
        }
        let body = JSONFields(fields: fields)
        guard let name = try body.string("name") else { throw .invalidInput("missing 'name': a schedule needs a name") }
        guard let command = try body.string("command") else {
            throw .invalidInput("missing 'command': a schedule needs the shell command each job runs")
        }
        let timeout: Int? =
            switch try body.duration("timeout") {
            case .seconds(let seconds)?: seconds
            case .text(let text)?:
                Int(try DurationValue(parsing: text, option: "'timeout'", maximum: Double(JobSpec.maximumTimeout), wholeSeconds: true).seconds)
            case nil: nil
            }
        let every: String? =
            switch try body.duration("every") {
            case .seconds(let seconds)?: String(seconds)
            case .text(let text)?: text
            case nil: nil
            }
        let job = try JobSpec(
            command: command, maxRetries: try body.integer("max_retries"), priority: try body.integer("priority") ?? 0,
            timeout: timeout, queue: try body.string("queue"))
        return ScheduleRequest(
            name: name, cron: try body.string("cron"), every: every, timeZone: try body.string("tz"), job: job,
            spelling: .bodyKeys)
    }
}
