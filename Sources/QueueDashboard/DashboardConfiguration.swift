import QueueCore
import QueueOperations

/// Where the dashboard listens, the token that guards it, the limits on its connections, and the data directory
/// its log paths point into.
public struct DashboardConfiguration: Sendable {
    /// The address to bind (`127.0.0.1` unless told otherwise).
    public var host: String
    /// The TCP port; 0 lets the system pick a free one.
    public var port: Int
    /// The bearer token every API request must carry, reading too.
    public var token: String
    /// The data directory: job logs are read from its `logs/` folder and nowhere else.
    public var home: QueueHome
    /// Whether `/metrics` needs the token on loopback too (off loopback it always does).
    public var protectMetrics: Bool
    /// How long a connection may send nothing (also in the middle of a request) before it is closed.
    public var idleTimeout: Duration
    /// The most connections served at once; further ones wait in the listen queue until one closes.
    public var maximumConnections: Int

    /// The largest request body accepted (1 MiB); bigger bodies get 413.
    public static let bodyLimit = 1 << 20
    /// The idle timeout when none is given: long enough for a slow network, short enough that connections left
    /// half-sent on purpose cannot pile up.
    public static let defaultIdleTimeout = Duration.seconds(15)
    /// The connection cap when none is given: far above what a page and a few scrapers use.
    public static let defaultMaximumConnections = 64

    /// Listens on `host`:`port`, guarded by `token`, reading logs under `home`.
    public init(
        host: String = DashboardDefaults.host, port: Int = DashboardDefaults.port, token: String, home: QueueHome, protectMetrics: Bool = false,
        idleTimeout: Duration = defaultIdleTimeout, maximumConnections: Int = defaultMaximumConnections
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.home = home
        self.protectMetrics = protectMetrics
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
    }

    /// Whether the bound address only accepts connections from this machine (on loopback `/metrics` may be read
    /// without the token).
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// Whether `host` (an address or host name, IPv6 with or without brackets) names the loopback interface.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
