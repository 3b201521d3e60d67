import Foundation
import QueueCore
import QueueTestSupport
import Testing

@testable import QueueWorker

/// A slot's own thread as a task executor: the slot's task and its processes share that one thread.
@Suite("Job thread as a slot's executor")
struct JobProcessThreadExecutorTests {
    @Test("tasks preferring a job thread all run on that one thread, which counts as dedicated and is the current job thread")
    func tasksRunOnItsThread() async {
        let executor = JobProcessThread(name: "qc-test-run")
        defer { executor.stop() }
        var seen: [(dedicated: Bool, thread: Int32?, current: Bool)] = []
        for _ in 0..<3 {
            seen.append(
                await Task(executorPreference: executor) {
                    (DedicatedThread.isCurrent, currentThreadID(), JobProcessThread.current === executor)
                }.value)
        }
        #expect(seen.allSatisfy { $0.dedicated && $0.current })
        #expect(seen.allSatisfy { $0.thread != nil })
        #expect(Set(seen.map(\.thread)).count == 1)
    }

    @Test("a process started from a task on a job thread runs there and its exit resumes the task on that thread")
    func processesStartOnItsThread() async throws {
        let fixture = try await WorkerFixture(.sqlite)
        let executor = JobProcessThread(name: "qc-test-proc")
        defer { executor.stop() }
        let runner = JobRunner(home: fixture.home, clock: SystemTimeSource())
        let (before, after, outcome) = await Task(executorPreference: executor) {
            let before = currentThreadID()
            let job = makeJob("on-thread", command: "exit 3", createdAt: Date())
            let report = await runner.run(job, worker: "w", process: RunningProcess())
            return (before, currentThreadID(), report.end)
        }.value
        #expect(before != nil)
        #expect(before == after)
        guard case .finished(.exited(3)) = outcome else {
            Issue.record("the run ended \(outcome), not with exit code 3")
            return
        }
    }

    @Test("its thread carries the name it was given, as `top -H` shows it")
    func threadIsNamed() async throws {
        let executor = JobProcessThread(name: "qc-test-named")
        defer { executor.stop() }
        let found = await Task(executorPreference: executor) { currentThreadID() }.value
        let thread = try #require(found)
        let name = try String(contentsOfFile: "/proc/self/task/\(thread)/comm", encoding: .utf8)
        #expect(name == "qc-test-named\n")
    }

    @Test("a task on Swift's shared pool is not on a dedicated thread nor on a job thread")
    func sharedPoolIsNotDedicated() async {
        let onPool = await Task.detached { (DedicatedThread.isCurrent, JobProcessThread.current == nil) }.value
        #expect(!onPool.0)
        #expect(onPool.1)
    }

    @Test("stop ends the thread once the work queued before it ran")
    func stopEndsTheThread() async throws {
        let executor = JobProcessThread(name: "qc-test-stop")
        let found = await Task(executorPreference: executor) { currentThreadID() }.value
        let thread = try #require(found)
        #expect(threadExists(thread))
        executor.stop()
        #expect(try await eventually(timeout: .seconds(30)) { !threadExists(thread) })
    }

    @Test("stop waits for a process the thread still watches: the thread ends only after it exited")
    func stopWaitsForItsProcess() async throws {
        let fixture = try await WorkerFixture(.sqlite)
        let executor = JobProcessThread(name: "qc-test-wait")
        let runner = JobRunner(home: fixture.home, clock: SystemTimeSource())
        let marker = fixture.home.root.appendingPathComponent("ran").path
        let thread = try #require(await Task(executorPreference: executor) { currentThreadID() }.value)
        let run = Task(executorPreference: executor) {
            await runner.run(
                makeJob("slow", command: "sleep 1; touch '\(marker)'", createdAt: Date()), worker: "w",
                process: RunningProcess())
        }
        try await Task.sleep(for: .milliseconds(200))
        executor.stop()
        // Had the thread ended, PR_SET_PDEATHSIG would have killed the job before it wrote the marker.
        guard case .finished(.succeeded) = await run.value.end else {
            Issue.record("the run did not succeed")
            return
        }
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(try await eventually(timeout: .seconds(30)) { !threadExists(thread) })
    }
}
