import Foundation
import QueueCore
import Testing

/// Parsing one job object: fields, defaults and every rejection message.
@Suite("Job spec parsing")
struct JobSpecTests {
    @Test("a full job object parses into every field")
    func fullObject() throws {
        let spec = try JobSpec.parseObject(
            #"{"id":"job1","command":"echo hello","max_retries":5,"priority":-2,"run_at":"2026-11-23T10:30:00Z","timeout":60,"queue":"mail"}"#
        )
        #expect(spec.id == (try JobID("job1")))
        #expect(spec.command == "echo hello")
        #expect(spec.maxRetries == 5)
        #expect(spec.priority == -2)
        #expect(spec.schedule == .at(try #require(Timestamp.parse("2026-11-23T10:30:00Z"))))
        #expect(spec.timeout == 60)
        #expect(spec.queue == "mail")
        #expect(spec.warnings.isEmpty)
    }

    @Test("a minimal object leaves the defaults open, and nulls count as absent")
    func minimalObject() throws {
        let spec = try JobSpec.parseObject(#"{"command":"true","id":null,"priority":null,"delay":null}"#)
        #expect(spec.id == nil)
        #expect(spec.maxRetries == nil)
        #expect(spec.priority == 0)
        #expect(spec.schedule == .immediately)
        #expect(spec.timeout == nil)
        #expect(spec.queue == "default")
    }

    @Test("a delay schedules the job that many seconds after enqueue")
    func delay() throws {
        let spec = try JobSpec.parseObject(#"{"command":"true","delay":30}"#)
        #expect(spec.schedule == .after(seconds: 30))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let job = spec.resolved(config: QueueConfig(), now: now)
        #expect(job.runAt == now.addingTimeInterval(30))
    }

    @Test("resolving fills retries and timeout from the config and keeps whole milliseconds")
    func resolved() throws {
        var config = QueueConfig()
        try config.set(.maxRetries, to: "7")
        try config.set(.jobTimeout, to: "90")
        let now = Date(timeIntervalSince1970: 1_800_000_000.123_456)
        let spec = try JobSpec.parseObject(#"{"command":"true","id":"x"}"#)
        let job = spec.resolved(config: config, now: now)
        #expect(job.id.rawValue == "x")
        #expect(job.maxRetries == 7)
        #expect(job.timeout == 90)
        #expect(job.state == .pending)
        #expect(job.attempts == 0)
        #expect(Timestamp.milliseconds(job.createdAt) == 1_800_000_000_123)
        #expect(job.createdAt == job.runAt)
        #expect(job.updatedAt == job.createdAt)
        // A job's own values win over the config.
        let own = try JobSpec.parseObject(#"{"command":"true","max_retries":0,"timeout":0}"#)
            .resolved(config: config, now: now)
        #expect(own.maxRetries == 0)
        #expect(own.timeout == 0)
    }

    @Test("a job without an id gets a fresh one")
    func generatedID() throws {
        let spec = try JobSpec.parseObject(#"{"command":"true"}"#)
        let a = spec.resolved(config: QueueConfig(), now: Date())
        let b = spec.resolved(config: QueueConfig(), now: Date())
        #expect(a.id != b.id)
        #expect(JobID.isValid(a.id.rawValue))
    }

    /// Inputs that must be rejected, with the exact one-line message the user sees.
    static let rejections: [(input: String, message: String)] = [
        (
            #"{"command":"x","colour":"red"}"#,
            "unknown field 'colour': a job takes after, command, delay, id, max_retries, no_retry_exit_codes, priority, queue, run_at, timeout, unique_key"
        ),
        (#"{"command":5}"#, "'command' must be a string, got a number"),
        (#"{"command":["ls"]}"#, "'command' must be a string, got an array"),
        (#"{"command":"x","id":7}"#, "'id' must be a string, got a number"),
        (#"{"command":"x","priority":"high"}"#, "'priority' must be a whole number, got a string"),
        (#"{"command":"x","priority":1.5}"#, "'priority' must be a whole number, got 1.5"),
        (#"{"command":"x","max_retries":true}"#, "'max_retries' must be a whole number, got a boolean"),
        (#"{"command":"x","timeout":{}}"#, "'timeout' must be a whole number, got an object"),
        (#"{"command":"x","delay":"soon"}"#, "'delay' must be a number of seconds, got a string"),
        (#"{"command":"x","run_at":5}"#, "'run_at' must be a string, got a number"),
        (#"{}"#, "missing 'command': a job needs the shell command to run"),
        (#"{"command":null}"#, "missing 'command': a job needs the shell command to run"),
        (#"{"command":""}"#, "the command is empty: give the shell command to run"),
        (#"{"command":"  \n "}"#, "the command is empty: give the shell command to run"),
        (
            #"{"command":"x","run_at":"2026-11-23T10:30:00Z","delay":5}"#,
            "give either 'run_at' or 'delay', not both"
        ),
        (
            #"{"command":"x","run_at":"tomorrow"}"#,
            "'run_at' must be an ISO-8601 time like 2026-11-23T10:30:00Z, got 'tomorrow'"
        ),
        (
            #"{"command":"x","id":"../x"}"#,
            "invalid job id '../x': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'"
        ),
        (
            #"{"command":"x","queue":"a b"}"#,
            "invalid queue name 'a b': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'"
        ),
        (#"{"command":"x","max_retries":-1}"#, "max_retries must be a whole number from 0 to 1000000, got -1"),
        (#"{"command":"x","delay":-1}"#, "delay must be a number of seconds from 0 to 315360000, got -1"),
        (
            #"{"command":"x","timeout":-5}"#,
            "timeout must be a whole number of seconds from 0 to 31536000 (0 = none), got -5"
        ),
        (#"["echo"]"#, #"a job must be a JSON object like {"command": "echo hi"}"#),
        (#"{"command":"a","command":"b"}"#, "duplicate field 'command' at column 16: give each field once"),
        (#"{"command":"x","priority":1,"priority":1}"#, "duplicate field 'priority' at column 29: give each field once"),
        (
            #"{"command":"x","priority":9007199254740993}"#,
            "'priority' is out of range: expected a whole number from -9000000000000000 to 9000000000000000, got 9007199254740993"
        ),
        (
            #"{"command":"x","priority":-1e30}"#,
            "'priority' is out of range: expected a whole number from -9000000000000000 to 9000000000000000, got -1e30"
        ),
        (
            #"{"command":"x","run_at":"2026-02-30T00:00:00Z"}"#,
            "'run_at' must be a real time in the years 1970 to 9999, got '2026-02-30T00:00:00Z': February 2026 has 28 days"
        ),
        (
            #"{"command":"x","queue":".x"}"#,
            "invalid queue name '.x': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'"
        ),
        (#"{"command":"x","after":"build"}"#, #"'after' must be an array of job ids like ["build"], got a string"#),
        (#"{"command":"x","after":[7]}"#, #"'after' must be an array of job ids, like ["build"]"#),
        (
            #"{"command":"x","after":["a b"]}"#,
            "after: invalid job id 'a b': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'"
        ),
    ]

    @Test("'after' takes job ids, keeps their order and drops repeats; none is an empty list")
    func afterField() throws {
        let spec = try JobSpec.parseObject(#"{"command":"x","after":["build","test","build"]}"#)
        #expect(spec.after == [JobID(trusted: "build"), JobID(trusted: "test")])
        #expect(try JobSpec.parseObject(#"{"command":"x","after":null}"#).after.isEmpty)
        #expect(try JobSpec.parseObject(#"{"command":"x"}"#).after.isEmpty)
    }

    @Test("bad job input is rejected as a usage error with a message naming the problem", arguments: rejections)
    func rejected(input: String, message: String) {
        #expect(throws: QueueError.invalidInput(message)) { try JobSpec.parseObject(input) }
        #expect(QueueError.invalidInput(message).exitCode == 2)
    }

    @Test("malformed JSON is a usage error that suggests --command")
    func malformedJSON() {
        do {
            _ = try JobSpec.parseObject(#"{"command": "echo"#)
            Issue.record("malformed JSON was accepted")
        } catch {
            #expect(error.isUsage)
            #expect(error.description.hasPrefix("invalid JSON: "))
            #expect(error.description.hasSuffix("(to enqueue a command that starts with '{', use --command)"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("managed fields are accepted with a warning each and otherwise ignored")
    func managedFields() throws {
        let spec = try JobSpec.parseObject(
            #"{"command":"x","state":"dead","attempts":9,"created_at":"2020-01-01T00:00:00Z","updated_at":1}"#)
        #expect(
            spec.warnings == [
                "ignoring 'attempts': it is managed by the queue",
                "ignoring 'created_at': it is managed by the queue",
                "ignoring 'state': it is managed by the queue",
                "ignoring 'updated_at': it is managed by the queue",
            ])
        let job = spec.resolved(config: QueueConfig(), now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(job.state == .pending)
        #expect(job.attempts == 0)
    }

    @Test("no_retry_exit_codes is read as an array of exit codes, sorted without repeats; snoozes is managed")
    func noRetryExitCodes() throws {
        let spec = try JobSpec.parseObject(#"{"command":"x","no_retry_exit_codes":[64, 2, 64],"snoozes":4}"#)
        #expect(spec.noRetryExitCodes == [2, 64])
        #expect(spec.warnings == ["ignoring 'snoozes': it is managed by the queue"])
        let job = spec.resolved(config: QueueConfig(), now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(job.noRetryExitCodes == [2, 64])
        #expect(job.snoozes == 0)
        #expect(try JobSpec.parseObject(#"{"command":"x"}"#).noRetryExitCodes == [])
        #expect(try JobSpec.parseObject(#"{"command":"x","no_retry_exit_codes":null}"#).noRetryExitCodes == [])
    }

    @Test("a bad no_retry_exit_codes is rejected with one line naming the field", arguments: [
        (#"{"command":"x","no_retry_exit_codes":64}"#, "'no_retry_exit_codes' must be an array of exit codes like [2, 64], got a number"),
        (#"{"command":"x","no_retry_exit_codes":["2"]}"#, "'no_retry_exit_codes' must be an array of exit codes from 1 to 255, like [2, 64]"),
        (#"{"command":"x","no_retry_exit_codes":[2.5]}"#, "'no_retry_exit_codes' must be an array of exit codes from 1 to 255, like [2, 64]"),
        (#"{"command":"x","no_retry_exit_codes":[0]}"#, "no_retry_exit_codes must hold exit codes from 1 to 255, got 0"),
        (#"{"command":"x","no_retry_exit_codes":[256]}"#, "no_retry_exit_codes must hold exit codes from 1 to 255, got 256"),
        (#"{"command":"x","no_retry_exit_codes":[99999999999]}"#, "no_retry_exit_codes must hold exit codes from 1 to 255, got 99999999999"),
    ])
    func badNoRetryExitCodes(json: String, message: String) {
        #expect(throws: QueueError.invalidInput(message)) { try JobSpec.parseObject(json) }
    }

    @Test("the flag form checks the same rules as JSON")
    func flagForm() throws {
        #expect(throws: QueueError.invalidInput("the command is empty: give the shell command to run")) {
            try JobSpec(command: "")
        }
        #expect(throws: QueueError.invalidInput("the command contains a NUL byte, which a shell command cannot hold")) {
            try JobSpec(command: "echo \u{0}")
        }
        let spec = try JobSpec(id: "a.b", command: "ls", maxRetries: 0, priority: 3, schedule: .after(seconds: 1.5))
        #expect(spec.id?.rawValue == "a.b")
        #expect(spec.schedule == .after(seconds: 1.5))
    }

    /// Malformed JSON and the exact message: what is wrong and where.
    static let syntaxErrors: [(input: String, message: String)] = [
        (#"{"command": "echo"#, "unterminated string (a closing '\"' is missing) at column 13"),
        (#"{"command": "echo hi",}"#, "expected a key in double quotes, found '}' at column 23"),
        (#"{"command" "x"}"#, "expected ':' after the key, found '\"' at column 12"),
        (#"{"command": 'x'}"#, "unexpected ''' at column 13"),
        (#"{"command": "x"} {"#, "unexpected '{' after the JSON value at column 18"),
        ("{\"command\": \"a\u{1}b\"}", "a control character (U+0001) must be escaped in a string at column 15"),
        (#"{"command": "\q"}"#, #"invalid escape \q in a string at column 14"#),
        (#"{"command": "\ud800"}"#, #"invalid \u escape: a lone surrogate at column 14"#),
        (#"{"command": 01}"#, "a number cannot have a leading zero at column 13"),
        (#"{"command": 1e999}"#, "the number 1e999 is out of range at column 13"),
        (#"{"command": tru}"#, "unexpected 't' at column 13"),
        ("{\n  \"command\": \"x\",\n  \"id\": nope\n}", "unexpected 'n' at line 3, column 9"),
        ("{\"command\": \"é\", ü}", "expected a key in double quotes, found 'ü' at column 18"),
    ]

    @Test("malformed JSON is refused with what is wrong and where", arguments: syntaxErrors)
    func syntaxError(input: String, message: String) {
        #expect(
            throws: QueueError.invalidInput(
                "invalid JSON: \(message) (to enqueue a command that starts with '{', use --command)")
        ) {
            try JobSpec.parseObject(input)
        }
    }

    @Test("escapes, surrogate pairs and whole numbers written with an exponent are read exactly")
    func exactValues() throws {
        let spec = try JobSpec.parseObject(#"{"command":"a\u00e9\ud83d\ude00\n\"\/","priority":3e2,"max_retries":2.0}"#)
        #expect(spec.command == "aé😀\n\"/")
        #expect(spec.priority == 300)
        #expect(spec.maxRetries == 2)
        #expect(try JobSpec.parseObject("\u{FEFF}{\"command\":\"bom\"}").command == "bom")
    }

    @Test("nesting deeper than 512 levels is refused, not a crash")
    func deepNesting() {
        #expect(throws: QueueError.invalidInput("invalid JSON: arrays and objects nest deeper than 512 levels at column 513")) {
            try JobSpec.parseBatch(Data(String(repeating: "[", count: 100_000).utf8))
        }
    }

    @Test("--priority is held to the same range as JSON")
    func priorityRange() {
        #expect(
            throws: QueueError.invalidInput(
                "priority must be a whole number from -9000000000000000 to 9000000000000000, got 9223372036854775807")
        ) { try JobSpec(command: "x", priority: Int.max) }
        #expect(
            throws: QueueError.invalidInput(
                "priority must be a whole number from -9000000000000000 to 9000000000000000, got -9223372036854775808")
        ) { try JobSpec(command: "x", priority: Int.min) }
    }
}
