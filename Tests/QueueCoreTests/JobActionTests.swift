import Foundation
import QueueCore
import Testing

/// The rules of `remove`, `restart` and `promote` (`JobAction`) and the finished states they rest on.
@Suite("Job actions")
struct JobActionTests {
    /// The contract's finished states that exist in this build (`cancelled` joins with its branch).
    static let contractFinished = Set(JobState.allCases.filter { ["completed", "dead", "cancelled"].contains($0.rawValue) })

    @Test("the finished states are the contract's completed, dead and cancelled")
    func finished() {
        #expect(JobState.finished == Self.contractFinished)
        #expect(JobState.finished.contains(.completed) && JobState.finished.contains(.dead))
        #expect(JobState.finished.allSatisfy { $0.isFinal })
    }

    @Test("remove takes every state but processing")
    func removeStates() {
        #expect(JobAction.remove.acceptedStates == Set(JobState.allCases).subtracting([.processing]))
        #expect(!JobAction.remove.accepts(.processing))
    }

    @Test("restart takes the finished states, and each may move to pending")
    func restartStates() {
        #expect(JobAction.restart.acceptedStates == JobState.finished)
        #expect(JobAction.restart.acceptedStates.allSatisfy { $0.canMove(to: .pending) })
        for state in [JobState.pending, .processing, .failed] { #expect(!JobAction.restart.accepts(state)) }
    }

    @Test("promote takes the waiting states: pending and failed")
    func promoteStates() {
        #expect(JobAction.promote.acceptedStates == [.pending, .failed])
        #expect(JobAction.promote.acceptedStates == Set(JobState.claimable))
    }

    @Test("a refused state throws actionRefused, an accepted one nothing")
    func check() throws {
        let id = JobID(trusted: "job-1")
        try JobAction.remove.check(id, state: .dead)
        #expect(throws: QueueError.actionRefused(.remove, id, .processing)) {
            try JobAction.remove.check(id, state: .processing)
        }
        #expect(throws: QueueError.actionRefused(.restart, id, .pending)) {
            try JobAction.restart.check(id, state: .pending)
        }
        #expect(throws: QueueError.actionRefused(.promote, id, .completed)) {
            try JobAction.promote.check(id, state: .completed)
        }
    }

    @Test("a refusal names the job, its state, what the action takes and what to do, and exits 1", arguments: [
        (JobAction.remove, JobState.processing,
         "cannot remove job 'j1': it is processing; remove takes jobs in any state but processing (wait for its run to end); nothing was changed"),
        (.restart, .pending,
         "cannot restart job 'j1': it is pending; restart takes \(finishedList) jobs (promote runs a waiting job now); nothing was changed"),
        (.promote, .dead,
         "cannot promote job 'j1': it is dead; promote takes pending, failed jobs (use restart to run a finished job again); nothing was changed"),
        (.promote, .processing,
         "cannot promote job 'j1': it is processing; promote takes pending, failed jobs (it is running already); nothing was changed"),
    ])
    func message(action: JobAction, state: JobState, expected: String) {
        let error = QueueError.actionRefused(action, JobID(trusted: "j1"), state)
        #expect(error.description == expected)
        #expect(error.exitCode == 1)
    }
}

/// The refusal message's list of finished states (`completed, dead`, and `cancelled` once it exists).
private let finishedList = JobState.allCases.filter(JobState.finished.contains).map(\.rawValue)
    .joined(separator: ", ")
