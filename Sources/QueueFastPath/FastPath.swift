#if canImport(Glibc)
    import Glibc
#endif
import QueueWakeup

/// The start-up fast path of the hot commands (issue 16): the common forms of `status`, `list`, `show` and `enqueue` on a
/// SQLite store, done with the SQLite C API and `write(2)` before argument-parser, GRDB or Foundation is
/// touched. Each either does the whole command exactly as the full command line would (same output, errors
/// and exit status) or declines before doing anything, and the full command line runs as before. It declines
/// every option or form it does not parse, a PostgreSQL store, a missing store, a schema version other than the
/// one it was written for, a home that fails or might fail a check, and every error.
///
/// `QUEUECTL_FAST_PATH=0` switches it off (troubleshooting); `QUEUECTL_FAST_PATH=trace` makes it say on stderr
/// which command it handled (tests prove with it that the fast path was taken).
public enum FastPath {
    /// Runs the command in `arguments` (without the program name) if the fast path handles it, and returns its
    /// exit status; nil when it declines (nothing was done or printed).
    public static func run(_ arguments: [String]) -> Int32? {
        let setting = FastPathEnvironment.value("QUEUECTL_FAST_PATH")
        if setting == "0" || setting == "off" { return nil }
        let invocation: FastPathInvocation
        let store: FastPathStore
        var output = FastPathText()
        do {
            invocation = try FastPathInvocation(arguments)
            // Human output on a terminal may be coloured and fit to its width, and `COLUMNS` changes the width:
            // the full path handles both.
            let printsTable = !invocation.json && invocation.command != .enqueue
            if printsTable, isatty(STDOUT_FILENO) == 1 || FastPathEnvironment.isSet("COLUMNS") {
                throw FastPathDecline()
            }
            store = try FastPathStore(
                homeOption: invocation.home, databaseOption: invocation.database,
                writing: invocation.command == .enqueue)
            // A large WAL is checkpointed when the full path closes the store: leave that to it, unless another
            // process has the WAL index open (a worker, above all while it drains, when its WAL is always past the
            // threshold): then opening reads none of the WAL, and the writers keep checkpointing it as it grows.
            let walSize = store.walSize
            let walShared = walSize > walTruncationThreshold && store.walIndexInUse
            guard walSize <= walTruncationThreshold || walShared else { throw FastPathDecline() }
            let database = try FastPathDatabase(path: store.database)
            switch invocation.command {
            case .status:
                try FastPathStatus(database: database).render(json: invocation.json, into: &output)
            case .list:
                try FastPathList(database: database, invocation: invocation)
                    .render(json: invocation.json, logsDirectory: store.logsDirectory, into: &output)
            case .show:
                guard let id = invocation.id else { throw FastPathDecline() }
                try FastPathShow(database: database, id: id, json: invocation.json)
                    .render(json: invocation.json, logsDirectory: store.logsDirectory, into: &output)
            case .enqueue:
                // From here on the job is stored: nothing may decline any more.
                let enqueue = try FastPathEnqueue(database: database, invocation: invocation)
                WakeupSockets.notify(directory: store.database + ".wake")
                // Asked again: the WAL grew. Whether its index is shared cannot be asked now that this process has
                // the database open (`FastPathStore.walIndexInUse`).
                if !walShared, store.walSize > walTruncationThreshold { database.checkpointTruncatingWAL() }
                enqueue.render(json: invocation.json, logsDirectory: store.logsDirectory, into: &output)
                return finish(output, command: invocation.command, setting: setting) { reason in
                    "cannot write to stdout (" + reason + "), but job '" + enqueue.job.id
                        + "' was enqueued (see queuectl show " + enqueue.job.id + ")"
                }
            }
        } catch {
            return nil
        }
        return finish(output, command: invocation.command, setting: setting) { reason in
            "cannot write the output to stdout: " + reason
        }
    }

    /// `SQLiteJobStore.walTruncationThreshold`: above it the full path's close checkpoints the WAL.
    static let walTruncationThreshold = 512 * 1024

    /// Writes the output (and, with `QUEUECTL_FAST_PATH=trace`, which command the fast path handled); a failed
    /// write is one error line, `failure(reason)`, and exit 1, as the full path reports it.
    private static func finish(
        _ output: FastPathText, command: FastPathInvocation.Command, setting: String?, failure: (String) -> String
    ) -> Int32 {
        // A closed pipe (`queuectl list | head -1`) must end the output quietly, not kill us with a signal.
        signal(SIGPIPE, SIG_IGN)
        if setting == "trace" {
            var note = FastPathText()
            note.append("queuectl: fast path: " + command.rawValue + "\n")
            _ = note.write(to: STDERR_FILENO)
        }
        guard let code = output.write(to: STDOUT_FILENO) else { return 0 }
        var message = FastPathText()
        message.append("queuectl: " + failure(String(cString: strerror(code))) + "\n")
        _ = message.write(to: STDERR_FILENO)
        return 1
    }
}
