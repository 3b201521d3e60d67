#if canImport(Glibc)
    import Glibc
#endif

/// What the main thread of each executable blocks before the command runs.
public enum MainThreadSignals {
    /// Blocks SIGCHLD on the calling thread (the main thread), as every other thread of the process already does
    /// (Swift's and Dispatch's threads start with most signals blocked). A signal that no thread accepts stays
    /// pending instead of waking one. With the main thread as the only taker, every exit of a worker's job woke it
    /// (the signal goes to the process, and the thread that spawned the job blocks it) just to discard the signal:
    /// a context switch per job. Nothing here handles SIGCHLD: job processes are reaped through their pidfds, and a
    /// spawned child unblocks every signal before it executes its program.
    public static func blockChildExits() {
        var childExits = sigset_t()
        sigemptyset(&childExits)
        sigaddset(&childExits, SIGCHLD)
        pthread_sigmask(SIG_BLOCK, &childExits, nil)
    }
}
