/// The answer to `POST /api/purge`: how many finished jobs were deleted (with `dry_run`, would be) and their ids.
struct PurgeAnswer: Encodable, Sendable {
    /// Whether nothing was deleted, only counted.
    let dryRun: Bool
    /// How many jobs were (or would be) deleted.
    let count: Int
    /// Their ids.
    let ids: [String]

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case count
        case ids
    }
}
