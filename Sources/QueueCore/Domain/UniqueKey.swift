/// The rules of a job's `unique_key`: while a job with the key is waiting or running (`holdingStates`), no
/// other job with that key can be enqueued; once it completed, died or was cancelled the key is free again.
public enum UniqueKey {
    /// The states in which a job holds its key: the stores' partial unique index covers exactly these.
    public static let holdingStates: [JobState] = [.pending, .failed, .processing]
    /// The longest key accepted, in characters.
    public static let maximumLength = 200

    /// `key` checked: 1 to `maximumLength` characters, no control characters (a key is printed in messages
    /// and shown on one line).
    public static func validated(_ key: String) throws(QueueError) -> String {
        guard !key.isEmpty, key.count <= maximumLength else {
            throw .invalidInput("unique_key must be 1 to \(maximumLength) characters, got \(key.count)")
        }
        guard !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidInput("unique_key must not contain control characters (such as a newline or a tab)")
        }
        return key
    }

    /// The name of the stores' partial unique index (both stores), by which a refused write is recognised.
    public static let indexName = "queuectl_job_unique_key"

    /// What a move back to waiting (`dlq retry`, `restart`) answers when another job holds the key of one of
    /// the jobs it would move: the index refused it, the whole move was rolled back.
    public static let heldByAnotherJob = QueueError.operationFailed(
        "another pending, failed or processing job holds the unique_key of a job you named; "
            + "wait for that job to end (or cancel it), then try again; nothing was changed")

    /// The note for a job that was not added because `holder` holds its key (stderr, the API's `Warning`).
    public static func alreadyQueuedNote(holder: JobID) -> String {
        "already queued as \(holder)"
    }
}
