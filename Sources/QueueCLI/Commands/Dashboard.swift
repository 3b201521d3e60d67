import ArgumentParser
import Foundation
import QueueCore
import QueueDashboard

/// `queuectl dashboard`: the web page, JSON API and Prometheus metrics over the store, until SIGTERM or SIGINT.
struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the web dashboard, a JSON API under /api/ and Prometheus metrics at /metrics.",
        discussion: """
            Binds to 127.0.0.1 unless --host says otherwise. Requests that change the queue (enqueue,
            retry, stop workers) always need the token as 'Authorization: Bearer <token>'; off loopback
            every request does, reading too. Without --token a random one is generated. At start it prints
            the URL, the token, and the address to open in a browser: with #token=… on loopback, with
            ?token=… off loopback (the page then keeps working when reloaded or bookmarked). SIGTERM or
            SIGINT stop it (exit 0).

            Example:
              queuectl dashboard
              queuectl dashboard --port 9000 --token s3cret
              curl -H 'Authorization: Bearer s3cret' -X POST localhost:9000/api/jobs -d '{"command":"echo hi"}'
              queuectl dashboard --host 0.0.0.0 --token s3cret    # then open http://HOST:8080/?token=s3cret
            """)

    @OptionGroup var global: GlobalOptions

    /// The address to bind.
    @Option(help: ArgumentHelp("The address to listen on; anything but loopback requires the token on every request.", valueName: "address"))
    var host = DashboardConfiguration.defaultHost

    /// The port to bind.
    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one (printed at start).", valueName: "port"))
    var port = DashboardConfiguration.defaultPort

    /// The bearer token.
    @Option(help: ArgumentHelp(
        "The bearer token: needed for changes, and off loopback for every request (default: a random one, printed at start).",
        valueName: "token"))
    var token: String?

    /// Checks the options before the store is opened (usage errors exit 2).
    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be from 0 to 65535, got \(port)")
        }
        guard !host.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--host is empty: give an address such as 127.0.0.1")
        }
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace || !$0.isASCII }) {
            throw ValidationError("--token must be non-empty printable ASCII without spaces")
        }
    }

    /// `token` as a URL query or fragment value: anything but letters, digits and `-._~` percent-encoded, so a
    /// `--token` holding `&`, `#` or `%` still reaches the page whole.
    static func urlEncoded(_ token: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? token
    }

    /// Runs the command (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        let context = CommandContext.current
        let output = Output(context)
        let token = self.token ?? DashboardToken.generate()
        let host = self.host
        let loopback = DashboardConfiguration.isLoopback(host)
        try await global.withStore { store, resolver in
            let dashboard = DashboardApp(
                store: store,
                configuration: DashboardConfiguration(host: host, port: port, token: token, home: resolver.home),
                clock: context.clock, metrics: StoreMetrics.bootstrapped())
            do {
                try await dashboard.run { boundPort in
                    let address = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
                    let url = "http://\(address):\(boundPort)/"
                    output.lines([
                        "Dashboard: \(url)",
                        "Token: \(token)",
                        // Off loopback the page itself needs the token, and a #fragment never reaches the server.
                        "Open \(url)\(loopback ? "#" : "?")token=\(Self.urlEncoded(token)) to use it in the browser; SIGTERM or Ctrl-C stops.",
                    ])
                }
            } catch let error as QueueError {
                throw error
            } catch {
                // Binding is what fails in practice (port taken, address not on this host).
                throw QueueError.operationFailed("cannot serve the dashboard on \(host):\(port): \(error)")
            }
        }
    }
}
