import Foundation
import Logging
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

/// The schedule service of every worker process: due ticks become jobs, which the workers run.
@Suite("Schedule service")
struct ScheduleServiceTests {
    @Test("a running worker enqueues an --every 1s schedule's jobs and they run", arguments: TestBackend.all)
    func workerRunsEverySecond(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend)
        let schedules = try await fixture.store.addTestSchedule(
            "tick", spec: try ScheduleSpec(every: "1s"), command: "echo scheduled", addedAt: Date())
        let workers = try await RunningWorkers.start(store: fixture.store, home: fixture.home, count: 1)

        let ran = try await eventually(timeout: .seconds(60)) {
            try await fixture.store.jobs(JobFilter(states: [.completed])).count >= 2
        }
        try await workers.stop()
        #expect(ran)
        let jobs = try await fixture.store.jobs(JobFilter())
        #expect(jobs.allSatisfy { $0.id.rawValue.wholeMatch(of: /tick\.\d{8}T\d{6}Z/) != nil })
        #expect(Set(jobs.map(\.id)).count == jobs.count)
        let last = try #require(try await schedules.schedules().first?.lastJob)
        #expect(jobs.contains { $0.id == last })
    }

    @Test("one look fires what is due with the configured defaults, and nothing when nothing is due", arguments: TestBackend.all)
    func oneLook(backend: TestBackend) async throws {
        let fixture = try await WorkerFixture(backend, configure: [(.jobTimeout, "77"), (.maxRetries, "4")])
        let schedules = try await fixture.store.addTestSchedule(
            "quarter", spec: try ScheduleSpec(cron: "*/15 * * * *"), command: "report.sh", queue: "reports",
            addedAt: testEpoch)
        let clock = ManualTimeSource(testEpoch.addingTimeInterval(60))
        let control = WorkerControl(slots: ["w1"], configuration: try await fixture.store.configuration())
        let service = ScheduleService(
            store: schedules, control: control, clock: clock, interval: .milliseconds(10),
            logger: Logger(label: "queuectl.schedule.test"))

        #expect(await service.fireDueTicks().isEmpty)
        clock.advance(by: 14 * 60)
        let id = JobID(trusted: "quarter.20270115T081500Z")
        #expect(await service.fireDueTicks() == [.enqueued(id)])
        #expect(await service.fireDueTicks().isEmpty)
        let job = try #require(try await fixture.store.job(id))
        #expect(job.command == "report.sh" && job.queue == "reports")
        #expect(job.timeout == 77 && job.timeoutFromConfig && job.maxRetries == 4)
    }
}
