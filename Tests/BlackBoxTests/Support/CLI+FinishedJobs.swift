import Foundation
import QueueCore
import QueueTestSupport

extension CLI {
    /// Puts finished jobs into the test's store as they would be after their run, `age` seconds ago (a job
    /// that finished a week ago cannot be made any other way), each with a log file in the home and, when
    /// the store keeps logs, a stored log.
    func makeFinishedJobs(_ ids: [String], state: JobState = .completed, age: TimeInterval) async throws {
        let store = try await openStore()
        let finishedAt = Date().addingTimeInterval(-age)
        try await store.enqueue(ids.map { makeFinishedJob($0, state: state, finishedAt: finishedAt) })
        for id in ids { try await writeLog(of: id, store: store) }
    }

    /// Leaves a line of output for job `id` where its run would have: the home's log file and the stored log.
    func writeLog(of id: String, store: (any JobStore)? = nil) async throws {
        let target: any JobStore
        if let store { target = store } else { target = try await openStore() }
        try await writeJobLog("output of \(id)\n", of: JobID(trusted: id), store: target, home: queueHome)
    }

    /// The test's data directory as the CLI sees it.
    var queueHome: QueueHome { QueueHome(root: URL(fileURLWithPath: home)) }

    /// Whether job `id` has a log file in the home.
    func hasLogFile(_ id: String) -> Bool {
        FileManager.default.fileExists(atPath: queueHome.logFile(for: JobID(trusted: id)))
    }
}
