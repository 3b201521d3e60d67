extension JobLog {
    /// The part `range` of a log whose runs are partly in the file at `path` and partly in the store's marks
    /// (`LogMark`): each mark's lines come before the file's byte at its `fileOffset` (marks at one offset in
    /// the order they were written), so the log reads as one stream in the order its runs ran. Offsets are
    /// of that stream; since a run's lines and output are only ever added at its end, an offset stays valid
    /// as the log grows and `logs --follow` goes on from where it was. A mark whose offset lies beyond the
    /// file (its file was cut or deleted) comes at the file's end.
    public static func readMerged(_ path: String, marks: [LogMark], _ range: LogRange, of id: JobID) throws(QueueError)
        -> LogSlice
    {
        let fileSize = try readFile(path, .from(.max), of: id).size
        let placed = marks.enumerated()
            .map { (offset: min(max($0.element.fileOffset, 0), fileSize), order: $0.offset, bytes: $0.element.bytes) }
            .sorted { ($0.offset, $0.order) < ($1.offset, $1.order) }
        let size = fileSize + placed.reduce(0) { $0 + $1.bytes.count }
        let start =
            switch range {
            case .from(let offset): min(max(offset, 0), size)
            case .tail(let count): max(0, size - max(count, 0))
            }
        var bytes: [UInt8] = []
        // `position` walks the merged stream, `fileRead` the file: each mark splits the file where it sits.
        var position = 0
        var fileRead = 0
        func take(fileUpTo end: Int) throws(QueueError) {
            let length = end - fileRead
            defer { (position, fileRead) = (position + length, end) }
            let skip = max(0, start - position)
            guard length > skip else { return }
            bytes += try readFile(path, .from(fileRead + skip), of: id, maximumBytes: length - skip).bytes
        }
        for mark in placed {
            try take(fileUpTo: mark.offset)
            let skip = max(0, start - position)
            if mark.bytes.count > skip { bytes += mark.bytes[skip...] }
            position += mark.bytes.count
        }
        try take(fileUpTo: fileSize)
        return LogSlice(bytes: bytes, offset: start, size: size)
    }
}
