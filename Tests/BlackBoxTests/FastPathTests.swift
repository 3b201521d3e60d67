import Foundation
import QueueCore
import QueueTestSupport
import Testing

/// The start-up fast path of `status`, `list` and `show` (issue 16) against the full command line: every
/// invocation runs twice, once as it comes and once with `QUEUECTL_FAST_PATH=0`, and the two must print the same
/// stdout and stderr and exit alike, and leave the store as it was. `QUEUECTL_FAST_PATH=trace` proves which runs
/// the fast path took.
@Suite("the start-up fast path of status, list and show")
struct FastPathTests {
    /// A store with jobs of every state and shape: unicode, control characters, a long command, queues,
    /// priorities, a unique key, a dependency, finished runs with a duration, a live worker.
    static func populatedStore(_ backend: TestBackend) async throws -> CLI {
        let cli = try await CLI(backend)
        let day = "86400"
        try await cli.run("enqueue", "--id", "plain", "--command", "echo hello", "--delay", day).expectSuccess()
        try await cli.run("enqueue", "--id", "unicode", "--queue", "q1", "--priority", "10", "--command",
            "echo héllo wörld 🎉 日本語", "--delay", day).expectSuccess()
        try await cli.run("enqueue", "--id", "controls", "--queue", "q2", "--priority", "-5", "--command",
            "printf '\u{1B}[31mred\u{7F}\tand\nmore\u{85}'", "--delay", day).expectSuccess()
        try await cli.run("enqueue", "--id", "long", "--queue", "a-very-long-queue-name-indeed", "--max-retries", "0",
            "--timeout", "30", "--command", "echo " + String(repeating: "x", count: 300), "--delay", day).expectSuccess()
        try await cli.run("enqueue", "--id", "unique", "--unique-key", "nightly", "--command", "make \"report\" \\ now",
            "--delay", day).expectSuccess()
        try await cli.run("enqueue", "--id", "waits", "--after", "plain", "--after", "unicode", "--command", "true",
            "--delay", day).expectSuccess()
        for index in 1...30 {
            try await cli.run("enqueue", "--id", "bulk-\(index)", "--queue", index % 2 == 0 ? "q1" : "q2", "--command",
                "echo \(index)", "--delay", day).expectSuccess()
        }
        try await cli.makeFinishedJobs(["done-1", "done-2"], age: 2 * 86_400)
        try await cli.makeFinishedJobs(["gone"], state: .dead, age: 3 * 86_400)
        try await cli.makeDeadJobs(["dead-now"])
        try await cli.makeFailedAndProcessingJobs(failed: "failing", processing: "running")
        return cli
    }

    /// The invocations compared: the fast path's forms and neighbours it must decline.
    static let invocations: [[String]] = [
        ["status"], ["status", "--json"], ["list"], ["list", "--json"], ["list", "--limit", "20"],
        ["list", "--state", "pending"], ["list", "--state", "dead", "--state", "failed", "--json"],
        ["list", "--queue", "q1", "--limit", "2", "--offset", "1"], ["list", "--queue", "q1", "--queue", "q2", "--json"],
        ["list", "--limit", "0"], ["list", "--offset", "1000"], ["list", "--state", "cancelled"],
        ["list", "--json", "--state", "processing"], ["list", "--state", "PENDING"], ["list", "--state", "sleeping"],
        ["list", "--queue", "a/b"], ["list", "--limit", "-1"], ["list", "--limit=3"], ["list", "--limit", "2", "--limit", "3"],
        ["show", "plain"], ["show", "plain", "--json"], ["show", "--json", "unicode"], ["show", "unicode"],
        ["show", "controls"], ["show", "controls", "--json"], ["show", "long"], ["show", "long", "--json"],
        ["show", "unique", "--json"], ["show", "unique"], ["show", "waits"], ["show", "waits", "--json"],
        ["show", "done-1"], ["show", "done-1", "--json"], ["show", "gone"], ["show", "dead-now", "--json"],
        ["show", "failing"], ["show", "running", "--json"], ["show", "runn"], ["show", "bulk"], ["show", "nosuch"],
        ["show", "bad/id"], ["show"], ["show", "plain", "unicode"], ["status", "--help"], ["status", "--json", "--json"],
        ["status", "--home", ""], ["status", "--verbose"],
    ]

    @Test("every invocation prints and exits as the full command line does", arguments: TestBackend.all)
    func sameAsFullPath(backend: TestBackend) async throws {
        let cli = try await Self.populatedStore(backend)
        let before = try await cli.run(["list", "--json"], environment: ["QUEUECTL_FAST_PATH": "0"])
        for arguments in Self.invocations {
            try await expectSameResults(cli, arguments)
        }
        let after = try await cli.run(["list", "--json"], environment: ["QUEUECTL_FAST_PATH": "0"])
        #expect(after.stdout == before.stdout, "the store changed")
    }

