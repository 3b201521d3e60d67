/// The answer to `POST /api/workers/stop`.
struct StopAnswer: Encodable, Sendable {
    /// What the workers were asked to do (`drain`).
    let requested: String
    /// How many live workers were asked.
    let workers: Int
}
