import Foundation
import QueueCore
import QueueTestSupport
import Testing

@Suite("Dedicated thread executor")
struct DedicatedThreadExecutorTests {
    @Test("tasks preferring a dedicated thread all run on that one thread, which counts as dedicated")
    func tasksRunOnItsThread() async {
        let executor = DedicatedThreadExecutor(name: "qc-test-run")
        defer { executor.stop() }
        var seen: [(dedicated: Bool, thread: Int32?)] = []
        for _ in 0..<3 {
            seen.append(await Task(executorPreference: executor) { (DedicatedThreadExecutor.isCurrentThreadDedicated, currentThreadID()) }.value)
        }
        #expect(seen.allSatisfy { $0.dedicated })
        #expect(seen.allSatisfy { $0.thread != nil })
        #expect(Set(seen.map(\.thread)).count == 1)
    }

    @Test("its thread carries the name it was given, as `top -H` shows it")
    func threadIsNamed() async throws {
        let executor = DedicatedThreadExecutor(name: "qc-test-named")
        defer { executor.stop() }
        let found = await Task(executorPreference: executor) { currentThreadID() }.value
        let thread = try #require(found)
        let name = try String(contentsOfFile: "/proc/self/task/\(thread)/comm", encoding: .utf8)
        #expect(name == "qc-test-named\n")
    }

    @Test("a task on Swift's shared pool is not on a dedicated thread")
    func sharedPoolIsNotDedicated() async {
        let executor = DedicatedThreadExecutor(name: "qc-test-pool")
        defer { executor.stop() }
        let onPool = await Task.detached { DedicatedThreadExecutor.isCurrentThreadDedicated }.value
        #expect(!onPool)
    }

    @Test("stop ends the thread after the work queued before it")
    func stopEndsTheThread() async throws {
        let executor = DedicatedThreadExecutor(name: "qc-test-stop")
        let found = await Task(executorPreference: executor) { currentThreadID() }.value
        let thread = try #require(found)
        #expect(threadExists(thread))
        executor.stop()
        #expect(try await eventually(timeout: .seconds(30)) { !threadExists(thread) })
    }
}
