/// What `queuectl dashboard` was asked for, checked (see `Dashboard.validate()`).
public struct DashboardOptions: Sendable {
    /// The address to bind.
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int
    /// `--token-file`: a file holding the bearer token.
    public var tokenFile: String?
    /// `--protect-metrics`: `/metrics` needs the token on loopback too.
    public var protectMetrics: Bool

    /// Options as the command parsed them.
    public init(host: String, port: Int, tokenFile: String?, protectMetrics: Bool) {
        self.host = host
        self.port = port
        self.tokenFile = tokenFile
        self.protectMetrics = protectMetrics
    }
}
