import Foundation
import Hummingbird
import QueueCore
import QueueOperations

/// The routes of `schedule list/add/remove`: the same operations as the commands, so the same rules (400 for a
/// bad body, name, expression, interval or zone; 409 for a taken name; 404 for an unknown one). Changes follow
/// the token rules of every change (`AccessMiddleware`).
extension APIRoutes {
    /// `GET /api/schedules`: what `schedule list --json` prints (next run as seen now).
    func schedules() async throws -> Response {
        JSONBody.response(try await operations.schedules())
    }

    /// `POST /api/schedules` with the body `{"name", "cron" | "every", "command", "queue"?, "priority"?,
    /// "timeout"?, "max_retries"?, "tz"?}`: `schedule add`. Answers 201 with the schedule's document, one
    /// element of `GET /api/schedules`.
    func addSchedule(_ request: Request) async throws -> Response {
        let body = try await Self.body(of: request)
        let schedule = try Operations.schedule(try ScheduleRequest.parse(body: Data(buffer: body)), addedAt: operations.clock.now())
        return JSONBody.response(try await operations.addSchedule(schedule), status: .created)
    }

    /// `DELETE /api/schedules/{name}`: `schedule remove NAME` (the jobs it enqueued stay). Answers
    /// `{"removed": [name]}`, as `DELETE /api/jobs/{id}` answers the ids it removed.
    func removeSchedule(named rawName: String) async throws -> Response {
        let name = try ScheduleName(rawName)
        try await operations.removeSchedule(named: name)
        return JSONBody.response(["removed": [name.rawValue]])
    }
}
