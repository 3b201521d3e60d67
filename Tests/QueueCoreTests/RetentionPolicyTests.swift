import Foundation
import QueueCore
import Testing

/// What `purge` accepts (`PurgeSelection`) and what retention prunes (`RetentionPolicy`), from the configuration.
@Suite("Purge selection and retention policy")
struct RetentionPolicyTests {
    @Test("purge takes finished states and refuses any other with a usage error naming it", arguments: [
        "pending", "processing", "failed",
    ])
    func unfinishedRefused(state: String) {
        #expect(throws: QueueError.invalidInput(
            "purge deletes finished jobs only (\(finishedList)), not \(state) ones; use remove for single jobs"
        )) { try PurgeSelection(parsingStates: ["completed", state], queues: []) }
    }

    @Test("purge needs a state, a known one, and valid queue names")
    func badSelections() {
        #expect(throws: QueueError.invalidInput("give the states to purge with --state (\(finishedList))")) {
            try PurgeSelection(parsingStates: [], queues: [])
        }
        #expect(throws: QueueError.self) { try PurgeSelection(parsingStates: ["done"], queues: []) }
        #expect(throws: QueueError.self) { try PurgeSelection(parsingStates: ["dead"], queues: ["bad queue!"]) }
    }

    @Test("a selection keeps its states, queues and age, and its cutoff lies that long before now")
    func selection() throws {
        let selection = try PurgeSelection(parsingStates: ["DEAD", "completed"], queues: ["mail"], olderThan: 90)
        #expect(selection.orderedStates == [.completed, .dead])
        #expect(selection.queues == ["mail"])
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(selection.cutoff(now: now) == Date(timeIntervalSince1970: 910))
    }

    @Test("retention defaults: completed and cancelled kept 7 days, dead forever")
    func defaults() throws {
        let config = QueueConfig()
        #expect(config.retentionCompleted == 604_800)
        #expect(config.retentionCancelled == 604_800)
        #expect(config.retentionDead == 0)
        let policy = RetentionPolicy(config)
        #expect(
            policy.selections == [
                try PurgeSelection(states: [.completed], olderThan: 604_800),
                try PurgeSelection(states: [.cancelled], olderThan: 604_800),
            ])
        #expect(config.retention(of: .dead) == nil)
    }

    @Test("every finished state has its retention key; other states have none")
    func keys() {
        for state in JobState.allCases {
            let key = QueueConfig.retentionKey(of: state)
            #expect((key != nil) == JobState.finished.contains(state), "\(state)")
            #expect(key.map { $0.rawValue == "retention_\(state.rawValue)" } ?? true)
        }
        #expect(QueueConfig.retentionKey(of: .completed) == .retentionCompleted)
        #expect(QueueConfig.retentionKey(of: .dead) == .retentionDead)
        #expect(QueueConfig.retentionKey(of: .cancelled) == .retentionCancelled)
    }

    @Test("a retention of 0 keeps a state forever; the others are pruned at their own age")
    func policyFromConfig() throws {
        var config = QueueConfig()
        try config.set(.retentionCompleted, to: "0")
        try config.set(.retentionDead, to: "3600")
        let policy = RetentionPolicy(config)
        #expect(
            policy.selections == [
                try PurgeSelection(states: [.dead], olderThan: 3600),
                try PurgeSelection(states: [.cancelled], olderThan: 604_800),
            ])
        try config.set(.retentionDead, to: "0")
        try config.set(.retentionCancelled, to: "0")
        #expect(RetentionPolicy(config).keepsEverything)
    }

    @Test("retention values are whole seconds from 0 to 100 years", arguments: [
        ("-1", false), ("0", true), ("86400", true), ("1.5", false), ("3153600000", true), ("3153600001", false),
    ])
    func ranges(text: String, valid: Bool) {
        var config = QueueConfig()
        if valid {
            #expect(throws: Never.self) { try config.set(.retentionCompleted, to: text) }
            #expect(config.value(of: .retentionCompleted) == text)
        } else {
            #expect(throws: QueueError.invalidInput(
                "invalid value '\(text)' for retention_completed: expected a whole number from 0 to 3153600000"
            )) { try config.set(.retentionCompleted, to: text) }
        }
    }

    /// The finished states as messages list them.
    private var finishedList: String {
        JobState.allCases.filter(JobState.finished.contains).map(\.rawValue).joined(separator: ", ")
    }
}
