import GRDB
import QueueTestSupport
import Testing

@testable import QueueStoreSQLite

/// The SQLite claim's statements kept per shape (`SQLiteClaimStatement`) say exactly what the claim's literal says.
@Suite("SQLite claim statements")
struct SQLiteClaimStatementTests {
    static let shapes: [(workers: [String], queues: [String], settings: SQLiteSQL.QueueSettingsPresence)] = [
        (["w1"], [], .none), (["w1"], [], .some), (["w1", "w2"], [], .none), (["w1", "w2", "w3"], [], .some),
        (["w1"], ["mail"], .none), (["w1"], ["mail", "batch"], .some), (["w2", "w1"], ["b", "a", "c"], .none),
        (["w1", "w2"], ["reports", "mail"], .some),
    ]

    @Test("a claim bound into its shape's statement has the text and values of the claim rendered for it")
    func sameAsRendered() throws {
        // The statements are prepared, so they need the schema: a migrated store's file.
        let directory = try TempDirectory()
        let path = directory.file("queue.db")
        _ = try SQLiteJobStore(path: path)
        try DatabaseQueue(path: path).read { db in
            for (workers, queues, settings) in Self.shapes {
                let canonical = SQLiteClaimStatement.canonicalQueues(queues)
                let shape = SQLiteClaimStatement.Shape(workers: workers.count, queues: canonical.count, settings: settings)
                let statement = try #require(try SQLiteClaimStatement.render(shape, db), "shape \(shape) has no statement")
                let now: Int64 = 1_765_000_000_123
                let (sql, arguments) = try SQLiteSQL.claimJobs(
                    for: workers, queues: canonical, now: now, queueSettings: settings
                ).build(db)
                #expect(statement.sql == sql, "shape \(shape)")
                let direct = try SQLiteDirectStatement(db, sql: statement.sql)
                statement.bind(to: direct, workers: workers, queues: canonical, now: now)
                let rendered = try db.makeStatement(sql: sql)
                try rendered.setArguments(arguments)
                let expanded = try #require(direct.expandedSQL)
                #expect(expanded == SQLiteDirectStatement(rendered).expandedSQL, "shape \(shape)")
            }
        }
    }

    @Test("queue names are taken as a sorted set, so one worker's list in any order shares one statement")
    func canonicalQueues() {
        #expect(SQLiteClaimStatement.canonicalQueues(["b", "a", "b", "c"]) == ["a", "b", "c"])
        #expect(SQLiteClaimStatement.canonicalQueues(["only"]) == ["only"])
        #expect(SQLiteClaimStatement.canonicalQueues([]) == [])
    }
}
