import GRDB
import QueueCore

extension SQLiteJobStore {
    /// Writes the end of a run (a guarded UPDATE, `end` bound straight into its cached statement) and counts the
    /// run it wrote (`addRunTally`): as a cancelled run when a cancel request won. Returns whether the job ended
    /// `cancelled` that way, nil when the guard did not hold. The statement is `recordLostRun` for a lost run
    /// (`end.staleBefore`), else `recordYieldingResult` for a result that may yield to a cancel request, whose
    /// returned state says whether it did, else `recordResult`, which returns nothing: the state is the result's own.
    static func writeEnd(_ db: Database, _ end: SQLiteSQL.RunEndValues, of result: RunResult) throws -> Bool? {
        let returnsState = end.yields || end.staleBefore != nil
        let sql =
            end.staleBefore != nil
            ? SQLiteSQL.recordLostRun : end.yields ? SQLiteSQL.recordYieldingResult : SQLiteSQL.recordResult
        let statement = try SQLiteDirectStatement(db, sql: sql)
        end.bind(to: statement)
        let endedCancelled: Bool
        if returnsState {
            // SQLite makes every change of an UPDATE … RETURNING at its first step: the one row is all there is.
            guard try statement.step(db) else { return nil }
            let state = statement.text(0)
            statement.reset()
            endedCancelled = state == JobState.cancelled.rawValue && result.disposition != .cancelled
        } else {
            try statement.execute(db)
            // The rows the UPDATE itself changed (trigger changes are not counted): 0 when the claim no longer holds.
            guard db.changesCount > 0 else { return nil }
            endedCancelled = false
        }
        if let tally = endedCancelled ? result.cancelledTally : result.tally { try addRunTally(db, tally) }
        return endedCancelled
    }

    /// Adds a finished run to its row of `queuectl_run_tally` (migration 025), one upsert.
    static func addRunTally(_ db: Database, _ tally: RunTally) throws {
        let statement = try SQLiteDirectStatement(db, sql: SQLiteSQL.addRunTally)
        let cell = tally.cell
        statement.bind(1, cell.outcome.rawValue)
        statement.bind(2, cell.runBin ?? SQLiteSQL.noSampleBin)
        statement.bind(3, cell.pickupBin ?? SQLiteSQL.noSampleBin)
        statement.bind(4, tally.runDuration ?? 0)
        statement.bind(5, tally.pickupDelay ?? 0)
        try statement.execute(db)
    }

    /// Adds `increments` to the run counters (`SQLiteSQL.addToCounter`, once per counter: these are the counters
    /// that are not a run's, one or two at a time).
    static func addCounters(_ db: Database, _ increments: [String: Double]) throws {
        let statement = try SQLiteDirectStatement(db, sql: SQLiteSQL.addToCounter)
        for (name, amount) in increments {
            statement.bind(1, name)
            statement.bind(2, amount)
            try statement.execute(db)
        }
    }
}
