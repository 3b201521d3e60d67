import Foundation
import QueueCore
import Testing

/// Decisions of the human output that depend on the terminal and the clock, tested in-process.
@Suite("Human output")
struct HumanOutputTests {
    @Test("colour is used only on a terminal without NO_COLOR (an empty NO_COLOR counts as unset)", arguments: [
        (true, [String: String](), true), (true, ["NO_COLOR": "1"], false), (true, ["NO_COLOR": ""], true),
        (false, [:], false), (false, ["NO_COLOR": "1"], false),
    ])
    func colour(interactive: Bool, environment: [String: String], coloured: Bool) async throws {
        let cli = try InProcessCLI()
        let result = await cli.run(["status"], interactive: interactive, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\u{1B}[36mpending\u{1B}[0m") == coloured, "\(result.stdout.debugDescription)")
        #expect(result.stdout.contains("\u{1B}[") == coloured)
    }

    @Test("list shows when a pending job is due relative to now: in 2m, then 3s ago")
    func relativeTimes() async throws {
        let cli = try InProcessCLI()
        #expect(await cli.run(["enqueue", "true", "--id", "later", "--delay", "120"]).status == 0)
        let before = await cli.run(["list"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains(" in 2m "), "\(before.stdout)")
        cli.clock.advance(by: 123)
        let after = await cli.run(["list"])
        #expect(after.stdout.contains(" 3s ago "), "\(after.stdout)")
        cli.clock.advance(by: 3 * 3600)
        #expect(await cli.run(["list"]).stdout.contains(" 3h ago "))
        let shown = await cli.run(["show", "later"])
        #expect(shown.stdout.contains("(3h ago)"), "\(shown.stdout)")
    }

    @Test("a table on a narrow terminal cuts columns to fit, keeps ids whole and the colour codes whole")
    func narrowColouredTable() async throws {
        let cli = try InProcessCLI()
        let enqueued = await cli.run(["enqueue", "echo " + String(repeating: "z", count: 120)])
        #expect(enqueued.status == 0)
        let id = enqueued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for columns in [100, 60, 40, 20] {
            let result = await cli.run(["list"], interactive: true, columns: columns)
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 2)
            for (index, line) in lines.enumerated() {
                let plain = String(line).replacing(/\u{1B}\[[0-9;]*m/, with: "")
                // The id (36 characters) is never cut; past it, a line fits the terminal.
                #expect(plain.count <= max(columns, id.count + 3), "\(columns): \(plain)")
                if index == 1 { #expect(plain.hasPrefix(id + " "), "\(columns): \(plain)") }
                #expect(line.ranges(of: "\u{1B}[").count % 2 == 0, "every colour is reset: \(line.debugDescription)")
            }
        }
    }
}
