import Foundation
import QueueCore
import Testing

/// The state machine of JobState.swift (docs/state-machine.md mirrors it).
@Suite("Job states")
struct JobStateTests {
    static let legal: [(JobState, JobState)] = [
        (.pending, .processing), (.processing, .completed), (.processing, .failed), (.processing, .dead),
        (.processing, .pending), (.failed, .processing), (.dead, .pending), (.completed, .pending),
        (.pending, .cancelled), (.failed, .cancelled), (.processing, .cancelled), (.cancelled, .pending),
    ]

    @Test("exactly the documented transitions are legal")
    func transitions() {
        let legalSet = Set(Self.legal.map { "\($0.0)->\($0.1)" })
        for from in JobState.allCases {
            for to in JobState.allCases {
                #expect(from.canMove(to: to) == legalSet.contains("\(from)->\(to)"), "\(from) -> \(to)")
            }
        }
    }

    @Test("completed, dead and cancelled are final, and a person's restart is their only way out")
    func finality() {
        #expect(JobState.completed.successors == [.pending])
        #expect(JobState.cancelled.successors == [.pending])
        #expect(JobState.allCases.filter(\.isFinal) == [.completed, .dead, .cancelled])
        #expect(JobState.claimable == [.pending, .failed])
    }

    @Test("state names parse case-insensitively and unknown ones are named in the error")
    func parsing() throws {
        #expect(try JobState(parsing: "PENDING") == .pending)
        #expect(try JobState(parsing: "Dead") == .dead)
        #expect(
            throws: QueueError.invalidInput("unknown state 'done': use one of pending, processing, completed, failed, dead, cancelled")
        ) { try JobState(parsing: "done") }
    }
}
