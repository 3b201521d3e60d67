import QueueCore
import Testing

/// What a typed id names among the ids that start with it (`JobIDResolver`'s decision).
@Suite("Job id matching")
struct JobIDMatchTests {
    static func ids(_ values: String...) -> [JobID] { values.map { JobID(trusted: $0) } }

    @Test("an exact id wins over the longer ids it starts")
    func exact() {
        #expect(JobIDMatch(JobID(trusted: "abcd"), candidates: Self.ids("abcd-1", "abcd", "abcd-2")) == .exact(JobID(trusted: "abcd")))
        #expect(JobIDMatch(JobID(trusted: "ab"), candidates: Self.ids("ab")) == .exact(JobID(trusted: "ab")))
    }

    @Test("a prefix of four or more characters that starts one id names it")
    func unique() {
        #expect(JobIDMatch(JobID(trusted: "a1b2"), candidates: Self.ids("a1b2c3")) == .unique(JobID(trusted: "a1b2c3")))
    }

    @Test("a prefix shorter than four characters names nothing, even when it starts one id")
    func tooShort() {
        #expect(JobIDMatch(JobID(trusted: "a1b"), candidates: Self.ids("a1b2c3")) == .none)
    }

    @Test("a prefix that starts several ids is ambiguous, candidates in id order")
    func ambiguous() {
        #expect(
            JobIDMatch(JobID(trusted: "job-"), candidates: Self.ids("job-2", "job-1"))
                == .ambiguous(Self.ids("job-1", "job-2")))
    }

    @Test("no candidate is no match")
    func none() {
        #expect(JobIDMatch(JobID(trusted: "nothing"), candidates: []) == .none)
    }

    @Test("the ambiguity message names the prefix, the first three candidates and says there are more")
    func message() {
        #expect(
            QueueError.ambiguousJobID("job-", Self.ids("job-1", "job-2", "job-3", "job-4")).description
                == "job id 'job-' is ambiguous: it starts the ids 'job-1', 'job-2', 'job-3' and more; give more of the id")
        #expect(
            QueueError.ambiguousJobID("job-", Self.ids("job-1", "job-2")).description
                == "job id 'job-' is ambiguous: it starts the ids 'job-1', 'job-2'; give more of the id")
        #expect(QueueError.ambiguousJobID("job-", []).exitCode == 1)
    }

    @Test("the upper bound of a prefix range raises the last character by one")
    func upperBound() {
        #expect(JobID(trusted: "abc").prefixUpperBound == "abd")
        #expect(JobID(trusted: "ab-").prefixUpperBound == "ab.")
        #expect(JobID(trusted: "abz").prefixUpperBound == "ab{")
    }
}
