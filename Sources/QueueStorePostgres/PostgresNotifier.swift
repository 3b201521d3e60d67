import Foundation
import PostgresNIO
import QueueCore

/// `LISTEN/NOTIFY` wake-ups: each stream owns one dedicated connection that listens on
/// `PostgresSQL.wakeupChannel` and yields once per notification. When the connection drops it
/// reconnects (with a pause) and yields once, because notifications sent meanwhile are lost; the
/// workers' polling stays the fallback for everything else.
final class PostgresNotifier: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// A new stream of wake-ups; its connection closes when the consumer stops iterating.
    func wakeups() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let task = Task { [configuration, logger] in
            await Self.listen(configuration: configuration, logger: logger, continuation: continuation)
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private static func listen(
        configuration: PostgresConnection.Configuration, logger: Logger,
        continuation: AsyncStream<Void>.Continuation
    ) async {
        var reconnecting = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: PostgresJobStore.nextConnectionID(), logger: logger)
                if reconnecting { continuation.yield() }
                reconnecting = true
                // Cancelling the stream closes the connection, which ends the notification sequence.
                do {
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: PostgresSQL.wakeupChannel) { notifications in
                            for try await _ in notifications { continuation.yield() }
                        }
                    } onCancel: {
                        connection.close().whenComplete { _ in }
                    }
                } catch {
                    logger.debug("wake-up listener stopped", metadata: ["reason": "\(type(of: error))"])
                }
                // postgres-nio requires a connection to be closed before it is released.
                connection.close().whenComplete { _ in }
                try? await connection.closeFuture.get()
            } catch {
                logger.debug("wake-up listener lost its connection", metadata: ["reason": "\(type(of: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
        continuation.finish()
    }
}
