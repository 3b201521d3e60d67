import Hummingbird
import QueueCore
import QueueOperations

extension APIRoutes {
    /// `POST /api/jobs/{id}/cancel`: `cancel ID` (without `--wait`, default grace). Answers the job as it is
    /// right afterwards (a running one still `processing` until its worker stopped it); 404 for an unknown
    /// job, 409 for a completed, dead or cancelled one.
    func cancel(_ id: JobID) async throws -> Response {
        let cancelled = try await operations.cancel([id], grace: Operations.defaultCancelGrace)
        guard let job = cancelled.first else { throw QueueError.jobNotFound(id) }
        return JSONBody.response(JobDocument(job: job, home: home))
    }
}
