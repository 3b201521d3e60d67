import CQueueSpawn
import Foundation
import Synchronization

/// One guardian process per worker process (`qc_guardian_start`): it shares with the worker a table of
/// the live job process groups. A job's own child stores its pgid in the entry it was given before it
/// runs any code; the process thread clears the entry after it killed the rest of the group and before
/// it reaps the leader, so a remembered pgid can never be a recycled one. When the worker dies, however
/// it dies, the guardian reads end of file on a pipe and SIGKILLs every group still in the table.
///
/// `PR_SET_PDEATHSIG` alone is not enough: it is set on `/bin/sh` only and its children do not inherit it,
/// so `sleep 1000 &` in a job would outlive a `kill -9` of the worker (the only one left to notice
/// would be another worker's recovery, and there may be none). The guardian costs one fork per worker
/// process; a job start or end is a store into shared memory, which wakes no other process.
final class JobGuardian: Sendable {
    /// One entry of the table, lent to one job group from its start until it is done.
    struct Entry: @unchecked Sendable {
        fileprivate let index: Int
        /// Where the job's child stores its pgid (nil: no guardian runs).
        let address: UnsafeMutablePointer<Int32>?
    }

    /// How many job groups one worker process can have at once under the guardian's protection.
    static let capacity = 65_536

    /// The write end of the guardian's pipe (close-on-exec), or -1 when no guardian could be started.
    let descriptor: Int32
    /// The guardian's pid, 0 when none runs.
    let pid: pid_t
    /// Never changes; its entries are only written with atomic stores (the C side), by the job's child and
    /// by whoever gives an entry back.
    private nonisolated(unsafe) let table: UnsafeMutablePointer<Int32>?
    /// Entries not lent out, and the lowest never lent (so only the table's first pages are touched).
    private let free = Mutex<(returned: [Int], untouched: Int)>(([], 0))

    /// The guardian of this process, forked on first use.
    static let shared = JobGuardian()

    private init() {
        var descriptor: Int32 = -1
        var pid: pid_t = 0
        var table: UnsafeMutablePointer<Int32>?
        if qc_guardian_start(Self.capacity, &descriptor, &pid, &table) == 0 {
            self.descriptor = descriptor
            self.pid = pid
            self.table = table
        } else {
            self.descriptor = -1
            self.pid = 0
            self.table = nil
        }
    }

    /// An entry for a group about to start; its `address` is nil when no guardian runs or every entry is lent.
    func lend() -> Entry {
        guard let table else { return Entry(index: -1, address: nil) }
        let index = free.withLock { free -> Int in
            if let index = free.returned.popLast() { return index }
            guard free.untouched < Self.capacity else { return -1 }
            free.untouched += 1
            return free.untouched - 1
        }
        return Entry(index: index, address: index >= 0 ? table + index : nil)
    }

    /// The group of `entry` is done (killed, its leader not yet reaped), or never started: the guardian
    /// forgets it and the entry can be lent again.
    func giveBack(_ entry: Entry) {
        guard let address = entry.address else { return }
        qc_guardian_forget(address)
        free.withLock { $0.returned.append(entry.index) }
    }
}
