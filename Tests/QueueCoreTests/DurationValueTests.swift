import QueueCore
import Testing

/// The one parser of every option that takes seconds (`--delay`, `--timeout`, `wait --timeout`, ...).
@Suite("Durations")
struct DurationValueTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        let text: String
        let seconds: Double
        var testDescription: String { "'\(text)' is \(seconds) s" }
    }

    static let accepted: [Accepted] = [
        .init(text: "90", seconds: 90), .init(text: "1.5", seconds: 1.5), .init(text: "0", seconds: 0),
        .init(text: "-0", seconds: 0), .init(text: "500ms", seconds: 0.5), .init(text: "3000ms", seconds: 3),
        .init(text: "30s", seconds: 30), .init(text: "15m", seconds: 900), .init(text: "2h", seconds: 7_200),
        .init(text: "7d", seconds: 604_800), .init(text: "1.5h", seconds: 5_400), .init(text: " 10s ", seconds: 10),
    ]

    @Test("plain seconds and numbers with a unit are read as seconds", arguments: accepted)
    func accepts(example: Accepted) throws {
        #expect(try DurationValue(parsing: example.text, option: "--timeout", maximum: 31_536_000).seconds == example.seconds)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        let text: String
        let message: String
        var testDescription: String { "'\(text)'" }
    }

    static let forms = "seconds (90, 1.5) or a number with a unit (500ms, 30s, 15m, 2h, 7d)"

    static let rejected: [Rejected] = [
        .init(text: "-1", message: "--timeout is out of range: -1 is negative; give 0 to 86400 seconds"),
        .init(text: "-5m", message: "--timeout is out of range: -5m is negative; give 0 to 86400 seconds"),
        .init(text: "2d", message: "--timeout is out of range: 2d is more than 86400 seconds; give 0 to 86400 seconds"),
        .init(text: "", message: "--timeout takes \(forms), got ''"),
        .init(text: "soon", message: "--timeout takes \(forms), got 'soon'"),
        .init(text: "5 m", message: "--timeout takes \(forms), got '5 m'"),
        .init(text: "1e3", message: "--timeout takes \(forms), got '1e3'"),
        .init(text: "inf", message: "--timeout takes \(forms), got 'inf'"),
        .init(text: "5w", message: "--timeout takes \(forms), got '5w'"),
        .init(text: ".5", message: "--timeout takes \(forms), got '.5'"),
        .init(text: "ms", message: "--timeout takes \(forms), got 'ms'"),
    ]

    @Test("a negative, too large or malformed value is a usage error naming the option", arguments: rejected)
    func rejects(example: Rejected) {
        #expect(throws: QueueError.invalidInput(example.message)) {
            try DurationValue(parsing: example.text, option: "--timeout", maximum: 86_400)
        }
    }

    @Test("an option kept in whole seconds refuses a fraction and suggests the next whole second")
    func wholeSeconds() throws {
        #expect(throws: QueueError.invalidInput("--timeout takes whole seconds, got 1500ms (1.5 s); e.g. 2s")) {
            try DurationValue(parsing: "1500ms", option: "--timeout", maximum: 100, wholeSeconds: true)
        }
        #expect(try DurationValue(parsing: "2000ms", option: "--timeout", maximum: 100, wholeSeconds: true).seconds == 2)
        #expect(try DurationValue(parsing: "1m", option: "--timeout", maximum: 100, wholeSeconds: true).seconds == 60)
    }
}
