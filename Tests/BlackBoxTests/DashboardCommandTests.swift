import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import QueueCore
import QueueTestSupport
import Testing

@Suite("queuectl dashboard command")
struct DashboardCommandTests {
    @Test("bad options are usage errors: one line, exit 2", arguments: [
        ["dashboard", "--port", "70000"], ["dashboard", "--port", "-1"], ["dashboard", "--host", ""],
        ["dashboard", "--token-file", "/nonexistent/token"],
    ])
    func badOptions(arguments: [String]) async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run(arguments)
        result.expectError(status: 2)
    }

    @Test("a port already in use fails with one line and exit 1, and the running dashboard serves the API")
    func portInUse() async throws {
        let cli = try await CLI(.sqlite)
        let server = try await DashboardBrowserTests.Server(cli: cli)
        do {
            let port = try #require(server.url.split(separator: ":").last?.dropLast())
            let result = try await cli.run(["dashboard", "--port", String(port)])
            result.expectError(status: 1, mentioning: ["cannot listen on 127.0.0.1:\(port)", "in use"])

            #expect(server.token.count == 32)
            #expect(server.token.allSatisfy { "0123456789abcdef".contains($0) })
            let status = try await Self.fetch(server.url + "api/status", token: server.token)
            #expect(status == (try await cli.statusJSON()).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0)
    }

    @Test("the API answers byte for byte what the CLI's --json prints", arguments: TestBackend.all)
    func sameBytesAsCLI(backend: TestBackend) async throws {
        let cli = try await CLI(backend)
        let command = #"echo "<script>alert('x')</script>" && echo a&b > /dev/null"#
        #expect(try await cli.run(["enqueue", "--id", "xss", "--command", command, "--priority", "3"]).status == 0)
        #expect(try await cli.run(["enqueue", "--id", "later", "--command", "true", "--delay", "600"]).status == 0)
        try await cli.makeDeadJobs(["doomed"])
        let server = try await DashboardBrowserTests.Server(cli: cli)
        do {
            for (path, arguments) in [
                ("api/jobs/xss", ["show", "xss", "--json"]), ("api/jobs/doomed", ["show", "doomed", "--json"]),
                ("api/jobs", ["list", "--json"]), ("api/jobs?state=dead", ["list", "--state", "dead", "--json"]),
                ("api/status", ["status", "--json"]),
            ] {
                let printed = try await cli.run(arguments)
                #expect(printed.status == 0, "\(printed)")
                let answered = try await Self.fetch(server.url + path, token: server.token)
                // The CLI ends its one line with a newline; otherwise the documents are the same bytes.
                #expect(answered + "\n" == printed.stdout, "GET /\(path) differs from queuectl \(arguments.joined(separator: " "))")
            }
            #expect(try await Self.fetch(server.url + "api/jobs/xss", token: server.token).contains("<script>alert('x')</script>"))
        } catch {
            _ = try? await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0)
    }

    @Test("help says that every API request needs the token, where it comes from, and how the page gets it")
    func help() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("dashboard", "--help")
        #expect(result.status == 0)
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("Every API request needs the token as 'Authorization: Bearer <token>', reading too, on loopback too"), "\(result.stdout)")
        #expect(help.contains("--token-file"), "\(result.stdout)")
        #expect(help.contains("QUEUECTL_DASHBOARD_TOKEN"), "\(result.stdout)")
        #expect(help.contains("#token="), "\(result.stdout)")
        #expect(!help.contains("?token="), "\(result.stdout)")
    }

    @Test("--token on the command line is refused with one line that says where to put the token, exit 2")
    func tokenArgumentRefused() async throws {
        let cli = try await CLI(.sqlite)
        let result = try await cli.run("dashboard", "--token", "s3cret")
        result.expectError(status: 2, mentioning: ["--token-file", "QUEUECTL_DASHBOARD_TOKEN", "ps"])
        #expect(!FileManager.default.fileExists(atPath: cli.home), "a refused dashboard created the home")
    }

    @Test("a generated token is kept in a 0600 file of the home, reused after a restart, and never in the process's arguments")
    func generatedTokenKept() async throws {
        let cli = try await CLI(.sqlite)
        let first = try await DashboardBrowserTests.Server(cli: cli)
        let tokenFile = cli.home + "/dashboard.token"
        do {
            #expect(first.token.count == 32)
            #expect(first.browserAddress == first.url + "#token=" + first.token)
            #expect(first.tokenLine.contains(tokenFile), "\(first.tokenLine)")
            #expect(try String(contentsOfFile: tokenFile, encoding: .utf8) == first.token)
            var status = stat()
            #expect(stat(tokenFile, &status) == 0 && status.st_mode & 0o777 == 0o600)
            let arguments = try #require(FileManager.default.contents(atPath: "/proc/\(first.process.processIdentifier)/cmdline"))
            #expect(!String(decoding: arguments, as: UTF8.self).contains(first.token))
        } catch {
            _ = try? await first.stop()
            throw error
        }
        #expect(try await first.stop() == 0)
        let second = try await DashboardBrowserTests.Server(cli: cli)
        #expect(second.token == first.token)
        #expect(try await second.stop() == 0)
    }

    @Test("the token comes from --token-file or QUEUECTL_DASHBOARD_TOKEN, never from the arguments, and reads need it")
    func tokenFromFileOrEnvironment() async throws {
        let cli = try await CLI(.sqlite)
        let path = cli.directory.file("token")
        let fileToken = "f1le&tok#en%"
        #expect(FileManager.default.createFile(atPath: path, contents: Data((fileToken + "\n").utf8), attributes: [.posixPermissions: 0o600]))
        let fromFile = try await DashboardBrowserTests.Server(cli: cli, options: ["--token-file", path])
        do {
            #expect(fromFile.token == fileToken)
            #expect(fromFile.browserAddress == fromFile.url + "#token=f1le%26tok%23en%25")
            #expect(try await Self.get(fromFile.url + "api/status").status == 401)
            #expect(try await Self.get(fromFile.url + "api/status", token: fileToken).status == 200)
            #expect(try await Self.get(fromFile.url).status == 200, "the page itself holds no data and needs no token")
            let arguments = try #require(FileManager.default.contents(atPath: "/proc/\(fromFile.process.processIdentifier)/cmdline"))
            #expect(!String(decoding: arguments, as: UTF8.self).contains("f1le"))
        } catch {
            _ = try? await fromFile.stop()
            throw error
        }
        #expect(try await fromFile.stop() == 0)

        let fromEnvironment = try await DashboardBrowserTests.Server(cli: cli, environment: ["QUEUECTL_DASHBOARD_TOKEN": "env-token"])
        #expect(fromEnvironment.token == "env-token")
        #expect(fromEnvironment.tokenLine.contains("QUEUECTL_DASHBOARD_TOKEN"))
        #expect(try await Self.get(fromEnvironment.url + "api/jobs", token: "env-token").status == 200)
        #expect(try await fromEnvironment.stop() == 0)

        // A token file other accounts can read is refused.
        #expect(chmod(path, 0o644) == 0)
        let shared = try await cli.run(["dashboard", "--port", "0", "--token-file", path])
        shared.expectError(status: 2, mentioning: ["chmod 600"])
    }

    /// A GET of `url` with an optional bearer token, without any cookie store: the status.
    static func get(_ url: String, token: String? = nil) async throws -> (status: Int, setCookie: String?) {
        guard let address = URL(string: url) else { throw QueueError.invalidInput("bad URL \(url)") }
        var request = URLRequest(url: address)
        request.httpShouldHandleCookies = false
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        let (_, response) = try await URLSession(configuration: configuration).data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Set-Cookie"))
    }

    /// The body of a GET to `url` with the dashboard's token.
    static func fetch(_ url: String, token: String) async throws -> String {
        guard let address = URL(string: url) else { throw QueueError.invalidInput("bad URL \(url)") }
        var request = URLRequest(url: address)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return String(decoding: data, as: UTF8.self)
    }
}
