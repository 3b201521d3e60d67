/// A JSON member name made at run time, for documents whose keys come from a list (`ConfigDocument`'s config
/// keys, `StatusDocument`'s job states) rather than from a `CodingKeys` enum.
struct DocumentKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
