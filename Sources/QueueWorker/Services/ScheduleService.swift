import Foundation
import Logging
import QueueCore
import ServiceLifecycle

/// Enqueues the jobs of due schedule ticks. Every worker process runs one: there is no leader, so a tick is
/// enqueued as long as any worker runs anywhere, and the store's guarded update of the schedule's last tick
/// (in the enqueue's transaction) makes the one job per tick, however many of these look at once.
///
/// It looks about once a second (ticks are whole seconds, so a job is enqueued within about a second of its
/// tick). A look when nothing is due is one read of the schedules table, which holds a handful of rows; the
/// decisions (which tick is due, what its job is) are the core's.
public struct ScheduleService: Service {
    /// The store holding the schedules.
    public let store: any ScheduleStore
    /// Shared state: the configuration fills what a schedule's job leaves open (timeout, max retries), and
    /// this process's workers are woken at once when a job is enqueued.
    public let control: WorkerControl
    /// The clock ticks are judged by.
    public let clock: any TimeSource
    /// The pause between looks.
    public let interval: Duration
    /// Where firings and failures are reported.
    public let logger: Logger

    /// A service that looks every `interval` (a second by default; tests pass shorter).
    public init(
        store: any ScheduleStore, control: WorkerControl, clock: any TimeSource, interval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.store = store
        self.control = control
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await fireDueTicks()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One look: fires the due tick of every schedule that has one and returns what each firing did. A
    /// failure is logged and the next look tries again (the tick is still due then).
    @discardableResult
    public func fireDueTicks() async -> [ScheduleFiring] {
        var firings: [ScheduleFiring] = []
        do {
            let now = clock.now()
            for schedule in try await store.schedules() {
                guard let tick = schedule.dueTick(now: now) else { continue }
                let job = schedule.jobSpec(for: tick).resolved(config: control.configuration, now: now)
                let firing = try await store.fireScheduleTick(tick, of: schedule.name, job: job)
                switch firing {
                case .enqueued(let id):
                    logger.info("schedule \(schedule.name) enqueued job \(id)")
                    control.wake.notify()
                case .jobIDTaken(let id):
                    logger.notice("schedule \(schedule.name): job id \(id) was taken already; tick \(tick) counts as fired")
                case .alreadyFired:
                    break
                }
                firings.append(firing)
            }
        } catch {
            logger.warning("firing schedules failed: \(error)")
        }
        return firings
    }
}
