import Foundation
import QueueCore
import Testing

/// The counter increments one finished run adds.
@Suite("Run metrics")
struct RunMetricsTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func job(startedAfter delay: Double?) -> Job {
        Job(
            id: JobID(trusted: "j"), command: "true", maxRetries: 0, runAt: start, state: .processing, attempts: 1,
            createdAt: start, startedAt: delay.map { start.addingTimeInterval($0) }, worker: "w")
    }

    @Test("each finished run counts under exactly one outcome: completed, retried or dead")
    func outcomeCounters() {
        let end = start.addingTimeInterval(1)
        let outcomes = [RunMetrics.runsCompleted, RunMetrics.runsRetried, RunMetrics.runsDead]
        let expected: [(Disposition, String)] = [
            (.completed, RunMetrics.runsCompleted), (.retry(at: end), RunMetrics.runsRetried), (.dead, RunMetrics.runsDead),
        ]
        for (disposition, counter) in expected {
            let increments = RunMetrics.increments(job: job(startedAfter: 0), disposition: disposition, finishedAt: end)
            #expect(outcomes.map { increments[$0] ?? 0 } == outcomes.map { $0 == counter ? 1 : 0 }, "\(disposition)")
            // The outcome counters add up to the runs, as the run-duration histogram counts them.
            #expect(outcomes.map { increments[$0] ?? 0 }.reduce(0, +) == increments["run_duration_seconds_count"])
        }
    }

    @Test("histograms count the run in the one bin that holds its value, with sum and count")
    func histograms() {
        // Waited 0.2 s to start, ran 3 s.
        let increments = RunMetrics.increments(
            job: job(startedAfter: 0.2), disposition: .completed, finishedAt: start.addingTimeInterval(3.2))
        func bin(_ name: String, _ bound: Double) -> Double? {
            increments[RunMetrics.binName(name, upperBound: bound)]
        }
        #expect(bin(RunMetrics.runDuration, 1) == nil)
        #expect(bin(RunMetrics.runDuration, 5) == 1)
        #expect(bin(RunMetrics.runDuration, 3600) == nil)
        #expect(abs((increments["run_duration_seconds_sum"] ?? 0) - 3.0) < 1e-6)
        #expect(increments["run_duration_seconds_count"] == 1)
        #expect(bin(RunMetrics.pickupDelay, 0.1) == nil)
        #expect(bin(RunMetrics.pickupDelay, 0.5) == 1)
        #expect(abs((increments["pickup_delay_seconds_sum"] ?? 0) - 0.2) < 1e-6)
        // One outcome, one bin, a sum and a count per histogram.
        #expect(increments.count == 7)
        #expect(RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5) == "run_duration_seconds_bin:0.5")
    }

    @Test("a value on a bound is in that bound's bin; one above the last bound only in the sum and count")
    func binEdges() {
        let onBound = RunMetrics.increments(job: job(startedAfter: 0), disposition: .completed, runDuration: 0.5)
        #expect(onBound[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5)] == 1)
        #expect(onBound[RunMetrics.binName(RunMetrics.runDuration, upperBound: 1)] == nil)
        let beyond = RunMetrics.increments(job: job(startedAfter: 0), disposition: .completed, runDuration: 7200)
        #expect(beyond.keys.filter { $0.hasPrefix("run_duration_seconds_bin:") }.isEmpty)
        #expect(beyond["run_duration_seconds_count"] == 1)
        #expect(beyond["run_duration_seconds_sum"] == 7200)
    }

    @Test("cumulative buckets add up the bins at or below each bound")
    func cumulativeBuckets() {
        let counters: [String: Double] = [
            RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.005): 2,
            RunMetrics.binName(RunMetrics.runDuration, upperBound: 1): 3,
            RunMetrics.binName(RunMetrics.pickupDelay, upperBound: 0.001): 9,
        ]
        let buckets = RunMetrics.cumulativeBuckets(RunMetrics.runDuration, in: counters)
        #expect(buckets.map(\.upperBound) == RunMetrics.buckets)
        #expect(buckets.map(\.count) == RunMetrics.buckets.map { $0 < 0.005 ? 0 : $0 < 1 ? 2 : 5 })
    }

    @Test("a run that never started adds no histogram samples")
    func neverStarted() {
        let increments = RunMetrics.increments(job: job(startedAfter: nil), disposition: .dead, finishedAt: start)
        #expect(increments.keys.sorted() == [RunMetrics.runsDead])
    }

    @Test("a measured duration is used as given, not recomputed from the job's start instant")
    func measuredDuration() {
        // started_at came from another clock (a PostgreSQL server a year ahead of the worker).
        var job = job(startedAfter: 0)
        job.startedAt = start.addingTimeInterval(365 * 86400)
        let increments = RunMetrics.increments(job: job, disposition: .completed, runDuration: 0.3)
        #expect(abs((increments["run_duration_seconds_sum"] ?? 0) - 0.3) < 1e-9)
        #expect(increments[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.5)] == 1)
        #expect(increments[RunMetrics.binName(RunMetrics.runDuration, upperBound: 0.1)] == nil)
        let unknown = RunMetrics.increments(job: job, disposition: .retry(at: start), runDuration: nil)
        #expect(unknown["run_duration_seconds_count"] == nil, "a lost run has no duration sample")
        #expect(unknown["pickup_delay_seconds_count"] == 1)
    }

    @Test("the pickup delay of a job enqueued with a run_at in the past runs from its enqueue time")
    func pickupFromEnqueue() {
        let runAt = Date(timeIntervalSince1970: 1_000_000_000)  // 2001: years before it was enqueued
        let job = Job(
            id: JobID(trusted: "j"), command: "true", maxRetries: 0, runAt: runAt, state: .processing, attempts: 1,
            createdAt: start, startedAt: start.addingTimeInterval(0.25), worker: "w")
        let increments = RunMetrics.increments(job: job, disposition: .completed, runDuration: 1)
        #expect(abs((increments["pickup_delay_seconds_sum"] ?? 0) - 0.25) < 1e-6)
        #expect(increments[RunMetrics.binName(RunMetrics.pickupDelay, upperBound: 0.5)] == 1)
    }

    @Test("a run whose exit status is unknown is a failure with its own error text")
    func unknownStatus() {
        let result = RunResult(
            job: job(startedAfter: 0), outcome: .exitStatusUnknown, policy: RetryPolicy(base: 2, maximum: 60), now: start)
        #expect(result.disposition == .dead)
        #expect(result.exitCode == nil)
        #expect(result.lastError == "exit status unknown")
    }

    @Test("runs added up by cell give the counters their increments give one by one")
    func cellsAddUp() {
        // Runs of every outcome, with and without samples, several in one cell, one past the last bound.
        let tallies = [
            RunTally(outcome: .completed, runDuration: 0.0004, pickupDelay: 0.2),
            RunTally(outcome: .completed, runDuration: 0.0007, pickupDelay: 0.3),
            RunTally(outcome: .completed, runDuration: 7_200, pickupDelay: 0),
            RunTally(outcome: .retried, runDuration: 2, pickupDelay: 40),
            RunTally(outcome: .dead, runDuration: nil, pickupDelay: 1),
            RunTally(outcome: .snoozed, runDuration: 0.05, pickupDelay: 0.05),
            RunTally(outcome: .cancelled, runDuration: 12, pickupDelay: 0.001),
            RunTally(outcome: .cancelled),
        ]
        var oneByOne: [String: Double] = [:]
        for tally in tallies { oneByOne.merge(RunMetrics.increments(of: tally), uniquingKeysWith: +) }
        var byCell: [RunTally.Cell: (runs: Double, run: Double, pickup: Double)] = [:]
        for tally in tallies {
            let sums = byCell[tally.cell] ?? (0, 0, 0)
            byCell[tally.cell] = (sums.runs + 1, sums.run + (tally.runDuration ?? 0), sums.pickup + (tally.pickupDelay ?? 0))
        }
        #expect(byCell.count == tallies.count - 1)
        var added: [String: Double] = [:]
        for (cell, sums) in byCell {
            RunMetrics.add(cell, runs: sums.runs, runSeconds: sums.run, pickupSeconds: sums.pickup, to: &added)
        }
        #expect(Set(added.keys) == Set(oneByOne.keys))
        for (name, value) in oneByOne { #expect(abs((added[name] ?? -1) - value) < 1e-9, "\(name)") }
        #expect(added[RunMetrics.runsCompleted] == 3)
        #expect(added[RunMetrics.jobsCancelled] == 2)
        #expect(added["run_duration_seconds_count"] == 6)
        #expect(added["pickup_delay_seconds_count"] == 7)
        #expect(RunMetrics.bin(of: 7_200) == RunMetrics.buckets.count)
        #expect(RunMetrics.bin(of: 0.5) == RunMetrics.buckets.firstIndex(of: 0.5))
    }
}
