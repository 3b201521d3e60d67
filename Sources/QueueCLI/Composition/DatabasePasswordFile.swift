import QueueCore

/// A file holding a PostgreSQL password (`QUEUECTL_DB_PASSWORD_FILE`), so that the password need not be in a
/// process's environment, where every job of a worker would inherit it, or in its arguments, where `ps` shows it.
///
/// Like PostgreSQL's `PGPASSFILE`, it must be a regular file that no other account can read or write (mode 0600
/// or stricter). It holds the password alone; one final line break is ignored. It is read only for a
/// `postgres://` URL that carries no password.
public enum DatabasePasswordFile {
    /// The variable that names the file.
    public static let variable = "QUEUECTL_DB_PASSWORD_FILE"

    /// The password in the file at `path`; a file that cannot be read, is not private or is empty is exit 1.
    public static func read(_ path: String) throws(QueueError) -> String {
        try PrivateFile.read(path, what: "the password file '\(path)' (\(variable))") { .storeUnavailable($0) }
    }

    /// Writes `password` to `path` (mode 0600), replacing the file there.
    public static func save(_ password: String, at path: String) throws(QueueError) {
        try PrivateFile.save(password, to: path, replacing: true)
    }
}
