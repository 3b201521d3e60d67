import Foundation

/// The run counters every store keeps beside the jobs, so whichever process serves `/metrics` reports what every
/// worker did. Counters only ever grow. A histogram is kept as bins (each sample counted once, in the first bucket
/// whose bound holds it) plus a sum and a count, so one finished run adds to 7 counters, not the 33 that cumulative
/// buckets would take; `cumulativeBuckets` adds the bins up into the buckets Prometheus expects. A finished run is
/// a `RunTally`: PostgreSQL adds its increments to the counter rows, SQLite adds it to one row of runs alike
/// (`RunTally.Cell`).
public enum RunMetrics {
    // The five outcome counters partition the finished runs: each run adds 1 to exactly one of them, so
    // their sum is the number of runs (and equals the run-duration histogram's count).
    /// Finished runs that exited 0 (the job is completed).
    public static let runsCompleted = "runs_completed_total"
    /// Finished runs that failed and left the job to be retried (the job is failed, due again later).
    public static let runsRetried = "runs_retried_total"
    /// Finished runs that failed for the last time (the job is dead, in the DLQ).
    public static let runsDead = "runs_dead_total"
    /// Finished runs that were snoozed (exited with `snooze_exit_code`; the job is pending again, the run not
    /// counted as an attempt).
    public static let runsSnoozed = "runs_snoozed_total"
    /// Finished runs that were stopped by `cancel` (the job is cancelled).
    public static let runsCancelled = "runs_cancelled_total"
    /// Jobs that ended `cancelled`: waiting jobs cancelled at once and runs stopped by `cancel` (not a run
    /// outcome: a waiting job cancelled never ran).
    public static let jobsCancelled = "jobs_cancelled_total"
    /// The counters a release that ends the job `cancelled` adds (a cancel request for the run was stored):
    /// the job ended cancelled, but the run did not finish (no outcome counter, no duration sample).
    public static let cancelledReleaseIncrements: [String: Double] = [jobsCancelled: 1]
    /// How long runs took (seconds).
    public static let runDuration = "run_duration_seconds"
    /// How long a due job waited before a worker started it (seconds).
    public static let pickupDelay = "pickup_delay_seconds"

    /// Upper bounds of the histogram buckets, in seconds.
    public static let buckets: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800, 3600]

    /// The counter name of a histogram bin, e.g. `run_duration_seconds_bin:0.5`: the samples above the
    /// previous bound and at most `upperBound`.
    public static func binName(_ histogram: String, upperBound: Double) -> String {
        "\(histogram)_bin:\(upperBound.plainText)"
    }

    /// The cumulative buckets of `histogram` (samples at most each bound, in `buckets` order) from the
    /// stored counters.
    public static func cumulativeBuckets(_ histogram: String, in counters: [String: Double]) -> [(
        upperBound: Double, count: Double
    )] {
        var total = 0.0
        return buckets.map { bound in
            total += counters[binName(histogram, upperBound: bound)] ?? 0
            return (bound, total)
        }
    }

    /// The counter increments one finished run of `job` (as claimed) causes, its duration taken as
    /// `finishedAt - job.startedAt` (only meaningful when both come from one clock).
    public static func increments(job: Job, disposition: Disposition, finishedAt: Date) -> [String: Double] {
        increments(job: job, disposition: disposition, runDuration: job.startedAt.map { finishedAt.timeIntervalSince($0) })
    }

    /// The counter increments one finished run of `job` (as claimed) causes, given how long it ran
    /// (nil: unknown, no duration sample).
    public static func increments(job: Job, disposition: Disposition, runDuration: TimeInterval?) -> [String: Double] {
        increments(of: RunTally(job: job, disposition: disposition, runDuration: runDuration))
    }

    /// The counter increments of one finished run.
    public static func increments(of tally: RunTally) -> [String: Double] {
        var result: [String: Double] = [:]
        add(tally.cell, runs: 1, runSeconds: tally.runDuration ?? 0, pickupSeconds: tally.pickupDelay ?? 0, to: &result)
        return result
    }

    /// Adds to `counters` the increments of `runs` finished runs of one cell, whose samples add up to `runSeconds`
    /// and `pickupSeconds`: how a store that keeps runs by cell (SQLite's `queuectl_run_tally`) reports them.
    public static func add(
        _ cell: RunTally.Cell, runs: Double, runSeconds: Double, pickupSeconds: Double, to counters: inout [String: Double]
    ) {
        counters[cell.outcome.counterName, default: 0] += runs
        if cell.outcome == .cancelled { counters[jobsCancelled, default: 0] += runs }
        if let bin = cell.runBin { runDurationHistogram.add(bin: bin, runs: runs, sum: runSeconds, to: &counters) }
        if let bin = cell.pickupBin { pickupDelayHistogram.add(bin: bin, runs: runs, sum: pickupSeconds, to: &counters) }
    }

    /// The bin of `buckets` a sample falls in: the index of the first bound that holds it, `buckets.count` for a
    /// sample above the last bound (only in the sum and the count: Prometheus' `+Inf` bucket is the count).
    public static func bin(of value: TimeInterval) -> Int {
        buckets.firstIndex { value <= $0 } ?? buckets.count
    }

    /// A histogram's counter names, rendered once: every finished run adds to two histograms, and rendering a
    /// bound's text per run cost more than the rest of its increments.
    private struct Histogram: Sendable {
        let binNames: [String]
        let sumName: String
        let countName: String

        init(_ name: String) {
            binNames = RunMetrics.buckets.map { RunMetrics.binName(name, upperBound: $0) }
            sumName = "\(name)_sum"
            countName = "\(name)_count"
        }

        func add(bin: Int, runs: Double, sum: Double, to counters: inout [String: Double]) {
            if binNames.indices.contains(bin) { counters[binNames[bin], default: 0] += runs }
            counters[sumName, default: 0] += sum
            counters[countName, default: 0] += runs
        }
    }

    private static let runDurationHistogram = Histogram(runDuration)
    private static let pickupDelayHistogram = Histogram(pickupDelay)
}

