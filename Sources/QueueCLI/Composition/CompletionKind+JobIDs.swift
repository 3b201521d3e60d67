import ArgumentParser
import Foundation
import QueueCore

extension CompletionKind {
    /// How many ids a completion offers at most.
    static let jobIDLimit = 200

    /// Completes a job id argument from the store the command line (`--home`, `--db`) or the environment
    /// names: the ids that start with what was typed, or the latest ids when nothing was. The shell runs
    /// `queuectl ---completion …` for it. It only reads: a data directory or SQLite file that does not exist
    /// stays so (no ids), and any failure (an unreachable server) offers nothing rather than an error.
    static let jobIDs = CompletionKind.custom { words, _, prefix in
        await JobIDCandidates(words: words, environment: ProcessInfo.processInfo.environment).ids(startingWith: prefix)
    }
}

/// The ids a job id completion offers (see `CompletionKind.jobIDs`).
struct JobIDCandidates {
    /// `--home` given on the command line being completed, if any.
    let home: String?
    /// `--db` given on the command line being completed, if any.
    let database: String?
    /// The environment (`QUEUECTL_HOME`, `QUEUECTL_DB`).
    let environment: [String: String]

    /// Reads `--home`/`--db` (`--home DIR` or `--home=DIR`) out of the command line's `words`.
    init(words: [String], environment: [String: String]) {
        func value(of option: String) -> String? {
            for (index, word) in words.enumerated() {
                if word == option, index + 1 < words.count { return words[index + 1] }
                if word.hasPrefix(option + "=") { return String(word.dropFirst(option.count + 1)) }
            }
            return nil
        }
        home = value(of: "--home")
        database = value(of: "--db")
        self.environment = environment
    }

    /// The ids starting with `prefix` (byte order), or the latest ones (enqueue order) when it is empty;
    /// none when the store does not exist or cannot be read.
    func ids(startingWith prefix: String) async -> [String] {
        do {
            let resolver = try StoreResolver(
                home: home, database: database, environment: environment,
                serverHalf: CommandContext.current.serverHalf)
            return try await resolver.withStore(for: .read) { store -> [String] in
                if !prefix.isEmpty {
                    guard JobID.isValid(prefix) else { return [] }
                    return try await store.jobIDs(withPrefix: JobID(trusted: prefix), limit: CompletionKind.jobIDLimit)
                        .map(\.rawValue)
                }
                let counts = try await store.counts(now: Date())
                let total = JobState.allCases.reduce(0) { $0 + counts[$1] }
                let latest = JobFilter(limit: CompletionKind.jobIDLimit, offset: max(0, total - CompletionKind.jobIDLimit))
                return try await store.jobs(latest).map(\.id.rawValue)
            }
        } catch {
            return []
        }
    }
}
