import Logging
import PostgresNIO
import Synchronization

/// Runs Swift tasks on one NIO event loop.
///
/// A query made from a task on the shared concurrency pool crosses threads four times: the request is
/// handed to the connection's loop (an eventfd wake-up), the answer resumes the task on a pool thread (a
/// futex wake-up), and the row stream's demand and end go back and forth once more. From a task on the
/// connection's own loop all of that is a plain call: one claim-and-complete round trip through the store
/// took 0.77 ms instead of 1.1 ms here. NIO 2 has no task executor of its own, hence this adapter.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The store's connection pools: one per event loop of postgres-nio's group, each with its connections on
/// that loop, so that a task running on a loop's executor queries through connections of its own loop.
/// (A single pool hands out connections on any loop; one pool on a single loop put all the client-side
/// work of concurrent claimers on one thread: 5-21% fewer jobs/s with 2 claimers in the store benchmark.)
final class EventLoopPools: Sendable {
    private let pools: [(client: PostgresClient, executor: EventLoopTaskExecutor)]
    /// Turns for the tasks on no loop of the group (CLI commands, the dashboard's requests).
    private let turn = Atomic<Int>(0)

    /// Pools on every loop of `group`, sharing `configuration.options.maximumConnections` among them
    /// (at least one connection each).
    init(configuration: PostgresClient.Configuration, group: any EventLoopGroup, logger: Logger) {
        let all = Array(group.makeIterator())
        let loops = all.isEmpty ? [group.next()] : all
        var share = configuration
        share.options.maximumConnections = max(1, configuration.options.maximumConnections / loops.count)
        pools = loops.map { loop in
            (PostgresClient(configuration: share, eventLoopGroup: loop, backgroundLogger: logger),
             EventLoopTaskExecutor(loop))
        }
    }

    /// One executor per loop, in a fixed order.
    var executors: [any TaskExecutor] { pools.map(\.executor) }

    /// The pool of the loop the calling task runs on; for a task on no loop of the group, each pool in
    /// turn, so that together they still serve `maximumConnections` concurrent queries.
    var current: PostgresClient {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            for pool in pools where pool.executor.eventLoop === loop { return pool.client }
        }
        let index = turn.add(1, ordering: .relaxed).oldValue
        return pools[Int(UInt(bitPattern: index) % UInt(pools.count))].client
    }

    /// Runs every pool until the task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            for pool in pools {
                group.addTask { await pool.client.run() }
            }
        }
    }
}
