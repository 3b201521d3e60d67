import Hummingbird
import QueueCore
import QueueOperations

extension APIRoutes {
    /// `GET /api/jobs/{id}/dependencies`: the jobs this one runs after (its `after`), each with its state now
    /// and whether the job still waits for it, as `show` lists them (`[]` when none); 404 for an unknown job.
    func dependencies(_ id: JobID) async throws -> Response {
        let job = try await operations.job(id)
        return JSONBody.response(try await operations.dependencies(of: job).map(DependencyDocument.init))
    }
}
