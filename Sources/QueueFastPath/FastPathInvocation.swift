/// The command line as the fast path reads it: a command word and options in the exact forms argument-parser
/// gives the same meaning (`--json`, `--home DIR`, `--db PATH`, and the command's own). Anything else declines:
/// `--opt=value`, a single-valued option given twice, `--help`, a value that starts with `-`, a state in
/// capitals, a number that is not plain digits, an id or queue name of any other characters than an id's.
struct FastPathInvocation {
    /// The commands the fast path may handle.
    enum Command: String {
        case status, list, show, enqueue
    }

    /// The command.
    let command: Command
    /// `--json`.
    private(set) var json = false
    /// `--home`.
    private(set) var home: String?
    /// `--db`.
    private(set) var database: String?
    /// `list --state` (repeatable).
    private(set) var states: [String] = []
    /// `list --queue` (repeatable).
    private(set) var queues: [String] = []
    /// `list --limit`.
    private(set) var limit: Int64?
    /// `list --offset`.
    private(set) var offset: Int64?
    /// `show ID`, `enqueue --id ID`.
    private(set) var id: String?
    /// `enqueue CMD`.
    private(set) var jobCommand: String?
    /// `enqueue --queue Q`.
    private(set) var queue: String?

    init(_ arguments: [String]) throws(FastPathDecline) {
        guard let word = arguments.first, let command = Command(rawValue: word) else { throw FastPathDecline() }
        self.command = command
        var index = 1
        func value() throws(FastPathDecline) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("-") else { throw FastPathDecline() }
            return arguments[index]
        }
        func number() throws(FastPathDecline) -> Int64 {
            let text = try value()
            guard text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let number = Int64(text)
            else { throw FastPathDecline() }
            return number
        }
        let isList = command == .list
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--json" where !json: json = true
            case "--home" where home == nil: home = try value()
            case "--db" where database == nil: database = try value()
            case "--state" where isList:
                let state = try value()
                guard FastPathStatus.states.contains(state) else { throw FastPathDecline() }
                states.append(state)
            case "--queue" where isList:
                let queue = try value()
                guard Self.isValidID(queue) else { throw FastPathDecline() }
                queues.append(queue)
            case "--limit" where isList && limit == nil: limit = try number()
            case "--offset" where isList && offset == nil: offset = try number()
            case "--id" where command == .enqueue && id == nil:
                let value = try value()
                guard Self.isValidID(value) else { throw FastPathDecline() }
                id = value
            case "--queue" where command == .enqueue && queue == nil:
                let value = try value()
                guard Self.isValidID(value) else { throw FastPathDecline() }
                queue = value
            case _ where command == .enqueue:
                guard jobCommand == nil, Self.isPlainCommand(argument) else { throw FastPathDecline() }
                jobCommand = argument
            default:
                guard command == .show, id == nil, !argument.hasPrefix("-"), Self.isValidID(argument) else {
                    throw FastPathDecline()
                }
                id = argument
            }
            index += 1
        }
        if command == .show, id == nil { throw FastPathDecline() }
        if command == .enqueue, jobCommand == nil { throw FastPathDecline() }
    }

    /// Whether `argument` is taken as the command itself by `enqueue` whatever else it holds: not an option, not
    /// `-` (stdin), not blank (it holds a visible ASCII character, so no rule about empty commands applies), and
    /// not possibly a JSON object: its first visible ASCII character is not `{` (whatever Unicode blanks or other
    /// characters come before it, so the full path's test, first non-whitespace character `{`, never disagrees).
    static func isPlainCommand(_ argument: String) -> Bool {
        let bytes = argument.utf8
        guard let first = bytes.first, first != UInt8(ascii: "-") else { return false }
        guard let firstVisible = bytes.first(where: { $0 > 0x20 && $0 < 0x7F }) else { return false }
        return firstVisible != UInt8(ascii: "{")
    }

    /// `JobID.isValid` (also the rule for queue names): 1 to 128 ASCII letters, digits, `.`, `_` or `-`, not
    /// starting with `.`.
    static func isValidID(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 128, bytes.first != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}
