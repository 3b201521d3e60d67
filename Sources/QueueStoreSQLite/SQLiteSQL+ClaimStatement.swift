extension SQLiteSQL {
    /// A row of `count` bound values, as they were bound: `SQLiteClaimStatement` reads the values of a claim
    /// rendered with placeholders back with it, since GRDB keeps an `SQL` literal's arguments to itself.
    static func selectParameters(_ count: Int) -> String {
        "SELECT " + Array(repeating: "?", count: max(count, 1)).joined(separator: ", ")
    }
}
