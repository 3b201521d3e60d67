import Foundation
import QueueCore

extension SQLiteSQL {
    /// The condition that keeps a job waiting for its dependencies out of the claim (migration 19): it has no
    /// unfinished dependency. Part of the claim indexes' predicate, so the claim and `nextDueTime` repeat it
    /// word for word (SQLite uses a partial index only for a query whose WHERE contains its condition as written).
    static let notWaiting = "waiting_on = 0"

    /// How the `after` column holds a job's dependencies: a JSON array of ids (`["a","b"]`; `[]`: none), which
    /// the triggers of migration 19 read with `json_each`. Ids are letters, digits, `.`, `_` and `-` only
    /// (`JobID`), so they need no escaping.
    static func jobIDList(_ ids: [JobID]) -> String {
        "[" + ids.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
    }

    /// The ids of an `after` column (entries that are not ids, which this store never writes, skipped).
    static func jobIDs(_ text: String) -> [JobID] {
        guard text != "[]", let ids = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return ids.filter(JobID.isValid).map(JobID.init(trusted:))
    }
}
