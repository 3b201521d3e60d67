import ArgumentParser
import Foundation
import QueueCore
import QueueOperations

/// `queuectl enqueue`: adds one job (JSON object, plain command, or flags) or a batch (`--file`, stdin).
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Add jobs to the queue.",
        discussion: """
            The job is given in one of five forms:
              a JSON object    queuectl enqueue '{"id":"job1","command":"sleep 2","max_retries":2}'
              a command        queuectl enqueue 'echo hello'   (any argument not starting with '{')
              options          queuectl enqueue --command 'make test' --priority 5 --delay 30
              a file           queuectl enqueue --file jobs.json   (an object, an array, or JSON lines)
              stdin            generate-jobs | queuectl enqueue -
            Prints each new job's id, one a line. A duplicate id fails (exit 1) and a batch is all-or-nothing.

            Example:
              queuectl enqueue 'echo hello'
              queuectl enqueue --command 'backup.sh' --id nightly --max-retries 5 --run-at 2026-11-23T02:00:00Z
              queuectl enqueue --command 'deploy.sh' --no-retry-exit-code 2 --no-retry-exit-code 64
              queuectl enqueue --id build 'make' && queuectl enqueue --after build 'make test'
            """)

    @OptionGroup var global: GlobalOptions

    /// The job: a JSON object, the command itself, or `-` for stdin.
    @Argument(help: ArgumentHelp("A JSON job object, the shell command to run, or - to read jobs from stdin.", valueName: "job"))
    var job: [String] = []

    /// The command, as an option.
    @Option(help: ArgumentHelp("The shell command to run (/bin/sh -c).", valueName: "command")) var command: String?

    /// The job's id.
    @Option(help: ArgumentHelp("The job id (1-128 of A-Z a-z 0-9 . _ -; default: a UUID).", valueName: "id"))
    var id: String?

    /// Retries after the first run.
    @Option(
        name: .customLong("max-retries"), parsing: .unconditional,
        help: ArgumentHelp("Retries after the first run (default: config max_retries).", valueName: "n"))
    var maxRetries: Int?

    /// Higher runs first.
    @Option(parsing: .unconditional, help: ArgumentHelp("Higher runs first (default 0).", valueName: "n"))
    var priority: Int?

    /// Not before this instant.
    @Option(name: .customLong("run-at"), help: ArgumentHelp("Not run before this ISO-8601 time.", valueName: "time"))
    var runAt: String?

    /// Not before this long from now.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Not run before this long from now: seconds (90) or 500ms, 30s, 15m, 2h, 7d.", valueName: "duration"))
    var delay: String?

    /// How long a run may take.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "How long a run may take, in whole seconds (90) or 30s, 15m, 2h, 7d; 0 = no limit (default: config job_timeout).",
            valueName: "duration"))
    var timeout: String?

    /// `--delay` in seconds (the range is `JobSpec`'s).
    private func delaySeconds() throws(QueueError) -> Double? {
        try DurationValue.seconds(of: delay, option: "--delay", maximum: JobSpec.maximumDelay)
    }

    /// `--timeout` in whole seconds (the range is `JobSpec`'s).
    private func timeoutSeconds() throws(QueueError) -> Int? {
        try DurationValue.seconds(of: timeout, option: "--timeout", maximum: Double(JobSpec.maximumTimeout), wholeSeconds: true)
            .map { Int($0) }
    }

    /// The queue.
    @Option(help: ArgumentHelp("The queue (default: default).", valueName: "queue")) var queue: String?

    /// Exit codes after which the job goes straight to dead.
    @Option(
        name: .customLong("no-retry-exit-code"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "An exit code (1-255) after which the job goes straight to dead, whatever retries are left (repeatable).",
            valueName: "code"))
    var noRetryExitCodes: [Int] = []

    /// The job's unique key.
    @Option(
        help: ArgumentHelp(
            "While a job with this key is pending, failed or processing, add nothing and print that job's id instead.",
            valueName: "key"))
    var uniqueKey: String?

    /// Jobs this one waits for.
    @Option(
        name: .customLong("after"),
        help: ArgumentHelp(
            "Run only after this job completed (repeatable; an id or a unique prefix). If it ends dead or cancelled, or is removed, this job is cancelled.",
            valueName: "id"),
        completion: .jobIDs)
    var after: [String] = []

    /// Read jobs from a file.
    @Option(help: ArgumentHelp("Read jobs from a file: a JSON object, a JSON array, or JSON lines.", valueName: "file"))
    var file: String?

    /// Print JSON instead of ids.
    @Flag(help: "Print the new job as a JSON object (an array for --file and stdin).") var json = false

    /// Where the jobs come from.
    enum Form {
        /// One job from a JSON object or from options.
        case single(JobSpec)
        /// A batch from a file or stdin (input not read yet).
        case batch(BatchSource)
    }

    /// Where a batch is read from.
    enum BatchSource {
        /// A file path.
        case file(String)
        /// The process's stdin (`enqueue -`).
        case standardInput
    }

    /// Decides the form from the arguments, rejecting mixtures (usage errors).
    func form() throws(QueueError) -> Form {
        guard job.count <= 1 else {
            throw .invalidInput(
                "give the job as one argument: quote the command, e.g. queuectl enqueue '\(job.joined(separator: " ").prefix(60))'")
        }
        let argument = job.first
        let usesJobOptions =
            id != nil || maxRetries != nil || priority != nil || runAt != nil || delay != nil || timeout != nil
            || queue != nil || !noRetryExitCodes.isEmpty || uniqueKey != nil || !after.isEmpty
        if let file {
            guard argument == nil else { throw .invalidInput("give either --file or a job argument, not both") }
            guard command == nil, !usesJobOptions else {
                throw .invalidInput("--file reads whole jobs from the file: put --command, --id, --priority etc. in the file")
            }
            return .batch(.file(file))
        }
        if argument == "-" {
            guard command == nil, !usesJobOptions else {
                throw .invalidInput("'-' reads whole jobs from stdin: put --command, --id, --priority etc. in the input")
            }
            return .batch(.standardInput)
        }
        if let argument, argument.drop(while: { $0.isWhitespace }).first == "{" {
            guard command == nil, !usesJobOptions else {
                throw .invalidInput(
                    "give the job either as a JSON object or with options, not both (to run a command starting with '{', use --command)")
            }
            return .single(try JobSpec.parseObject(argument))
        }
        if argument != nil, command != nil {
            throw .invalidInput("give the command either as an argument or with --command, not both")
        }
        guard let text = argument ?? command else {
            throw .invalidInput(
                "no job given: pass the command (queuectl enqueue 'echo hi'), --command, a JSON object, --file FILE or - for stdin")
        }
        return .single(try JobSpec(id: id, command: text, maxRetries: maxRetries, priority: priority ?? 0,
                                   schedule: try schedule(), timeout: try timeoutSeconds(), queue: queue,
                                   noRetryExitCodes: noRetryExitCodes, uniqueKey: uniqueKey, after: after))
    }

    /// `--run-at` / `--delay` as a schedule.
    private func schedule() throws(QueueError) -> JobSpec.Schedule {
        if let runAt {
            guard delay == nil else { throw .invalidInput("give either --run-at or --delay, not both") }
            return .at(try JobSpec.runAt(runAt, name: "--run-at"))
        }
        if let delay = try delaySeconds() { return .after(seconds: delay) }
        return .immediately
    }

    /// Reads and parses a batch; an unreadable file is a usage error (exit 2), like any other bad input.
    private func specs(from source: BatchSource, context: CommandContext) throws(QueueError) -> [JobSpec] {
        let data: Data
        switch source {
        case .file(let path):
            data = try Self.contents(ofFile: path)
        case .standardInput:
            do {
                data = try context.readStandardInput()
            } catch BoundedInput.Failure.tooLarge(let limit) {
                throw .invalidInput(BoundedInput.tooLargeMessage("stdin", limit: limit))
            } catch BoundedInput.Failure.system(let code) {
                throw .invalidInput("cannot read jobs from stdin: \(Self.reason(code))")
            } catch {
                throw .invalidInput("cannot read jobs from stdin: \(Self.reason(error))")
            }
        }
        return try JobSpec.parseBatch(data)
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).

    func run() async throws {
        let context = CommandContext.current
        let output = Output(context)
        let form = try form()
        let specs: [JobSpec]
        switch form {
        case .single(let spec): specs = [spec]
        case .batch(let source): specs = try self.specs(from: source, context: context)
        }
        let (result, home) = try await global.withOperations { operations, resolver in
            (try await operations.enqueue(specs), resolver.home)
        }
        let jobs = result.jobs
        // Only now: a rejected enqueue prints its one error line and no warning.
        for warning in result.warnings { output.warning(warning) }
        for note in result.alreadyQueued { output.note(note) }
        switch (form, json) {
        case (.single, true):
            if let first = jobs.first { try output.json(JobDocument(job: first, home: home)) }
        case (.batch, true):
            try output.json(output.documents(jobs, home: home))
        case (_, false):
            output.lines(jobs.map(\.id.rawValue))
        }
        if let reason = context.standardOutput.failure() {
            // The jobs are in the store: say so, or a script would enqueue them again.
            let what =
                jobs.count == 1
                ? "job '\(jobs[0].id)' was enqueued (see queuectl show \(jobs[0].id))"
                : "the \(jobs.count) jobs were enqueued (see queuectl list)"
            throw QueueError.operationFailed("cannot write to stdout (\(reason)), but \(what)")
        }
    }

    /// The contents of `path`; an empty name, a file that cannot be read or one over `BoundedInput.batchLimit` is a
    /// usage error naming the system's reason ("no such file or directory", "is a directory", "permission denied").
    private static func contents(ofFile path: String) throws(QueueError) -> Data {
        guard !path.isEmpty else { throw .invalidInput("--file needs a file name (or use - to read jobs from stdin)") }
        func cannotRead(_ code: Int32) -> QueueError {
            .invalidInput("cannot read jobs from '\(path)': \(reason(code))")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw cannotRead(errno) }
        defer { close(descriptor) }
        do throws(BoundedInput.Failure) {
            return try BoundedInput.contents(of: descriptor)
        } catch {
            switch error {
            case .tooLarge(let limit): throw .invalidInput(BoundedInput.tooLargeMessage("'\(path)'", limit: limit))
            case .system(let code): throw cannotRead(code)
            }
        }
    }

    /// A reading failure as the rest of a sentence.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return reason(Int32(nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(Int32(underlying.code))
        }
        return nsError.localizedDescription
    }

    /// The system's text for `code`, as the rest of a sentence ("no such file or directory").
    private static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }
}
