import QueueCLI
import QueueCLIServer

#if canImport(Glibc)
    import Glibc
#endif

// Everything `queuectl` does, with the PostgreSQL store and the dashboard linked in; the lean `queuectl`
// executes this binary in its own place for the commands that need them (see `ServerHalf`).
//
// The command runs on the global executor and this thread waits in `pause()`, accepting every signal but
// SIGCHLD, as in `queuectl`, instead of an `await` here: an async `main` leaves this thread in Dispatch's
// `dispatch_main()`, which waits in `sigsuspend` with every signal unblocked, so each exit of a worker's job woke
// it (see `MainThreadSignals`). `runProcess` ends the process itself.
Task.detached { await QueueCtl.runProcess(serverHalf: LinkedServerHalf()) }
MainThreadSignals.acceptAllButChildExits()
while true { pause() }
