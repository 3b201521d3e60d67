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
QueueCtl.runProcessFromMainThread(serverHalf: SiblingServerHalf())
