import Foundation
import Testing

extension CLIResult {
    /// Asserts the contract's error shape: exit `status`, nothing on stdout, exactly one line on
    /// stderr that starts with `queuectl: ` and contains each of `fragments`.
    func expectError(
        status expected: Int32, mentioning fragments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(status == expected, "\(self)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, "\(self)", sourceLocation: sourceLocation)
        #expect(errorLines.count == 1 && stderr.hasSuffix("\n"), "exactly one line: \(self)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("queuectl: "), "\(self)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(stderr.contains(fragment), "expected '\(fragment)' in: \(self)", sourceLocation: sourceLocation)
        }
    }

    /// Asserts success: exit 0 and nothing on stderr.
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0, "\(self)", sourceLocation: sourceLocation)
        #expect(stderr.isEmpty, "\(self)", sourceLocation: sourceLocation)
    }

    /// stdout parsed as one JSON object.
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(value as? [String: Any], "\(self)", sourceLocation: sourceLocation)
    }

    /// stdout parsed as a JSON array of objects.
    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(value as? [[String: Any]], "\(self)", sourceLocation: sourceLocation)
    }
}
