import QueueCore
import Testing

/// The order of worker commands, the one copy the stores apply.
@Suite("Worker command strength")
struct WorkerCommandTests {
    @Test("run < drain < abort")
    func order() {
        #expect(WorkerCommand.run < .drain)
        #expect(WorkerCommand.drain < .abort)
        #expect(WorkerCommand.allCases.sorted() == [.run, .drain, .abort])
    }

    @Test("the strongest of several asks wins; none is run")
    func strongest() {
        #expect(WorkerCommand.strongest(of: []) == .run)
        #expect(WorkerCommand.strongest(of: [.run, .drain, .run]) == .drain)
        #expect(WorkerCommand.strongest(of: [.drain, .abort, .run]) == .abort)
    }

    @Test("a stop request only strengthens; run resets")
    func applied() {
        #expect(WorkerCommand.drain.applied(to: .run) == .drain)
        #expect(WorkerCommand.drain.applied(to: .abort) == .abort)
        #expect(WorkerCommand.abort.applied(to: .drain) == .abort)
        #expect(WorkerCommand.run.applied(to: .abort) == .run)
        #expect(WorkerCommand.run.applied(to: .drain) == .run)
    }

    @Test("the commands a request overwrites are exactly those it changes")
    func replacedCommands() {
        #expect(WorkerCommand.run.replacedCommands == [.drain, .abort])
        #expect(WorkerCommand.drain.replacedCommands == [.run])
        #expect(WorkerCommand.abort.replacedCommands == [.run, .drain])
        for request in WorkerCommand.allCases {
            for current in WorkerCommand.allCases where current != request {
                #expect(request.replacedCommands.contains(current) == (request.applied(to: current) != current))
            }
        }
    }
}
