import Foundation
import QueueCore
import Testing

/// The id rules: ids name log files, so nothing may escape the logs directory.
@Suite("Job ids")
struct JobIDTests {
    static let valid = ["a", "job-1", "A.b_c-9", "x..y", "0", String(repeating: "z", count: 128)]
    static let invalid = [
        "", "../x", "a/b", ".hidden", ".", "..", "a b", "tab\there", "é", "a\u{0}b", "semi;colon",
        String(repeating: "z", count: 129),
    ]

    @Test("ids of 1 to 128 letters, digits, dot, underscore and dash are accepted", arguments: valid)
    func accepted(id: String) throws {
        #expect(JobID.isValid(id))
        #expect(try JobID(id).rawValue == id)
    }

    @Test("ids that could escape the logs directory or break the rules are rejected", arguments: invalid)
    func rejected(id: String) {
        #expect(!JobID.isValid(id))
        #expect(throws: QueueError.self) { try JobID(id) }
    }

    @Test("the rejection message quotes the id and states the rule")
    func message() {
        #expect(
            throws: QueueError.invalidInput(
                "invalid job id 'a/b': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'")
        ) { try JobID("a/b") }
    }

    @Test("generated ids are valid and distinct")
    func generated() {
        let ids = (0..<100).map { _ in JobID.generate() }
        #expect(ids.allSatisfy { JobID.isValid($0.rawValue) })
        #expect(Set(ids).count == 100)
    }
}
