import Foundation
import QueueCore
import Testing

/// Parsing `--file` / stdin input: a JSON object, a JSON array, or JSON lines, all-or-nothing.
@Suite("Job spec batches")
struct JobSpecBatchTests {
    private func commands(_ text: String) throws -> [String] {
        try JobSpec.parseBatch(Data(text.utf8)).map(\.command)
    }

    @Test("a JSON array gives one job per element")
    func array() throws {
        #expect(try commands(#"[{"command":"a"}, {"command":"b","id":"b1"}]"#) == ["a", "b"])
    }

    @Test("JSON lines give one job per non-blank line")
    func jsonLines() throws {
        #expect(try commands("{\"command\":\"a\"}\n\n{\"command\":\"b\"}\n  \n{\"command\":\"c\"}\n") == ["a", "b", "c"])
    }

    @Test("a single object, with or without a trailing newline, gives one job")
    func singleObject() throws {
        #expect(try commands(#"{"command":"only"}"#) == ["only"])
        #expect(try commands("{\"command\":\"only\"}\n") == ["only"])
    }

    @Test("a pretty-printed single object spanning several lines gives one job")
    func prettyObject() throws {
        #expect(try commands("{\n  \"command\": \"echo hi\",\n  \"priority\": 2\n}\n") == ["echo hi"])
    }

    @Test("a bad element of an array rejects the batch and names its position")
    func badArrayElement() {
        #expect(throws: QueueError.invalidInput("job 2: missing 'command': a job needs the shell command to run")) {
            try JobSpec.parseBatch(Data(#"[{"command":"a"}, {"id":"x"}]"#.utf8))
        }
        #expect(
            throws: QueueError.invalidInput(
                "job 1: unknown field 'cmd': a job takes after, command, delay, id, max_retries, no_retry_exit_codes, priority, queue, run_at, timeout, unique_key")
        ) {
            try JobSpec.parseBatch(Data(#"[{"cmd":"a"}]"#.utf8))
        }
    }

    @Test("a bad JSON line rejects the batch and names its line")
    func badLine() {
        #expect(throws: QueueError.invalidInput("line 3: 'priority' must be a whole number, got a string")) {
            try JobSpec.parseBatch(Data("{\"command\":\"a\"}\n\n{\"command\":\"b\",\"priority\":\"x\"}\n".utf8))
        }
        do {
            _ = try JobSpec.parseBatch(Data("{\"command\":\"a\"}\n{\"command\":\n".utf8))
            Issue.record("a malformed line was accepted")
        } catch {
            #expect(error.description.hasPrefix("line 2: invalid JSON: "))
        }
    }

    @Test("empty input and an empty array are rejected")
    func empty() {
        #expect(throws: QueueError.invalidInput("no jobs given: the input is empty")) {
            try JobSpec.parseBatch(Data(" \n\t\n".utf8))
        }
        #expect(throws: QueueError.invalidInput("no jobs given: the array is empty")) {
            try JobSpec.parseBatch(Data("[]".utf8))
        }
    }

    @Test("warnings of batch elements name their element")
    func batchWarnings() throws {
        let specs = try JobSpec.parseBatch(Data(#"[{"command":"a"},{"command":"b","state":"x"}]"#.utf8))
        try #require(specs.count == 2)
        #expect(specs[1].warnings == ["job 2: ignoring 'state': it is managed by the queue"])
    }
}

extension JobSpecBatchTests {
    @Test("an id repeated inside a batch names its position and the earlier job with that id")
    func repeatedID() throws {
        #expect(
            throws: QueueError.invalidInput(
                "job 3: id 'dupa' repeats the id of job 1 of this batch; give each job its own id")
        ) {
            try JobSpec.parseBatch(Data(#"[{"command":"a","id":"dupa"},{"command":"b"},{"command":"c","id":"dupa"}]"#.utf8))
        }
        #expect(
            throws: QueueError.invalidInput(
                "line 3: id 'x' repeats the id of line 1 of this batch; give each job its own id")
        ) {
            try JobSpec.parseBatch(Data("{\"command\":\"a\",\"id\":\"x\"}\n{\"command\":\"b\"}\n{\"command\":\"c\",\"id\":\"x\"}\n".utf8))
        }
        #expect(try JobSpec.parseBatch(Data(#"[{"command":"a"},{"command":"b"},{"command":"c","id":"Dupa"},{"command":"d","id":"dupa"}]"#.utf8)).count == 4)
    }

    @Test("a wrongly typed field of an array element is named once with its position")
    func typedFieldInArray() {
        #expect(throws: QueueError.invalidInput("job 2: 'priority' must be a whole number, got a string")) {
            try JobSpec.parseBatch(Data(#"[{"command":"a"},{"command":"b","priority":"high"}]"#.utf8))
        }
    }
}

extension JobSpecBatchTests {
    @Test("a batch of 50,000 JSON lines parses in linear time, naming lines correctly")
    func largeBatch() throws {
        let text = (1...50_000).map { #"{"command":"echo \#($0)"}"# }.joined(separator: "\n") + "\n{\"command\":1}\n"
        let started = ContinuousClock.now
        #expect(throws: QueueError.invalidInput("line 50001: 'command' must be a string, got a number")) {
            try JobSpec.parseBatch(Data(text.utf8))
        }
        // Linear parsing takes well under a second even in a debug build; counting lines from the start
        // for every value took minutes.
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}
