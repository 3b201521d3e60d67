import Hummingbird
import QueueCore
import QueueOperations

extension APIRoutes {
    /// `GET /api/schedules`: what `schedule list --json` prints (next run as seen now).
    func schedules() async throws -> Response {
        JSONBody.response(try await operations.schedules())
    }
}
