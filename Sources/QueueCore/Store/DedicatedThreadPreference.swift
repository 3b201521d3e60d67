/// An optional power, like `TaskExecutorPreference`: a store whose calls can answer on the calling thread,
/// blocking it meanwhile (SQLite: GRDB's synchronous access runs the transaction on the caller's thread and
/// waits there for the write lock, up to the busy timeout). Called from a `DedicatedThread` it answers that way,
/// with no hop to another thread and back; called from anywhere else (Swift's shared pool, which must never
/// block) it answers asynchronously as before. A worker runs each slot of such a store on a thread of its own.
public protocol DedicatedThreadPreference: Sendable {}
