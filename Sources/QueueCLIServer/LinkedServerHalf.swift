import Foundation
import QueueCLI
import QueueCore
import QueueDashboard
import QueueStorePostgres

/// The server half linked into the process (`queuectl-server`, and the in-process CLI tests): the PostgreSQL
/// store and the dashboard. With `StoreResolver` (SQLite) it is the composition root of the full program: the
/// only place that knows `PostgresJobStore` and `DashboardApp`.
public struct LinkedServerHalf: ServerHalf {
    /// The half of this process.
    public init() {}

    /// Nothing to do: this process serves the command itself.
    public func handOver() throws(QueueError) {}

    /// Connects with the server's clock stamping leases and due times, so hosts with skewed clocks agree.
    public func openPostgresStore(url: PostgresURL) async throws -> any JobStore {
        try await PostgresJobStore.connect(url: url.connectionString, clock: .database)
    }

    /// Finds the token (before the store is opened, so a bad token file fails first), opens the store, serves.
    public func serveDashboard(_ options: DashboardOptions, resolver: StoreResolver, context: CommandContext) async throws {
        let host = options.host
        let given = try DashboardToken.given(tokenFile: options.tokenFile, environment: context.environment)
        try await resolver.withStore { store in
            let (token, source) = try given ?? DashboardToken.kept(in: resolver.home)
            let dashboard = DashboardApp(
                store: store,
                configuration: DashboardConfiguration(
                    host: host, port: options.port, token: token, home: resolver.home,
                    protectMetrics: options.protectMetrics),
                clock: context.clock, metrics: StoreMetrics.bootstrapped())
            do {
                try await dashboard.run { boundPort in
                    let address = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
                    let url = "http://\(address):\(boundPort)/"
                    let lines = [
                        "Dashboard: \(url)",
                        "Token: \(Self.describe(source))",
                        // A #fragment never reaches the server (nor its logs): the page reads it and sends the token
                        // in a header.
                        "Open \(url)#token=\(Self.urlEncoded(token)) in a browser; SIGTERM or Ctrl-C stops.",
                    ]
                    context.standardOutput.write(lines.joined(separator: "\n") + "\n")
                }
            } catch let error as QueueError {
                throw error
            } catch {
                // Binding is what fails in practice (port taken, address not on this host).
                throw QueueError.operationFailed("cannot serve the dashboard on \(host):\(options.port): \(error)")
            }
        }
    }

    /// `token` as a URL fragment value: anything but letters, digits and `-._~` percent-encoded, so a token
    /// holding `&`, `#` or `%` still reaches the page whole.
    static func urlEncoded(_ token: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? token
    }

    /// Where the token came from, in the words of the start message.
    static func describe(_ source: DashboardToken.Source) -> String {
        switch source {
        case .file(let path): "from --token-file \(path)"
        case .environment: "from \(DashboardToken.environmentVariable)"
        case .kept(let path, let created):
            "\(created ? "generated into" : "kept in") \(path) (reused on restart; delete the file for a new one)"
        }
    }
}
