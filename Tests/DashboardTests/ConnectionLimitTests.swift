import Foundation
import Hummingbird
import HummingbirdTesting
import QueueCore
import QueueDashboard
import QueueTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Dashboard connections: idle timeout, connection cap, logs that are not files")
struct ConnectionLimitTests {
    @Test("a connection that sends half a request is closed after the idle timeout")
    func halfSentRequestIsClosed() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        let dashboard = DashboardApp(
            store: fixture.store,
            configuration: DashboardConfiguration(
                port: 0, token: DashboardFixture.token, home: fixture.home, idleTimeout: .seconds(1)),
            clock: fixture.clock)
        try await Self.serve(dashboard) { port in
            let socket = try RawConnection(port: port)
            defer { socket.close() }
            socket.send("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let start = ContinuousClock.now
            // Without an idle timeout the server waits for the rest for ever: this read would time out (10 s).
            #expect(socket.waitForClose(timeout: 10), "the half-sent request's connection is still open")
            #expect(ContinuousClock.now - start < .seconds(8))
        }
    }

    @Test("past the connection cap, a new connection is served only once an idle one has been closed")
    func connectionCap() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        let dashboard = DashboardApp(
            store: fixture.store,
            configuration: DashboardConfiguration(
                port: 0, token: DashboardFixture.token, home: fixture.home, idleTimeout: .seconds(2),
                maximumConnections: 2),
            clock: fixture.clock)
        try await Self.serve(dashboard) { port in
            // No idle timer can start before this moment, so no place can be freed before 2 s after it.
            let start = ContinuousClock.now
            let hogs = try (0..<2).map { _ in try RawConnection(port: port) }
            defer { for hog in hogs { hog.close() } }
            for hog in hogs {
                // Served once, so the server has surely taken the connection (it takes several at a time).
                hog.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                #expect(hog.read(until: "queuectl_workers", timeout: 10))
                hog.send("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            }
            // The hogs took both places: the next request waits until the idle timeout frees one.
            let probe = try RawConnection(port: port)
            defer { probe.close() }
            probe.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let answer = probe.readAll(timeout: 15)
            let answered = ContinuousClock.now
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
            // The server closes a hog before it accepts the probe, so that close is here before the answer.
            #expect(hogs.contains { $0.isClosed() }, "the third connection was served while two were held")
            #expect(answered - start >= .milliseconds(1500), "the third connection was served before any idle timeout")
            #expect(hogs.allSatisfy { $0.waitForClose(timeout: 1) })
        }
    }

    /// Runs `dashboard` on a free loopback port, with no other client connected (HummingbirdTesting's live
    /// client holds a connection of its own, which would count against the cap), until `body` returns.
    static func serve(_ dashboard: DashboardApp, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let application = dashboard.application(onListening: { port in listening.yield(port) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            var next = ports.makeAsyncIterator()
            guard let port = await next.next() else { throw QueueError.operationFailed("the dashboard did not start") }
            do {
                try await body(port)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    @Test("a FIFO in place of a log file is refused at once, and the dashboard keeps answering")
    func fifoLog() async throws {
        let fixture = try await DashboardFixture(.sqlite)
        try await fixture.enqueue([makeJob("piped")])
        let path = fixture.home.logFile(for: JobID(trusted: "piped"))
        #expect(mkfifo(path, 0o600) == 0)
        defer {
            // Should a read block on the FIFO after all (the bug), a writer lets it go.
            let writer = open(path, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { Glibc.close(writer) }
        }
        try await fixture.test { client in
            let answers = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<4 { group.addTask { try await client.send(.get, "/api/jobs/piped/log").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0 == .internalServerError }, "\(answers)")
            let status = try await client.send(.get, "/api/status")
            #expect(status.status == .ok)
        }
    }
}

/// A plain TCP connection to the dashboard, for what an HTTP client will not do: send half a request.
final class RawConnection: Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else {
            throw QueueError.operationFailed("cannot connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// How a `receive` ended.
    enum ReceiveEnd {
        /// `enough` said so.
        case satisfied
        /// The server closed the connection (end of file or reset), or the socket failed.
        case closed
        /// `timeout` seconds passed.
        case timedOut
    }

    /// Receives into `received` until `enough(received)` holds, the connection closes, or `timeout` seconds pass.
    private func receive(
        timeout: Int, into received: inout [UInt8], until enough: ([UInt8]) -> Bool = { _ in false }
    ) -> ReceiveEnd {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) < 0 {
                if errno == EINTR { continue }
                return .closed
            }
            guard poller.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return .closed }
            received += buffer[0..<count]
            if enough(received) { return .satisfied }
        }
        return .timedOut
    }

    /// Everything received until the server closes the connection or `timeout` seconds pass.
    func readAll(timeout: Int) -> String {
        var received: [UInt8] = []
        _ = receive(timeout: timeout, into: &received)
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether `marker` arrives within `timeout` seconds (the connection stays open).
    func read(until marker: String, timeout: Int) -> Bool {
        var received: [UInt8] = []
        return receive(timeout: timeout, into: &received) { String(decoding: $0, as: UTF8.self).contains(marker) }
            == .satisfied
    }

    /// Whether the server closed the connection (end of file or reset) within `timeout` seconds.
    func waitForClose(timeout: Int) -> Bool {
        var received: [UInt8] = []
        return receive(timeout: timeout, into: &received) == .closed
    }

    /// Whether the server has already closed the connection (end of file or reset), without waiting. Reads
    /// and drops whatever arrived before the end.
    func isClosed() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            return count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}
