import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a batch of jobs (`enqueue --file`, `enqueue -`) whole, but no more than `limit` bytes: a batch is
/// all-or-nothing, so it is parsed in memory, and without a cap a stray `enqueue - < /dev/zero` or a huge file
/// would take all of it (measured before the cap: 100 MB of input, 332 MB resident).
enum BoundedInput {
    /// The largest batch read: 64 MiB (about a million short jobs).
    static let batchLimit = 64 << 20

    /// Why reading stopped.
    enum Failure: Error {
        /// The input holds more than the limit.
        case tooLarge(limit: Int)
        /// `read` failed with this `errno`.
        case system(Int32)
    }

    /// Everything `descriptor` holds up to its end, or `Failure.tooLarge` as soon as it holds more than `limit` bytes.
    static func contents(of descriptor: Int32, limit: Int = batchLimit) throws(Failure) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(errno)
            }
            if count == 0 { return data }
            guard data.count + count <= limit else { throw .tooLarge(limit: limit) }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// The one-line message for input from `source` ("'jobs.json'", "stdin") over `limit` bytes.
    static func tooLargeMessage(_ source: String, limit: Int) -> String {
        "cannot read jobs from \(source): it holds more than \(limit >> 20) MiB; split it into smaller batches"
    }
}
