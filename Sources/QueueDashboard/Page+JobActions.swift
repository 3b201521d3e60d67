import QueueCore

extension Page {
    /// The states each job action takes, from the core's rules (`JobAction.acceptedStates`), the states
    /// `cancel` takes (those that may move to `cancelled`) and the finished states `purge` takes, as a JavaScript object literal for the page: it offers only the buttons the
    /// server will accept, without a copy of the rules (the server still decides: 409 if a job moved on).
    static let actionStates: String = {
        func list(_ states: Set<JobState>) -> String {
            "[" + JobState.allCases.filter(states.contains).map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
        }
        let entries = JobAction.allCases.map { "\($0.rawValue):\(list($0.acceptedStates))" }
        let cancellable = Set(JobState.allCases.filter { $0.canMove(to: .cancelled) })
        return "{" + (entries + ["cancel:\(list(cancellable))", "purge:\(list(JobState.finished))"]).joined(separator: ",") + "}"
    }()
}
