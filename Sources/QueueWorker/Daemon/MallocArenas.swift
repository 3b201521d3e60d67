import CQueueSpawn

/// How the worker process's threads share glibc's malloc arenas.
///
/// Why: glibc gives every thread that allocates an arena of its own (up to 8 per core), and each arena keeps its
/// own freed memory. The daemon's threads (Dispatch's for the slots' tasks, one per GRDB connection queue, the job
/// process thread) each grew one to 0.5–1.9 MB while draining, memory that none of the others could reuse. With
/// every later thread on the arenas that exist, a 4-slot daemon draining 5,000 `true` jobs peaked about 1.8 MB
/// lower at the same CPU per job (measured with `GLIBC_TUNABLES=glibc.malloc.arena_max=1`; the figures are in
/// bench/RESULTS.md). The threads hardly contend for the lock: a slot's work is mostly waiting for its process
/// and the store's one writer.
enum MallocArenas {
    /// From now on, a thread that allocates for the first time shares an existing arena instead of creating one.
    /// Threads that already have one keep it, so this is called as early as the worker's code runs. The setting
    /// is the process's and never undone: only a process that is a worker daemon calls it.
    static func shareExisting() {
        _ = qc_malloc_share_arenas()
    }
}
