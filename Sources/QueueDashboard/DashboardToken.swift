import QueueCore

/// The dashboard's bearer token: generated when the user gives none, compared in constant time.
public enum DashboardToken {
    /// A fresh token: 32 lowercase hex digits (128 bits) drawn from `generator`.
    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<32).map { _ in digits[Int(generator.next() % 16)] })
    }

    /// A fresh token from the system's secure random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Whether `candidate` equals `expected`, taking the same time whatever the first differing byte,
    /// so the token cannot be guessed byte by byte from response times.
    public static func matches(_ candidate: Substring, expected: String) -> Bool {
        let given = Array(candidate.utf8)
        let wanted = Array(expected.utf8)
        var difference = UInt8(truncatingIfNeeded: given.count ^ wanted.count)
        if given.count != wanted.count { difference |= 1 }
        for index in 0..<wanted.count {
            let byte = index < given.count ? given[index] : 0
            difference |= byte ^ wanted[index]
        }
        return difference == 0 && !wanted.isEmpty
    }
}

extension DashboardToken {
    /// The variable a token may come from.
    public static let environmentVariable = "QUEUECTL_DASHBOARD_TOKEN"
    /// The file in the data directory that keeps a generated token across restarts.
    public static let fileName = "dashboard.token"

    /// Where the token in use came from, for the start message.
    public enum Source: Sendable, Equatable {
        /// `--token-file FILE`.
        case file(String)
        /// `QUEUECTL_DASHBOARD_TOKEN`.
        case environment
        /// `<home>/dashboard.token`, generated now or on an earlier start (`created` says which).
        case kept(String, created: Bool)
    }

    /// The token the user gave: from `tokenFile` (a private file, as `PrivateFile` reads it), else
    /// `QUEUECTL_DASHBOARD_TOKEN`; nil when neither is given. Never from the command line, where every local
    /// account could read it with `ps`.
    public static func given(
        tokenFile: String?, environment: [String: String]
    ) throws(QueueError) -> (token: String, source: Source)? {
        if let tokenFile {
            let token = try PrivateFile.read(tokenFile, what: "--token-file '\(tokenFile)'") { .invalidInput($0) }
            try check(token, from: "--token-file '\(tokenFile)'")
            return (token, .file(tokenFile))
        }
        if let token = environment[environmentVariable] {
            try check(token, from: environmentVariable)
            return (token, .environment)
        }
        return nil
    }

    /// The token kept in `<home>/dashboard.token`: generated (32 hex digits, mode 0600) when missing and reused on
    /// the next start, so a page left open keeps working across a restart. The home must exist.
    public static func kept(in home: QueueHome) throws(QueueError) -> (token: String, source: Source) {
        let path = home.root.appendingPathComponent(fileName).path
        let fresh = generate()
        let created = try PrivateFile.save(fresh, to: path, replacing: false)
        let token = try created ? fresh : PrivateFile.read(path, what: "the dashboard token file '\(path)'") { .operationFailed($0) }
        try check(token, from: "'\(path)' (delete it for a new token)")
        return (token, .kept(path, created: created))
    }

    /// Refuses a token that is empty or holds anything but printable ASCII without spaces.
    static func check(_ token: String, from origin: String) throws(QueueError) {
        guard !token.isEmpty, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else {
            throw .invalidInput("the dashboard token from \(origin) must be non-empty printable ASCII without spaces")
        }
    }
}
