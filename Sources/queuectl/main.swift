import QueueCLI
import QueueFastPath

#if canImport(Glibc)
    import Glibc
#endif

// The common forms of the hot commands on a SQLite store first, before anything of the full command line is
// loaded; the fast path either does the whole command or declines having done nothing (see `FastPath`).
if let status = FastPath.run(Array(CommandLine.arguments.dropFirst())) {
    exit(status)
}

// The lean executable: the SQLite store and the worker. Commands that need the PostgreSQL store or the
// dashboard continue in `queuectl-server` beside it (see `ServerHalf`).
//
// The command runs on the global executor and this thread waits, instead of an `await` here: an async
// `main` ends its thread with `dispatch_main()`, whose `pthread_exit` unwinds the thread, and the first
// unwind in a static executable reads and sorts every entry of `.eh_frame` (libgcc registers the whole
// section at start-up). That was 3.7 MB of the worker daemon's resident pages and 1 MB of heap, for a
// thread nothing waits on (bench/RESULTS.md, "Worker daemon memory"). `runProcess` ends the process itself.
//
// This thread accepts every signal but SIGCHLD (see `MainThreadSignals`).
Task.detached { await QueueCtl.runProcess(serverHalf: SiblingServerHalf()) }
MainThreadSignals.acceptAllButChildExits()
while true { pause() }
