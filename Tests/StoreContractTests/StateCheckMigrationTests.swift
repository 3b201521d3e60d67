import GRDB
import QueueCore
import QueueTestSupport
import Testing

@testable import QueueStoreSQLite

/// Migration 026 (SQLite): the job table's state CHECK without a list of six states. It accepts and refuses the same
/// states as before, keeps every row, and a run's end and the next claim no longer build a temporary table for it.
@Suite("Migration 026, state check without a list")
struct StateCheckMigrationTests {
    /// The table's text as stored.
    private func tableText(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'queuectl_job'") ?? ""
    }

    /// How many temporary tables `sql`'s main program opens on every execution: an `OpenEphemeral` up to its normal
    /// end that no `Once` or `IsNull` (a NULL unique key) just before it skips. Trigger programs, listed after the
    /// main one, are left out.
    private func unconditionalTemporaryTables(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Int {
        let program = try Row.fetchAll(db, sql: "EXPLAIN " + sql, arguments: arguments)
        var previous = ""
        var count = 0
        for row in program {
            let opcode: String = row["opcode"]
            if opcode == "Halt", row["p1"] as Int == 0 { break }
            if opcode == "OpenEphemeral", previous != "Once", previous != "IsNull" { count += 1 }
            previous = opcode
        }
        return count
    }

    /// What the database at `path` holds: the table's text, its integrity check, and the temporary tables a run's
    /// end and a claim open on every execution. Synchronous, so GRDB's blocking `read` is the one called.
    private func inspect(_ path: String) throws -> (text: String, integrity: [String], end: Int, claim: Int) {
        try DatabaseQueue(path: path).read { db in
            let claim = try SQLiteSQL.claimJob(for: "w1", queues: [], now: 1).build(db)
            let endValues = StatementArguments(Array(repeating: DatabaseValue.null, count: SQLiteSQL.RunEndParameter.allCases.count))
            return (
                try tableText(db), try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                try unconditionalTemporaryTables(db, SQLiteSQL.recordResult, endValues),
                try unconditionalTemporaryTables(db, claim.sql, claim.arguments)
            )
        }
    }

    @Test("a store at 025 gets the CHECK without a list: rows kept, every state allowed, others refused, no temporary table per run")
    func rewritesTheCheck() async throws {
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        let before = try SQLiteJobStore(path: path)
        try await before.enqueue([makeJob("a"), makeJob("b"), makeJob("c")])
        _ = try await before.claimJobs(registering: ["w0"], now: testEpoch)
        await before.close()
        try SQLiteSchema.execute(MigrationRollback.statements(backTo: 25, on: .sqlite), inDatabaseAt: path)
        let old = try inspect(path)
        #expect(old.text.contains(SQLiteMigrations.stateCheckWithList))
        #expect(old.end == 1 && old.claim == 1)

        let after = try SQLiteJobStore(path: path)
        let new = try inspect(path)
        #expect(!new.text.contains(SQLiteMigrations.stateCheckWithList))
        #expect(new.text.contains(SQLiteMigrations.stateCheckWithoutList))
        #expect(new.integrity == ["ok"])
        #expect(new.end == 0 && new.claim == 0)
        #expect(try await after.job(try JobID("a"))?.state == .processing)
        #expect(try await after.job(try JobID("c"))?.state == .pending)

        // Every state the store knows is still allowed (a job that holds a worker exactly while processing), and
        // any other is refused, by the database itself.
        for state in JobState.allCases {
            let worker = state == .processing ? "'w9'" : "NULL"
            try SQLiteSchema.execute(
                ["UPDATE queuectl_job SET state = '\(state.rawValue)', worker = \(worker) WHERE id = 'b'"], inDatabaseAt: path)
            #expect(try await after.job(try JobID("b"))?.state == state)
        }
        #expect(throws: DatabaseError.self) {
            try SQLiteSchema.execute(["UPDATE queuectl_job SET state = 'paused' WHERE id = 'c'"], inDatabaseAt: path)
        }
        #expect(throws: DatabaseError.self) {
            try SQLiteSchema.execute(["UPDATE queuectl_job SET state = 'Pending' WHERE id = 'c'"], inDatabaseAt: path)
        }
        #expect(try await after.job(try JobID("c"))?.state == .pending)

        // The job claimed before the migration ends as usual, and the next one is claimed.
        let running = try #require(try await after.job(try JobID("a")))
        let result = RunResult(job: running, outcome: .succeeded, policy: RetryPolicy(base: 2, maximum: 60), now: testEpoch)
        #expect(try await after.recordResult(result, of: try #require(JobClaim(running))))
        #expect(try await after.job(try JobID("a"))?.state == .completed)
        #expect(try await after.claimJobs(registering: ["w2"], now: testEpoch).map(\.id) == [try JobID("c")])
    }
}
