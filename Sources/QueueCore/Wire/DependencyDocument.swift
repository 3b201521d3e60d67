/// The JSON form of one dependency of a job (`GET /api/jobs/{id}/dependencies`): `id`, `state` (null once it
/// was removed) and `waiting` (whether the job still waits for it).
public struct DependencyDocument: Encodable, Sendable {
    /// The dependency to render.
    public let dependency: JobDependencyStatus

    public init(_ dependency: JobDependencyStatus) {
        self.dependency = dependency
    }

    private enum CodingKeys: String, CodingKey {
        case id, state, waiting
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dependency.id.rawValue, forKey: .id)
        try container.encode(dependency.state?.rawValue, forKey: .state)
        try container.encode(dependency.isWaitedFor, forKey: .waiting)
    }
}
