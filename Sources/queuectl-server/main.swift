import QueueCLI
import QueueCLIServer

// Everything `queuectl` does, with the PostgreSQL store and the dashboard linked in; the lean `queuectl`
// executes this binary in its own place for the commands that need them (see `ServerHalf`).
QueueCtl.runProcessFromMainThread(serverHalf: LinkedServerHalf())