/// One finished run as the run counters see it (`RunMetrics`): the outcome counter it adds 1 to, and its two
/// histogram samples (nil: none). A store adds `RunMetrics.increments(of:)` to its counters, or keeps runs by
/// `cell`, adding up their samples, and reports them through `RunMetrics.add`.
public struct RunTally: Sendable, Equatable {
    /// The outcome counters, which partition the finished runs.
    public enum Outcome: String, Sendable, CaseIterable {
        case completed, retried, dead, snoozed, cancelled

        /// The counter the outcome adds to (`RunMetrics.runsCompleted`, …).
        public var counterName: String {
            switch self {
            case .completed: RunMetrics.runsCompleted
            case .retried: RunMetrics.runsRetried
            case .dead: RunMetrics.runsDead
            case .snoozed: RunMetrics.runsSnoozed
            case .cancelled: RunMetrics.runsCancelled
            }
        }
    }

    /// The runs that add to the same counters: one outcome, one bin of each histogram (nil: no sample).
    public struct Cell: Sendable, Hashable {
        public var outcome: Outcome
        public var runBin: Int?
        public var pickupBin: Int?

        public init(outcome: Outcome, runBin: Int?, pickupBin: Int?) {
            self.outcome = outcome
            self.runBin = runBin
            self.pickupBin = pickupBin
        }
    }

    public var outcome: Outcome
    /// How long the run took (seconds); nil: unknown.
    public var runDuration: TimeInterval?
    /// How long the job waited, once due, before the run started (seconds); nil: the run never started.
    public var pickupDelay: TimeInterval?

    public init(outcome: Outcome, runDuration: TimeInterval? = nil, pickupDelay: TimeInterval? = nil) {
        self.outcome = outcome
        self.runDuration = runDuration
        self.pickupDelay = pickupDelay
    }

    /// The run of `job` (as claimed) that ended as `disposition` says after `runDuration` seconds (nil: unknown).
    /// The pickup delay runs from when the job became due to when it started: from `max(run_at, created_at)`,
    /// since a job enqueued with a `run_at` in the past was not waiting before it existed. A job that never
    /// started gives no samples.
    public init(job: Job, disposition: Disposition, runDuration: TimeInterval?) {
        switch disposition {
        case .completed: outcome = .completed
        case .retry: outcome = .retried
        case .dead: outcome = .dead
        case .snooze: outcome = .snoozed
        case .cancelled: outcome = .cancelled
        }
        guard let startedAt = job.startedAt else { return }
        self.runDuration = runDuration.map { max(0, $0) }
        pickupDelay = max(0, startedAt.timeIntervalSince(max(job.runAt, job.createdAt)))
    }

    /// The counters this run adds to.
    public var cell: Cell {
        Cell(outcome: outcome, runBin: runDuration.map(RunMetrics.bin), pickupBin: pickupDelay.map(RunMetrics.bin))
    }
}
