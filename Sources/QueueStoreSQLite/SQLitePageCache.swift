import CQueueSQLite

/// How this process's SQLite page caches get their memory: a page at a time, as they need it.
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
/// It is a setting of the process, which SQLite takes only before it starts: the first store opened applies it,
/// before its first connection. In a process that had already opened a database (a command the fast path
/// declined after opening the file), SQLite keeps its default and only that command's statements are slower.
enum SQLitePageCache {
    /// Whether this process's page caches allocate on demand: applied once, by the first `SQLiteJobStore` opened.
    static let allocatesOnDemand: Bool = qc_sqlite_allocate_pages_on_demand() == SQLITE_OK
}