    @Test("an empty store and a missing home answer as the full command line does", arguments: TestBackend.all)
    func emptyStore(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        for arguments in [["status"], ["status", "--json"], ["list"], ["list", "--json"], ["show", "nosuch"]] {
            try await expectSameResults(cli, arguments)
        }
        try await cli.run("enqueue", "--id", "one", "true").expectSuccess()
        try await cli.run("remove", "one").expectSuccess()
        for arguments in [["status"], ["status", "--json"], ["list"], ["list", "--json"], ["show", "one"]] {
            try await expectSameResults(cli, arguments)
        }
    }

    @Test("a home another account could change is refused by the full command line's words")
    func unsafeHome() async throws {
        let cli = try await Self.populatedStore(.sqlite)
        #expect(chmod(cli.home, 0o770) == 0)
        defer { _ = chmod(cli.home, 0o700) }
        for arguments in [["status"], ["list", "--json"], ["show", "plain"]] {
            let result = try await expectSameResults(cli, arguments)
            result.expectError(status: 1, mentioning: ["chmod go-w"])
        }
    }

    @Test("the common forms take the fast path on SQLite, and PostgreSQL never does", arguments: TestBackend.all)
    func fastPathTaken(backend: TestBackend) async throws {
        let cli = try await Self.populatedStore(backend)
        // Fixtures that grow the WAL past the size at which the full path checkpoints it when it closes the store
        // make the fast path leave that to it (declining) while no other process has the store open: one full run
        // checkpoints it first.
        try await cli.run(["status"], environment: ["QUEUECTL_FAST_PATH": "0"]).expectSuccess()
        let common: [([String], String)] = [
            (["status"], "status"), (["status", "--json"], "status"), (["list", "--limit", "20"], "list"),
            (["list", "--json", "--state", "pending", "--queue", "q1"], "list"), (["show", "plain"], "show"),
            (["show", "done-1", "--json"], "show"),
        ]
        for (arguments, command) in common {
            let traced = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": "trace"])
            #expect(traced.status == 0, "\(traced)")
            let expected = backend == .sqlite ? "queuectl: fast path: \(command)\n" : ""
            #expect(traced.stderr == expected, "\(arguments): \(traced)")
        }
        // Declined forms leave no trace: the full path ran.
        for arguments in [["show", "runn"], ["list", "--state", "PENDING"], ["show", "waits"]] {
            let traced = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": "trace"])
            #expect(!traced.stderr.contains("fast path"), "\(arguments): \(traced)")
        }
        let off = try await cli.run(["status"], environment: ["QUEUECTL_FAST_PATH": "0"])
        #expect(!off.stderr.contains("fast path"), "\(off)")
    }

