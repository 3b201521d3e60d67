import Foundation
import QueueCore
import Testing

/// `schedule list --json`: the contract's fields in its order, nulls included, and the job a tick makes.
@Suite("Schedule documents")
struct ScheduleDocumentTests {
    let time = ScheduleTestTimes.instant

    @Test("a cron schedule that has run renders every field, with the zone, last run and last job")
    func cronDocument() throws {
        let record = ScheduleRecord(
            name: try ScheduleName("nightly"), spec: try ScheduleSpec(cron: "30 2 * * *", timeZone: "Europe/Berlin"),
            job: try JobSpec(command: "backup.sh --all", maxRetries: 2, priority: 5, timeout: 600, queue: "ops"),
            addedAt: try time("2026-12-01T00:00:00Z"), lastTick: try time("2026-12-05T01:30:00Z"))
        let json = try OrderedJSONEncoder().encodeToString(ScheduleDocument(schedule: record, now: try time("2026-12-06T01:00:00Z")))
        #expect(json == #"{"name":"nightly","cron":"30 2 * * *","every":null,"command":"backup.sh --all","queue":"ops","#
            + #""priority":5,"timeout":600,"max_retries":2,"tz":"Europe/Berlin","next_run_at":"2026-12-06T01:30:00Z","#
            + #""last_run_at":"2026-12-05T01:30:00Z","last_job":"nightly.20261205T013000Z"}"#)
    }

    @Test("an interval schedule not yet run: every in seconds, nulls for cron and the last run")
    func everyDocument() throws {
        let record = ScheduleRecord(
            name: try ScheduleName("sync"), spec: try ScheduleSpec(every: "15m"), job: try JobSpec(command: "sync"),
            addedAt: try time("2026-12-06T05:01:00Z"))
        let json = try OrderedJSONEncoder().encodeToString(ScheduleDocument(schedule: record, now: try time("2026-12-06T05:02:00Z")))
        #expect(json == #"{"name":"sync","cron":null,"every":900,"command":"sync","queue":"default","priority":0,"#
            + #""timeout":null,"max_retries":null,"tz":"UTC","next_run_at":"2026-12-06T05:15:00Z","last_run_at":null,"#
            + #""last_job":null}"#)
    }

    @Test("a due tick's job keeps the schedule's job fields and takes the tick's id")
    func tickJob() throws {
        let record = ScheduleRecord(
            name: try ScheduleName("sync"), spec: try ScheduleSpec(every: "15m"),
            job: try JobSpec(command: "sync", priority: 3, queue: "io"), addedAt: try time("2026-12-06T05:01:00Z"))
        let tick = try #require(record.dueTick(now: try time("2026-12-06T05:40:00Z")))
        let job = record.jobSpec(for: tick)
        #expect(job.id?.rawValue == "sync.20261206T053000Z")
        #expect(job.command == "sync" && job.priority == 3 && job.queue == "io" && job.schedule == .immediately)
        var ran = record
        ran.lastTick = tick.instant
        #expect(ran.dueTick(now: try time("2026-12-06T05:40:00Z")) == nil)
        #expect(ran.lastJob == job.id)
    }
}
