import CQueueSQLite

/// The settings SQLite takes only for the whole process and only before it starts (its first connection): all
/// are applied once, by the first `SQLiteJobStore` opened. In a process that had already opened a database (a
/// command the fast path declined after opening the file), SQLite refuses them (SQLITE_MISUSE) and keeps its
/// defaults: only that command's statements are slower, nothing else differs.
///
/// **Memory statistics off.** queuectl never reads them, and keeping them takes a global mutex around every
/// allocation SQLite makes, of which a claim makes dozens (4% of the store benchmark's samples were that mutex).
///
/// **Page caches take their memory a page at a time, as they need it.**
///
/// SQLite's default gives every page cache room for 20 pages at its first page, about 86 KB in one block, and
/// writes a header into each slot. That includes the cache of every temporary table a statement opens (a
/// materialized CTE, an `IN` list, the sorter of an ORDER BY, an automatic index), and a claim opens several, more
/// while a queue is held (the per-queue walk of `SQLiteSQL+HeldQueues.swift`). When the statement ends those
/// blocks are freed together; lying at the top of the heap, past glibc's trim threshold (128 KB unless glibc has
/// raised it after freeing a large block), they go back to the system, and the next statement page-faults the same
/// memory in again, about 15 faults per temporary table: then most of a claim's time. A long-running worker daemon
/// was measured not to pay it (likely because glibc had raised its threshold); this keeps every process, whatever
/// its allocation history or malloc settings, from paying it (bench/RESULTS.md, issue 15, "the held-queue
/// statement's fixed cost"). Pages taken one by one come from the heap's free lists, which stay mapped.
///
/// **A WAL frame is written with one call.** SQLite writes each frame as two `pwrite`s (its header, then its page);
/// a worker's transaction of about ten frames made twenty, each through the file system's whole write path. The
/// default VFS becomes one that holds an appended frame header until the next call on the file and writes it with
/// its page (`wal_writes.c`, written by hand: SQLite has no such option, and no package offers it).
enum SQLiteProcessSettings {
    /// Applies the settings; evaluated once, by the first `SQLiteJobStore` opened, before its first connection. The
    /// VFS comes last: registering it initializes SQLite, after which the other two would be refused.
    static let applied: Void = {
        _ = qc_sqlite_disable_memory_statistics()
        _ = qc_sqlite_allocate_pages_on_demand()
        _ = qc_sqlite_pair_wal_frame_writes()
    }()
}
