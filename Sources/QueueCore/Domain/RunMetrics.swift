import Foundation

/// The run counters every store keeps beside the jobs (table `queuectl_counter`), so whichever
/// process serves `/metrics` reports what every worker did. Counters only ever grow. A histogram is kept
/// as bins (each sample counted once, in the first bucket whose bound holds it) plus a sum and a count,
/// so one finished run adds to 7 counter rows, not the 33 that cumulative buckets would take;
/// `cumulativeBuckets` adds the bins up into the buckets Prometheus expects.
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
    ///
    /// The pickup delay runs from when the job became due to when it started: from `max(run_at,
    /// created_at)`, since a job enqueued with a `run_at` in the past was not waiting before it existed.
    public static func increments(job: Job, disposition: Disposition, runDuration: TimeInterval?) -> [String: Double] {
        var result: [String: Double] = [:]
        switch disposition {
        case .completed: result[runsCompleted] = 1
        case .retry: result[runsRetried] = 1
        case .dead: result[runsDead] = 1
        case .snooze: result[runsSnoozed] = 1
        case .cancelled:
            result[runsCancelled] = 1
            result[jobsCancelled] = 1
        }
        if let startedAt = job.startedAt {
            if let runDuration { observe(runDurationHistogram, max(0, runDuration), into: &result) }
            observe(pickupDelayHistogram, max(0, startedAt.timeIntervalSince(max(job.runAt, job.createdAt))), into: &result)
        }
        return result
    }

    private static func observe(_ histogram: Histogram, _ value: Double, into result: inout [String: Double]) {
        // Above the last bound: only in the sum and the count (Prometheus' `+Inf` bucket is the count).
        if let index = buckets.firstIndex(where: { value <= $0 }) {
            result[histogram.binNames[index], default: 0] += 1
        }
        result[histogram.sumName, default: 0] += value
        result[histogram.countName, default: 0] += 1
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
    }

    private static let runDurationHistogram = Histogram(runDuration)
    private static let pickupDelayHistogram = Histogram(pickupDelay)
}
