import QueueCLI

await QueueCtl.runProcess()
