import QueueCLI

// The lean executable: the SQLite store and the worker. Commands that need the PostgreSQL store or the
// dashboard continue in `queuectl-server` beside it (see `ServerHalf`).
await QueueCtl.runProcess(serverHalf: SiblingServerHalf())
