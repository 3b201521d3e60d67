import Foundation
import GRDB
import QueueCore

extension QueueError {
    /// Maps an error thrown inside a database access to one clean line (no Swift type dumps);
    /// a `QueueError` thrown by the store's own checks passes through unchanged.
    static func sqlite(_ error: any Error) -> QueueError {
        if let queueError = error as? QueueError { return queueError }
        if let databaseError = error as? DatabaseError, databaseError.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE,
            databaseError.message?.contains("queuectl_job.unique_key") == true
        {
            return UniqueKey.heldByAnotherJob
        }
        return .operationFailed("queue database error: \(sqliteReason(error))")
    }

    /// The reason SQLite gives for `error` (e.g. "file is not a database"), without the statement text.
    static func sqliteReason(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        }
        if let queueError = error as? QueueError { return queueError.description }
        return String(describing: error).split(separator: "\n").first.map(String.init) ?? "unknown error"
    }
}
