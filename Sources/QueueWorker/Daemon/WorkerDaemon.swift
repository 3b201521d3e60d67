import Foundation
import Logging
import QueueCore
import ServiceLifecycle
import UnixSignals

/// A worker process: N workers plus heartbeat, recovery and schedule ticks, as services of one `ServiceGroup`
/// (SIGTERM/SIGINT: graceful shutdown). `worker run` runs it in the foreground; `worker start`
/// runs the same code in a detached copy of the binary.
public struct WorkerDaemon: Sendable {
    /// Where jobs come from.
    public let store: any JobStore
    /// The data directory (logs, pid files).
    public let home: QueueHome
    /// Who the workers are.
    public let settings: WorkerSettings
    /// The clock.
    public let clock: any TimeSource
    /// Where the services report.
    public let logger: Logger
    /// Whether SIGTERM/SIGINT trigger a graceful stop (true for a real process; false in tests).
    public let handlesSignals: Bool
    /// How failed claims and result writes are retried.
    public let retryTiming: WorkerService.RetryTiming
    /// The environment every job starts with (before its `QUEUECTL_JOB_ID`, `QUEUECTL_ATTEMPT` and
    /// `QUEUECTL_WORKER`); nil: this process's own.
    public let jobEnvironment: [String: String]?

    public init(
        store: any JobStore, home: QueueHome, settings: WorkerSettings, clock: any TimeSource = SystemTimeSource(),
        logger: Logger, handlesSignals: Bool = true, retryTiming: WorkerService.RetryTiming = .standard,
        jobEnvironment: [String: String]? = nil
    ) {
        self.jobEnvironment = jobEnvironment
        self.store = store
        self.home = home
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.handlesSignals = handlesSignals
        self.retryTiming = retryTiming
    }

    /// Registers the workers, runs until stopped (signal, `worker stop`, or `control.apply`), then
    /// deregisters them. Recovery runs once before the workers take their first job. The process's
    /// `JobGuardian` is forked first: whatever ends this process (a crash, `kill -9`), its job groups
    /// are killed with it.
    public func run(control existing: WorkerControl? = nil) async throws {
        // A daemon of its own process (not one inside a test runner, whose allocator is left alone).
        if handlesSignals { MallocArenas.shareExisting() }
        // Trapped before the workers are registered, not when the group starts: a SIGTERM in between (the
        // moment `worker list` first shows them) would otherwise end the process at once, leaving its pid file
        // and its rows behind. The sequence keeps such a signal until the group exists to hear it.
        let stopSignals = handlesSignals ? await UnixSignalsSequence(trapping: .sigterm, .sigint) : nil
        try home.prepare()
        let control: WorkerControl
        if let existing {
            control = existing
        } else {
            control = WorkerControl(
                slots: settings.workerIDs, configuration: try await store.configuration(),
                pollIntervalOverride: settings.pollIntervalMilliseconds)
        }
        let pidFile = WorkerSupervisor.pidFile(for: settings.process.pid, home: home)
        let ownsPidFile = handlesSignals
        if ownsPidFile { try WorkerSupervisor.writePidFile(settings.process, home: home) }
        defer { if ownsPidFile { unlink(pidFile) } }

        // Forked now, before any job: it kills this process's job groups if the process dies.
        let guardian = JobGuardian.shared
        let recovery = RecoveryService(
            store: store, settings: settings, control: control, home: home, clock: clock, logger: logger)
        await recovery.recoverOnce()
        try await recovery.recoverRowsReplaced(by: settings.registrations)
        let registering = ContinuousClock.now
        try await store.registerWorkers(settings.registrations, now: clock.now())
        control.leaseRenewed(at: registering)
        logger.notice(
            "workers started: \(settings.workerIDs.joined(separator: ", ")) (pid \(settings.process.pid), guardian pid \(guardian.pid))")

        let heartbeat = HeartbeatService(store: store, settings: settings, control: control, clock: clock, logger: logger)
        let worker = WorkerService(
            store: store, settings: settings, control: control, runner: JobRunner(
                home: home, clock: clock, environment: jobEnvironment ?? ProcessInfo.processInfo.environment),
            clock: clock, logger: logger, retryTiming: retryTiming)
        let retention = RetentionService(store: store, home: home, clock: clock, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: heartbeat, successTerminationBehavior: .ignore),
            .init(service: recovery, successTerminationBehavior: .ignore),
        ]
        if let schedules = store as? any ScheduleStore {
            let scheduler = ScheduleService(store: schedules, control: control, clock: clock, logger: logger)
            services.append(.init(service: scheduler, successTerminationBehavior: .ignore))
        }
        services.append(.init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: retention, successTerminationBehavior: .ignore))
        // Shutdown runs in reverse order: retention stops first, then the workers drain while heartbeats keep
        // the lease.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [],
                logger: logger))
        let forwarding = Task {
            guard let stopSignals else { return }
            for await _ in stopSignals { await group.triggerGracefulShutdown() }
        }
        defer { forwarding.cancel() }
        do {
            try await group.run()
        } catch {
            try? await store.deregisterWorkers(settings.workerIDs)
            throw error
        }
        logger.notice("workers stopped: \(settings.workerIDs.joined(separator: ", "))")
    }
}
