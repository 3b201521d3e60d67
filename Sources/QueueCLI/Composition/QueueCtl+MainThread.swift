#if canImport(Glibc)
    import Glibc
#endif

extension QueueCtl {
    /// Runs the process (`runProcess`) from the main thread of either executable: the command runs on the global
    /// executor while this thread waits in `pause()`; the command ends the process.
    ///
    /// Why not an `await` in `main`: an async `main` leaves its thread in Dispatch's `dispatch_main()`. In a static
    /// executable that thread's `pthread_exit` unwinds it, and the first unwind reads and sorts every entry of
    /// `.eh_frame` (3.7 MB of the worker daemon's resident pages and 1 MB of heap, bench/RESULTS.md, "Worker daemon
    /// memory"); elsewhere it waits in `sigsuspend` with every signal unblocked, so each exit of a worker's job woke it.
    ///
    /// This thread's signal mask is set to SIGCHLD alone, whatever it inherited. Every other signal is unblocked:
    /// Swift's and Dispatch's threads block most of them, so this thread is where SIGINT, SIGTERM and SIGHUP are
    /// delivered, and it must accept them even when the mask it started with blocked them (`queuectl` hands a
    /// command to `queuectl-server` by `execv` from one of those threads, and a parent may spawn us so). SIGCHLD
    /// stays blocked, as on every other thread: a signal no thread accepts stays pending instead of waking one.
    /// With this thread as its only taker, every exit of a worker's job woke it (the signal goes to the process,
    /// and the thread that spawned the job blocks it) just to discard the signal, a context switch per job.
    /// Nothing here handles SIGCHLD: job processes are reaped through their pidfds, and a spawned child unblocks
    /// every signal before it executes its program.
    public static func runProcessFromMainThread(serverHalf: any ServerHalf) -> Never {
        Task.detached { await runProcess(serverHalf: serverHalf) }
        var childExits = sigset_t()
        sigemptyset(&childExits)
        sigaddset(&childExits, SIGCHLD)
        pthread_sigmask(SIG_SETMASK, &childExits, nil)
        while true { pause() }
    }
}
