import CQueueSQLite
import GRDB
import QueueCore
import Synchronization

/// The claim (`SQLiteSQL.claimJobs`) of one shape as constant text, with where each of its bound values comes
/// from, so a claim binds its values into a statement the writer prepared once, instead of rendering the GRDB `SQL`
/// literal anew (text of about 2 KB from dozens of pieces, then hashed for the statement cache) on the single
/// writer's thread for every job.
///
/// The text is rendered once per shape by the very function the literal comes from, with placeholder values
/// (`Placeholder`); which bound value is which placeholder is read back from the rendered arguments. So the
/// statement's text keeps one source, `SQLiteSQL.claimJobs` and the pieces it is made of. A rendering whose
/// text contains a placeholder (a value spliced as text instead of bound) is not used: such a shape keeps
/// rendering the literal per claim, which is always right.
///
/// GRDB has no prepared statement with named slots filled per call from an `SQL` literal, hence this.
struct SQLiteClaimStatement: Sendable {
    /// What makes two claims' texts equal: how many workers ask, how many distinct queues they serve (the
    /// claim takes them as a sorted set, `canonicalQueues`), and whether any queue has settings.
    struct Shape: Hashable, Sendable {
        let workers: Int
        let queues: Int
        let settings: SQLiteSQL.QueueSettingsPresence
    }

    /// Where one bound value comes from.
    enum Source: Sendable, Equatable {
        /// The claim's instant.
        case now
        /// The i-th worker id.
        case worker(Int)
        /// The i-th of the sorted, distinct queue names.
        case queue(Int)
        /// The same for every claim of the shape (e.g. a LIMIT, a position).
        case fixed(DatabaseValue)
    }

    /// The statement's text.
    let sql: String
    /// The source of each bound value, in order.
    let sources: [Source]
    /// Where each job column is in the statement's rows.
    let columns: SQLiteJobColumns

    /// Binds the values of one claim to `statement` (this claim's prepared text), in the order of `sources`.
    func bind(to statement: SQLiteDirectStatement, workers: [String], queues: [String], now: Int64) {
        for (offset, source) in sources.enumerated() {
            let index = Int32(offset + 1)
            switch source {
            case .now: statement.bind(index, now)
            case .worker(let position): statement.bind(index, workers[position])
            case .queue(let position): statement.bind(index, queues[position])
            case .fixed(let value): statement.bind(index, value)
            }
        }
    }

    /// The queue names a claim passes: the distinct names of `queues`, sorted (the claim takes them as a set).
    static func canonicalQueues(_ queues: [String]) -> [String] {
        queues.count < 2 ? queues : Set(queues).sorted()
    }

    // MARK: Rendering

    /// Values no claim passes, that stand for the real ones while the text of a shape is rendered. Ids and names
    /// start with a control character no worker id or queue name holds; the instant is far before 1970.
    enum Placeholder {
        static let now: Int64 = -7_205_759_403_792_793_599
        static let marker = "\u{1}queuectl-claim-placeholder-"
        static func worker(_ index: Int) -> String { marker + "worker-" + zeroPadded(index) }
        static func queue(_ index: Int) -> String { marker + "queue-" + zeroPadded(index) }
        /// Padded so that the placeholders sort in index order, as real names are sorted by `canonicalQueues`.
        private static func zeroPadded(_ index: Int) -> String {
            let digits = String(index)
            return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        }
    }

    /// The statement of `shape`, rendered on first use and kept for the process's life (a process claims in
    /// a handful of shapes). Nil for a shape whose rendering could not be used (see the type's note).
    static func statement(for shape: Shape, _ db: Database) throws -> SQLiteClaimStatement? {
        if let known = rendered.withLock({ $0[shape] }) { return known }
        let statement = try render(shape, db)
        rendered.withLock { $0[shape] = statement }
        return statement
    }

    private static let rendered = Mutex<[Shape: SQLiteClaimStatement?]>([:])

    /// Renders `SQLiteSQL.claimJobs` for `shape` with placeholder values and maps its bound values back to
    /// their sources.
    static func render(_ shape: Shape, _ db: Database) throws -> SQLiteClaimStatement? {
        let workers = (0..<shape.workers).map(Placeholder.worker)
        let queues = (0..<shape.queues).map(Placeholder.queue)
        let literal = SQLiteSQL.claimJobs(
            for: workers, queues: queues, now: Placeholder.now, queueSettings: shape.settings)
        let (sql, arguments) = try literal.build(db)
        guard !sql.contains(Placeholder.marker), !sql.contains(String(Placeholder.now.magnitude)) else { return nil }
        let statement = try db.cachedStatement(sql: sql)
        let count = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
        let values = try boundValues(arguments, count: count, db)
        var sources: [Source] = []
        for value in values {
            if value == Placeholder.now.databaseValue {
                sources.append(.now)
            } else if let text = String.fromDatabaseValue(value), text.hasPrefix(Placeholder.marker) {
                if let index = workers.firstIndex(of: text) {
                    sources.append(.worker(index))
                } else if let index = queues.firstIndex(of: text) {
                    sources.append(.queue(index))
                } else {
                    return nil
                }
            } else {
                sources.append(.fixed(value))
            }
        }
        // Every value a claim passes must reach the statement; otherwise some are used in another form.
        let used = Set(sources.compactMap { source -> String? in
            switch source {
            case .now: "now"
            case .worker(let index): "w\(index)"
            case .queue(let index): "q\(index)"
            case .fixed: nil
            }
        })
        guard used.contains("now"), (0..<shape.workers).allSatisfy({ used.contains("w\($0)") }),
            (0..<shape.queues).allSatisfy({ used.contains("q\($0)") })
        else { return nil }
        return SQLiteClaimStatement(sql: sql, sources: sources, columns: SQLiteJobColumns(statement.columnNames))
    }

    /// The values of `arguments` (GRDB keeps them to itself), read back by binding them to a `SELECT` of
    /// `count` parameters.
    private static func boundValues(_ arguments: StatementArguments, count: Int, _ db: Database) throws -> [DatabaseValue] {
        guard count > 0 else { return [] }
        guard let row = try Row.fetchOne(db, sql: SQLiteSQL.selectParameters(count), arguments: arguments) else { return [] }
        return (0..<count).map { row[$0] as DatabaseValue }
    }
}
