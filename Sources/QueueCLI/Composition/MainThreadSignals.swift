#if canImport(Glibc)
    import Glibc
#endif

/// The signal mask of each executable's main thread, which waits in `pause()` while the command runs.
public enum MainThreadSignals {
    /// Sets the calling thread's (the main thread's) signal mask to SIGCHLD alone, whatever it inherited.
    ///
    /// Every other signal is unblocked: Swift's and Dispatch's threads block most of them, so the main thread is
    /// where SIGINT, SIGTERM and SIGHUP are delivered, and it must accept them even when the mask it started with
    /// blocked them (`queuectl` hands a command to `queuectl-server` by `execv` from one of those threads, and a
    /// mask survives `execv`).
    ///
    /// SIGCHLD stays blocked here, as on every other thread: a signal no thread accepts stays pending instead of
    /// waking one. With the main thread as its only taker, every exit of a worker's job woke it (the signal goes
    /// to the process, and the thread that spawned the job blocks it) just to discard the signal, a context switch
    /// per job. Nothing here handles SIGCHLD: job processes are reaped through their pidfds, and a spawned child
    /// unblocks every signal before it executes its program.
    public static func acceptAllButChildExits() {
        var childExits = sigset_t()
        sigemptyset(&childExits)
        sigaddset(&childExits, SIGCHLD)
        pthread_sigmask(SIG_SETMASK, &childExits, nil)
    }
}
