import Testing

@testable import QueueCLI

/// "Did you mean": which command word a typo suggests.
@Suite("Command word suggestions")
struct CommandSuggestionTests {
    static let commands = ["enqueue", "status", "list", "show", "dlq", "config", "worker", "logs", "wait", "version"]

    @Test(
        "a word one or two edits from a command suggests it",
        arguments: [("stauts", "status"), ("stats", "status"), ("enqeue", "enqueue"), ("lsit", "list"), ("wiat", "wait"),
                    ("Status", "status"), ("worekr", "worker"), ("confg", "config")])
    func suggests(typed: String, expected: String) {
        #expect(QueueCtl.closestName(to: typed, among: Self.commands) == expected)
    }

    @Test("a word far from every command, or too short to judge, suggests nothing", arguments: ["frobnicate", "x", "ab", "purge"])
    func suggestsNothing(typed: String) {
        #expect(QueueCtl.closestName(to: typed, among: Self.commands) == nil)
    }

    @Test("swapping two neighbours costs one edit")
    func swap() {
        #expect(QueueCtl.editDistance("strat", "start") == 1)
        #expect(QueueCtl.editDistance("start", "start") == 0)
        #expect(QueueCtl.editDistance("", "abc") == 3)
    }
}
