#if canImport(Glibc)
    import Glibc
#endif

/// The process environment, read with `getenv` (Foundation's `ProcessInfo` copies all of it into a dictionary).
enum FastPathEnvironment {
    /// The value of `name`, or nil when it is unset.
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Whether `name` is set to a non-empty value.
    static func isSet(_ name: String) -> Bool {
        guard let value = getenv(name) else { return false }
        return value.pointee != 0
    }
}
