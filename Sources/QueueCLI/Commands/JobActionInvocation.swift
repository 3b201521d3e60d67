import ArgumentParser
import QueueCore
import QueueOperations

/// One run of `remove`, `restart` or `promote`: the three take the same arguments and print the same way, so
/// each command parses its own and hands them here.
struct JobActionInvocation {
    /// What to do.
    let action: JobAction
    /// The ids (or unique prefixes) as typed.
    let ids: [String]
    /// Print JSON (the resulting job objects; for `remove`, the ids) instead of one id a line.
    let json: Bool
    /// `--home` and `--db`.
    let global: GlobalOptions

    /// Checks the ids (exit 2 for one that is not an id), applies the action all-or-nothing and prints the ids
    /// acted on.
    func run() async throws {
        guard !ids.isEmpty else { throw QueueError.invalidInput("give at least one job id") }
        var given: [JobID] = []
        for id in ids { given.append(try JobID(id)) }
        let context = CommandContext.current
        let (jobs, home) = try await global.withOperations { operations, resolver in
            let jobs = try await operations.apply(action, to: given, home: resolver.home)
            return (jobs, resolver.home)
        }
        let output = Output(context)
        switch (json, action) {
        case (false, _): output.lines(jobs.map(\.id.rawValue))
        case (true, .remove): try output.json(jobs.map(\.id.rawValue))
        case (true, _): try output.json(output.documents(jobs, home: home))
        }
    }
}
