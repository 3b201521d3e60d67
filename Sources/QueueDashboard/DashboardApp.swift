import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import QueueCore
import QueueOperations

/// The dashboard: the page at `/`, the JSON API under `/api/`, Prometheus metrics at `/metrics`, all over one
/// injected store. Bound to loopback unless told otherwise; every API request needs the bearer token.
public struct DashboardApp: Sendable {
    /// The queue shown.
    public let store: any JobStore
    /// Address, port, token and data directory.
    public let configuration: DashboardConfiguration
    /// Where `now` comes from (worker leases, enqueue times).
    public let clock: any TimeSource
    /// The Prometheus exporter.
    public let metrics: StoreMetrics

    /// A dashboard over `store`; `metrics` is `StoreMetrics.bootstrapped()` in the command, a fresh one in tests.
    public init(
        store: any JobStore, configuration: DashboardConfiguration, clock: any TimeSource = SystemTimeSource(),
        metrics: StoreMetrics = StoreMetrics()
    ) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.metrics = metrics
    }

    /// Every route, behind the error, access and method middleware. GET routes answer HEAD too (headers only);
    /// a known path asked with another method is a 405 with `Allow`.
    public func router() -> Router<BasicRequestContext> {
        let operations = Operations(store: store, clock: clock)
        let snapshots = SnapshotCache(operations: operations)
        let endpoints: [Endpoint<BasicRequestContext>] =
            [Endpoint(.get, "/") { _, _ in Page.response() }]
            + APIRoutes(operations: operations, home: configuration.home, snapshots: snapshots).endpoints()
            + MetricsRoutes(metrics: metrics, snapshots: snapshots).endpoints()
        let router = Router(options: .autoGenerateHeadEndpoints)
        // Added before any route, so they also wrap the "not found" answer.
        router.add(middleware: ErrorMiddleware())
        router.add(
            middleware: AccessMiddleware(
                token: configuration.token, loopback: configuration.isLoopback,
                protectMetrics: configuration.protectMetrics))
        router.add(middleware: MethodMiddleware(routes: RouteTable(endpoints.map { ($0.method, $0.path) })))
        for endpoint in endpoints {
            router.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                try await endpoint.handler(request, context)
            }
        }
        return router
    }

    /// The HTTP server; `onListening` receives the bound port (the chosen one when the port is 0). Connections that
    /// send nothing for `idleTimeout` are closed and at most `maximumConnections` are served at once, so clients
    /// that open connections and never finish a request cannot hold the server.
    public func application(
        logger: Logger = DashboardApp.quietLogger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        let address = BindAddress.hostname(configuration.host, port: configuration.port)
        let idle = configuration.idleTimeout.components
        let idleTimeout = TimeAmount.seconds(idle.seconds) + .nanoseconds(idle.attoseconds / 1_000_000_000)
        return Application(
            router: router(), server: .http1(configuration: .init(idleTimeout: idleTimeout)),
            configuration: .init(
                address: address, serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully (requests in flight finish).
    /// A socket error (port taken, address not on this host) is thrown as `QueueError.operationFailed`.
    public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        do {
            try await application(onListening: onListening).runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as IOError {
            let reason = String(cString: strerror(error.errnoCode))
            throw QueueError.operationFailed(
                "cannot listen on \(configuration.host):\(configuration.port): \(reason); choose another --port or --host")
        }
    }

    /// Hummingbird's logger, limited to errors so the dashboard's stdout carries only its own lines.
    public static var quietLogger: Logger {
        var logger = Logger(label: "queuectl.dashboard")
        logger.logLevel = .error
        return logger
    }
}
