import Foundation
import Testing

/// The start-up fast path runs before Foundation, argument-parser or GRDB is touched (issue 16); the renderers it
/// shares with the full command line (`QueueFormatting`) and the wake-up it shares with the store (`QueueWakeup`)
/// must keep it that way. Proven on the compiled code: a Swift symbol of a library carries its module name, and a
/// debug object records every module its source imports, so an object that names none of them neither calls nor
/// imports them.
@Suite("the fast path's code")
struct FastPathLinkTests {
    /// The modules the fast path is made of.
    static let fastPathModules = ["QueueFastPath", "QueueFormatting", "QueueWakeup"]

    /// Each library the fast path must not reach, with a module of ours that does use it (the proof that the
    /// search finds the library where it is).
    static let libraries = [("Foundation", "QueueCore"), ("ArgumentParser", "QueueCLI"), ("GRDB", "QueueStoreSQLite")]

    /// The build directory of the binary under test (`.build/debug` beside `queuectl`).
    static let buildDirectory = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent()

    @Test("QueueFastPath, QueueFormatting and QueueWakeup name nothing of Foundation, argument-parser or GRDB")
    func noHeavyLibraries() throws {
        for (library, user) in Self.libraries {
            let objects = try Self.objects(of: user)
            let found = objects.contains { Self.contains($0.data, library) }
            #expect(found, "\(library) not found in \(user): the search is broken")
            for module in Self.fastPathModules {
                for object in try Self.objects(of: module) where Self.contains(object.data, library) {
                    Issue.record("\(object.name) names \(library)")
                }
            }
        }
    }

    /// The compiled objects of the current sources of `module` (its build directory may also hold objects of
    /// sources since removed), by source name.
    static func objects(of module: String) throws -> [(name: String, data: Data)] {
        let directory = buildDirectory.appendingPathComponent(module + ".build")
        let sources = try String(contentsOf: directory.appendingPathComponent("sources"), encoding: .utf8)
            .split(separator: "\n").map { URL(fileURLWithPath: String($0)).lastPathComponent }
        try #require(!sources.isEmpty, "no sources listed for \(module) in \(directory.path)")
        return try sources.map { source in
            (source, try Data(contentsOf: directory.appendingPathComponent(source + ".o")))
        }
    }

    /// Whether `data` holds the bytes of `text`.
    static func contains(_ data: Data, _ text: String) -> Bool {
        data.range(of: Data(text.utf8)) != nil
    }
}
