#if canImport(Glibc)
    import Glibc
#endif
import QueueFormatting

/// `queuectl status` on the fast path: the counts of `JobStore.counts` (the maintained per-state counts and the
/// workers whose lease is live by `lease_timeout`), printed as `Status` prints them.
struct FastPathStatus {
    /// The job states in `JobState`'s order.
    static let states = ["pending", "processing", "completed", "failed", "dead", "cancelled"]

    /// The count of each of `states`, in that order.
    private var counts = [Int64](repeating: 0, count: states.count)
    /// Workers holding a live lease.
    private var workers: Int64 = 0

    /// Reads the counts in one snapshot.
    init(database: FastPathDatabase) throws(FastPathDecline) {
        let now = FastPathClock.milliseconds()
        (counts, workers) = try database.read { () throws(FastPathDecline) -> ([Int64], Int64) in
            var counts = [Int64](repeating: 0, count: Self.states.count)
            let rows = try database.prepare(FastPathSQL.stateCounts)
            while try rows.step() {
                // A state this version does not know is skipped, as `SQLiteJobStore.counts` skips it.
                if let index = Self.states.firstIndex(of: try rows.text(0)) { counts[index] = try rows.integer(1) }
            }
            let live = try database.prepare(FastPathSQL.liveWorkerCount)
            try live.bind(now - (try Self.leaseTimeout(database)) * 1000, at: 1)
            guard try live.step() else { throw FastPathDecline() }
            return (counts, try live.integer(0))
        }
    }

    /// `lease_timeout` in seconds as `QueueConfig(stored:)` reads it: the stored whole number when it is in range,
    /// else the default (30). A stored text of any other shape declines.
    private static func leaseTimeout(_ database: FastPathDatabase) throws(FastPathDecline) -> Int64 {
        let statement = try database.prepare(FastPathSQL.configurationValue)
        try statement.bind("lease_timeout", at: 1)
        guard try statement.step() else { return 30 }
        let text = try statement.text(0)
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int64(text)
        else { throw FastPathDecline() }
        return (3...86_400).contains(value) ? value : 30
    }

    /// Appends the output: `{"pending":0,…,"workers":0}` with `json`, else the table `Output.table` prints.
    func render(json: Bool, into output: inout FastPathText) {
        if json {
            output.append("{")
            for (index, state) in Self.states.enumerated() {
                output.append("\"" + state + "\":")
                output.append(counts[index])
                output.append(",")
            }
            output.append("\"workers\":")
            output.append(workers)
            output.append("}\n")
            return
        }
        var rows = Self.states.indices.map { index in [TableCell(Self.states[index]), TableCell(String(counts[index]))] }
        rows.append([TableCell("workers"), TableCell(String(workers))])
        output.appendTable(TextTable.columns(headers: ["STATE", "COUNT"]), rows: rows)
    }
}
