import ArgumentParser
import QueueCore

/// "Did you mean" for a mistyped command word (`queuectl stauts`, `queuectl worker strat`): argument-parser
/// suggests option names but answers an unknown command word with "unexpected argument".
extension QueueCtl {
    /// The furthest a suggestion may be from the typed word (edits: insert, delete, replace, swap).
    static let maximumSuggestionDistance = 2

    /// Throws a usage error naming the closest command when the first word that is not a command at its
    /// level (`arguments` up to it are command words) is close to one; does nothing otherwise (argument-parser
    /// then reports what it reports). No command of ours has a default subcommand (which would take any
    /// word as its argument).
    static func checkCommandWords(_ arguments: [String]) throws {
        var path = [QueueCtl._commandName]
        var subcommands = configuration.subcommands
        for word in arguments {
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { return }
            if let match = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) {
                path.append(match._commandName)
                subcommands = match.configuration.subcommands
                continue
            }
            let names = subcommands.map { $0._commandName }
            guard let suggestion = closestName(to: word, among: names) else { return }
            let place = path.joined(separator: " ")
            throw QueueError.invalidInput(
                "unknown command '\(word)' for '\(place)'; did you mean '\(suggestion)'? (see '\(place) --help')")
        }
    }

    /// The name in `names` closest to `word`, if one is within `maximumSuggestionDistance` (and nearer than half the
    /// word, so `ab` suggests nothing); the first listed wins a tie.
    static func closestName(to word: String, among names: [String]) -> String? {
        let scored = names.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }),
            best.distance <= maximumSuggestionDistance, best.distance * 2 < max(word.count, 2)
        else { return nil }
        return best.name
    }

    /// The optimal-string-alignment distance: insertions, deletions, replacements and swaps of two
    /// neighbours each cost 1 (`stauts` → `status` is one swap).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