    @Test("with the store open in another process, a WAL past the checkpoint size is read on the fast path and left as it is")
    func largeWALWhileOpenElsewhere() async throws {
        let cli = try await Self.populatedStore(.sqlite)
        let walPath = cli.databaseURL + "-wal"
        func walSize() throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: walPath)[.size] as? NSNumber)?.intValue ?? -1
        }
        // A process that keeps the store open grows its WAL past the size at which the full path checkpoints it
        // when it closes the store (as a draining worker does).
        var elsewhere: (any JobStore)? = try await TestBackend.sqlite.openStore(cli.databaseURL)
        try await elsewhere?.enqueue(makeJobs(5_000, prefix: "bulk-open"))
        let grown = try walSize()
        #expect(grown > 512 * 1024)
        for (arguments, command) in [(["status"], "status"), (["list", "--json"], "list"), (["show", "plain"], "show")] {
            let traced = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": "trace"])
            #expect(traced.status == 0 && traced.stderr == "queuectl: fast path: \(command)\n", "\(arguments): \(traced)")
        }
        let enqueued = try await cli.run(["enqueue", "--id", "while-open", "true"], environment: ["QUEUECTL_FAST_PATH": "trace"])
        #expect(enqueued.stderr == "queuectl: fast path: enqueue\n", "\(enqueued)")
        #expect(try walSize() >= grown, "a command checkpointed the WAL another process has open")

        // Once no other process has it open, the next command would read the whole WAL: the full path runs and
        // checkpoints it.
        elsewhere = nil
        let alone = try await cli.run(["status"], environment: ["QUEUECTL_FAST_PATH": "trace"])
        alone.expectSuccess()
        #expect(!alone.stderr.contains("fast path"), "\(alone)")
        #expect(try walSize() == 0)
        let fast = try await cli.run(["status"], environment: ["QUEUECTL_FAST_PATH": "trace"])
        #expect(fast.stderr == "queuectl: fast path: status\n", "\(fast)")
    }

    @Test("a store migrated by a newer queuectl is left to the full command line")
    func declinesUnknownSchema() async throws {
        let cli = try await Self.populatedStore(.sqlite)
        try await cli.run(["status"], environment: ["QUEUECTL_FAST_PATH": "0"]).expectSuccess()
        let taken = try await cli.run(["status"], environment: ["QUEUECTL_FAST_PATH": "trace"])
        #expect(taken.stderr == "queuectl: fast path: status\n", "\(taken)")
        try await TestBackend.sqlite.execute(
            rawSQL: ["INSERT INTO queuectl_migration (version, name, applied_at) VALUES (999, 'from_the_future', 0)"],
            on: cli.databaseURL)
        for arguments in [["status"], ["list", "--json"], ["show", "plain"]] {
            let traced = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": "trace"])
            traced.expectSuccess()
            try await expectSameResults(cli, arguments)
        }
    }

    @Test("the comparison forgives a second that passed between the runs and nothing else")
    func relativeTimesComparison() {
        let earlier = "created_at: 2026-12-06T19:14:43Z (15s ago)\nrun_at: x (in 59m)\nstarted: now\n"
        #expect(RelativeTimes.sameApartFromTheClock(earlier, earlier, secondsApart: 0))
        let later = "created_at: 2026-12-06T19:14:43Z (16s ago)\nrun_at: x (in 58m)\nstarted: 1s ago\n"
        #expect(RelativeTimes.sameApartFromTheClock(earlier, later, secondsApart: 0.6))
        let wrongAge = "created_at: 2026-12-06T19:14:43Z (45s ago)\nrun_at: x (in 59m)\nstarted: now\n"
        #expect(!RelativeTimes.sameApartFromTheClock(earlier, wrongAge, secondsApart: 0.6))
        let wrongText = "created_at: 2026-12-06T19:14:44Z (16s ago)\nrun_at: x (in 59m)\nstarted: now\n"
        #expect(!RelativeTimes.sameApartFromTheClock(earlier, wrongText, secondsApart: 0.6))
        let future = "created_at: 2026-12-06T19:14:43Z (15s ago)\nrun_at: x (in 2h)\nstarted: now\n"
        #expect(!RelativeTimes.sameApartFromTheClock(earlier, future, secondsApart: 0.6))
    }

    /// Runs `arguments` with and without the fast path and expects the same stdout, stderr and exit status.
    /// Human output shows times relative to now (`now`, `1s ago`, `in 59m`): when a second passes between the two
    /// runs they may differ by that alone, so a pair that differs is run again (up to four pairs). When the machine
    /// is so loaded that every pair straddles a second, the last pair still passes if its outputs are equal once
    /// each relative time is masked, and each pair of relative times lies within the pair's own wall-clock time
    /// (plus the unit the time was rounded down to) of each other: a wrong age or a different text still fails.
    @discardableResult
    func expectSameResults(_ cli: CLI, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> CLIResult
    {
        var pair: (fast: CLIResult, full: CLIResult, seconds: Double)?
        for _ in 0..<4 {
            let started = Date()
            let fast = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": nil])
            let full = try await cli.run(arguments, environment: ["QUEUECTL_FAST_PATH": "0"])
            pair = (fast, full, Date().timeIntervalSince(started))
            if fast.stdout == full.stdout, fast.stderr == full.stderr, fast.status == full.status { break }
        }
        let (fast, full, seconds) = try #require(pair)
        #expect(fast.status == full.status, "\(arguments): fast \(fast)\nfull \(full)", sourceLocation: sourceLocation)
        #expect(RelativeTimes.sameApartFromTheClock(fast.stdout, full.stdout, secondsApart: seconds),
            "\(arguments): fast \(fast)\nfull \(full)", sourceLocation: sourceLocation)
        #expect(fast.stderr == full.stderr, "\(arguments): fast \(fast)\nfull \(full)", sourceLocation: sourceLocation)
        return fast
    }
}

/// Human relative times (`now`, `15s ago`, `in 59m`) in two outputs taken some seconds apart.
enum RelativeTimes {
    /// The relative times in `text`, as seconds from now and the unit they were rounded down to, and `text` with
    /// each replaced by a mark.
    static func parse(_ text: String) -> (masked: String, times: [(seconds: Double, unit: Double)]) {
        let pattern = /now|in (\d+)([smhd])\b|\b(\d+)([smhd]) ago/
        var times: [(seconds: Double, unit: Double)] = []
        let masked = text.replacing(pattern) { match in
            let units: [Substring: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            if let amount = match.output.1, let unit = match.output.2.flatMap({ units[$0] }) {
                times.append((Double(amount).map { $0 * unit } ?? .nan, unit))
            } else if let amount = match.output.3, let unit = match.output.4.flatMap({ units[$0] }) {
                times.append((Double(amount).map { -$0 * unit } ?? .nan, unit))
            } else {
                times.append((0, 1))
            }
            return "<time>"
        }
        return (masked, times)
    }

    /// Whether `earlier` and `later` are the same text apart from relative times that a clock moving on for
    /// `secondsApart` explains.
    static func sameApartFromTheClock(_ earlier: String, _ later: String, secondsApart: Double) -> Bool {
        if earlier == later { return true }
        let (first, second) = (parse(earlier), parse(later))
        guard first.masked == second.masked, first.times.count == second.times.count else { return false }
        return zip(first.times, second.times).allSatisfy { one, other in
            abs(one.seconds - other.seconds) <= secondsApart.rounded(.up) + max(one.unit, other.unit)
        }
    }
}
