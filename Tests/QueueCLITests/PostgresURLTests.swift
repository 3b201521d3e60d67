import QueueCore
import Testing

/// Parsing PostgreSQL URLs whose passwords hold URL syntax, and masking credentials in any text.
@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("the credentials end at the last '@', so a password may hold '/', '?', '#', ':' or '@'", arguments: [
        ("postgres://app:Zq9?secret@db.example/queue", "Zq9?secret"),
        ("postgres://app:8841/secret@db.example/queue", "8841/secret"),
        ("postgres://app:a#b:c@d@db.example/queue", "a#b:c@d"),
        ("postgresql://app:p%40ss%2Fword@db.example/queue", "p@ss/word"),
    ])
    func passwordSyntax(text: String, password: String) throws {
        let url = try PostgresURL(parsing: text)
        #expect(url.password == password)
        #expect(url.user == "app")
        #expect(url.host == "db.example" && url.port == 5432 && url.database == "queue")
        #expect(try PostgresURL(parsing: url.connectionString) == url)
    }

    @Test("user, port, database and sslmode are read as before")
    func plainURL() throws {
        let url = try PostgresURL(parsing: "postgres://alice@[::1]:6543/jobs?sslmode=require&application_name=q")
        #expect(url.user == "alice" && url.password == nil)
        #expect(url.host == "::1" && url.port == 6543 && url.database == "jobs" && url.tlsMode == .require)
        #expect(url.endpoint == "[::1]:6543")
        let bare = try PostgresURL(parsing: "postgres://db.example")
        #expect(bare.user == "postgres" && bare.database == "postgres" && bare.port == 5432)
    }

    @Test("redact masks every credential it finds, in URLs, parameters and bare user:pass@host words", arguments: [
        ("postgres://u:pw@h/db", "postgres://***@h/db"),
        ("at 'postgres://u:a b@h/db' then", "at 'postgres://***@h/db' then"),
        ("postgres://u:pw@h/db?password=pw&sslmode=x", "postgres://***@h/db?password=***&sslmode=x"),
        ("postgres://u@h/db?PASSWORD=pw", "postgres://***@h/db?PASSWORD=***"),
        ("unexpected argument 'u:pw@host/db'", "unexpected argument 'u:***@host/db'"),
        ("'/cwd/postgres:/u:pw@h/db': no such directory", "'/cwd/postgres:***@h/db': no such directory"),
        ("no credentials at host:5432 or user@host", "no credentials at host:5432 or user@host"),
    ])
    func redact(text: String, redacted: String) {
        #expect(PostgresURL.redact(text) == redacted)
    }

    @Test("messages about a bad URL echo neither the password nor any parameter value", arguments: [
        "postgres://u:SECRET@h/db?sslmode=SECRET", "postgres://u@h/db?password=SECRET", "postgres://u:SECRET@h:x/db",
        "postgres://u:SECRET@h/db?SECRET=1", "postgres://u:SECRET@/db", "mysql://u:SECRET@h/db",
    ])
    func messages(text: String) {
        do {
            _ = try PostgresURL(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.isUsage)
            #expect(!error.description.contains("SECRET"), "\(error.description)")
        }
    }
}

extension PostgresURLTests {
    @Test("an unsupported parameter is named in a URL without credentials")
    func parameterName() {
        #expect(throws: QueueError.invalidInput(
            "invalid PostgreSQL URL 'postgres://h/db': unsupported parameter 'colour' (supported: sslmode); use postgres://user:pass@host:5432/db"
        )) { try PostgresURL(parsing: "postgres://h/db?colour=red") }
    }
}

extension PostgresURLTests {
    @Test("redact keeps the advice after a masked URL readable", arguments: [
        (
            "invalid PostgreSQL URL 'postgres://u:pw@h:x/db': it is not a URL; use postgres://user:pass@host:5432/db",
            "invalid PostgreSQL URL 'postgres://***@h:x/db': it is not a URL; use postgres://user:pass@host:5432/db"
        ),
        ("put it in the URL (postgres://user:PASSWORD@host:port/db)", "put it in the URL (postgres://user:PASSWORD@host:port/db)"),
        ("a postgres://u:p@h and postgres://v:q@k", "a postgres://***@h and postgres://***@k"),
    ])
    func adviceStaysReadable(text: String, redacted: String) {
        #expect(PostgresURL.redact(text) == redacted)
    }
}
