import ArgumentParser
import Foundation
import QueueCore
import QueueOperations

/// `queuectl dashboard`: the web page, JSON API and Prometheus metrics over the store, until SIGTERM or SIGINT.
struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the web dashboard, a JSON API under /api/ and Prometheus metrics at /metrics.",
        discussion: """
            Binds to 127.0.0.1 unless --host says otherwise. Every API request needs the token as
            'Authorization: Bearer <token>', reading too, on loopback too; /metrics is open on loopback for
            scrapers unless --protect-metrics. The token comes from --token-file FILE (a file only you can
            read), else $QUEUECTL_DASHBOARD_TOKEN, else <home>/dashboard.token (generated once, mode 0600,
            reused on restart). It is never taken on the command line, where 'ps' shows it to every local
            account. At start it prints the address to open in a browser, with #token=…: the page keeps the
            token and sends it with each API call. SIGTERM or SIGINT stop it (exit 0).

            Example:
              queuectl dashboard
              curl -H @<(printf 'Authorization: Bearer %s' "$(< ~/.queuectl/dashboard.token)") localhost:8080/api/status
              queuectl dashboard --host 0.0.0.0 --token-file ~/.config/queuectl/token
            """)

    @OptionGroup var global: GlobalOptions

    /// The address to bind.
    @Option(help: ArgumentHelp("The address to listen on (default: loopback only).", valueName: "address"))
    var host = DashboardDefaults.host

    /// The port to bind.
    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one (printed at start).", valueName: "port"))
    var port = DashboardDefaults.port

    /// A file holding the bearer token.
    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "A file holding the token, readable by you alone (default: $QUEUECTL_DASHBOARD_TOKEN, else <home>/dashboard.token).",
            valueName: "file"))
    var tokenFile: String?

    /// Refused: a token in the arguments is in `ps` for every local account. Kept (hidden) to say so.
    @Option(help: .hidden)
    var token: String?

    /// Whether `/metrics` needs the token on loopback too.
    @Flag(name: .customLong("protect-metrics"), help: "Require the token for /metrics on loopback too (off loopback it always is).")
    var protectMetrics = false

    /// Checks the options before the store is opened (usage errors exit 2).
    func validate() throws {
        if token != nil {
            throw ValidationError(
                "--token is refused: every local account can read a command line with 'ps'; put the token in a file "
                    + "only you can read and use --token-file FILE, or set QUEUECTL_DASHBOARD_TOKEN")
        }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be from 0 to 65535, got \(port)")
        }
        guard !host.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--host is empty: give an address such as 127.0.0.1")
        }
    }

    /// Runs the command in the server half (errors are mapped to exit codes by `QueueCtl.main`).
    func run() async throws {
        let context = CommandContext.current
        let options = DashboardOptions(host: host, port: port, tokenFile: tokenFile, protectMetrics: protectMetrics)
        try await context.serverHalf.serveDashboard(options, resolver: try global.resolver(context), context: context)
    }
}
