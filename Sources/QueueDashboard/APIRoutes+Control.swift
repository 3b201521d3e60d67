import Foundation
import Hummingbird
import HummingbirdCore
import QueueCore
import QueueOperations

/// The routes of `remove`, `restart`, `promote` and `purge`: the same operations as the commands, so the same
/// rules (409 for a job in a state the action does not take, 404 for an unknown one, 400 for bad input).
extension APIRoutes {
    /// `POST /api/jobs/{id}/restart`, `POST /api/jobs/{id}/promote`: answers the job after the change.
    func apply(_ action: JobAction, to id: JobID) async throws -> Response {
        let jobs = try await operations.apply(action, to: [id], home: home)
        guard let job = jobs.first else { throw QueueError.jobNotFound(id) }
        return JSONBody.response(JobDocument(job: job, home: home))
    }

    /// `DELETE /api/jobs/{id}`: `remove ID`. Answers `{"removed": [id]}`, as `remove --json` prints the ids.
    func remove(_ id: JobID) async throws -> Response {
        let jobs = try await operations.apply(.remove, to: [id], home: home)
        return JSONBody.response(["removed": jobs.map(\.id.rawValue)])
    }

    /// `POST /api/purge?state=&queue=&older_than=&dry_run=`: `purge`. `state` and `queue` may be repeated;
    /// `older_than` takes what `--older-than` takes; `dry_run=1` (or `true`) only counts.
    func purge(_ query: FlatDictionary<Substring, Substring>) async throws -> Response {
        let olderThan = try query["older_than"].flatMap { $0.isEmpty ? nil : String($0) }.map {
            try DurationValue(parsing: $0, option: "older_than", maximum: 3_153_600_000).seconds
        }
        let selection = try PurgeSelection(
            parsingStates: query[values: "state"].filter { !$0.isEmpty }.map(String.init),
            queues: query[values: "queue"].filter { !$0.isEmpty }.map(String.init), olderThan: olderThan ?? 0)
        let dryRun = try Self.flag(query["dry_run"], name: "dry_run")
        let ids =
            dryRun
            ? try await operations.purgeable(selection)
            : try await operations.purge(selection, home: home)
        return JSONBody.response(PurgeAnswer(dryRun: dryRun, count: ids.count, ids: ids.map(\.rawValue)))
    }

    /// A boolean query parameter: absent, empty, `0` or `false` is false; `1` or `true` is true.
    private static func flag(_ text: Substring?, name: String) throws -> Bool {
        switch text?.lowercased() {
        case nil, "", "0", "false": return false
        case "1", "true": return true
        case let other?: throw APIError(.badRequest, "\(name) must be true or false, got '\(other.prefix(40))'")
        }
    }
}
