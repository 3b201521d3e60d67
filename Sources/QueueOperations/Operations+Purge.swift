import Foundation
import QueueCore

extension Operations {
    /// Deletes the finished jobs `selection` picks now (by `clock`), with their logs (files in `home`, and the stored
    /// logs of a store that keeps them), in short transactions (`JobPruner`), and returns their ids.
    public func purge(_ selection: PurgeSelection, home: QueueHome?) async throws -> [JobID] {
        let now = clock.now()
        var ids: [JobID] = []
        try await JobPruner(store: controlStore, home: home).prune(selection, now: now) { ids += $0 }
        return ids
    }

    /// The ids of the jobs `purge(_:home:)` would delete now, deleting nothing (`--dry-run`).
    public func purgeable(_ selection: PurgeSelection) async throws -> [JobID] {
        try await controlStore.purgeableJobIDs(selection, now: clock.now())
    }
}
