/// Text from the data (a command, an error, a value) made safe to show on a terminal: every control character
/// shown visibly, so stored text cannot move the cursor or recolour the terminal. Human output of the command
/// line and of the start-up fast path goes through here; JSON keeps every byte.
public enum VisibleText {
    /// How `visible(_:lineBreaks:)` shows line feeds, carriage returns and tabs.
    public enum LineBreaks: Sendable {
        /// As one space each (table cells, where a row must stay one line and aligned).
        case spaces
        /// As `\n`, `\r` and `\t` (values and messages, where the difference matters).
        case escapes
    }

    /// `text` with every control character shown visibly in caret notation (as `cat -v` does): C0 controls as
    /// `^@`…`^_` (ESC is `^[`), DEL as `^?`, C1 controls as `M-^@`…`M-^_`.
    public static func visible(_ text: String, lineBreaks: LineBreaks) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        func add(_ ascii: String) { result.append(contentsOf: ascii.unicodeScalars) }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x09:
                if lineBreaks == .spaces {
                    add(" ")
                } else {
                    add(scalar.value == 0x0A ? "\\n" : scalar.value == 0x0D ? "\\r" : "\\t")
                }
            case 0x00...0x1F:
                add("^")
                result.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                add("^?")
            case 0x80...0x9F:
                add("M-^")
                result.append(Unicode.Scalar(UInt8(scalar.value - 0x80 + 0x40)))
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `text` as one line: line breaks and tabs shown as `\n`, `\r` and `\t`, other control characters visibly
    /// (`^[`), so an error or a value is always exactly one line that cannot steer the terminal.
    public static func singleLine(_ text: String) -> String {
        visible(text, lineBreaks: .escapes)
    }

    /// `text` cut to `width` characters, ending in `…` when cut; control characters are made visible and line
    /// breaks and tabs become spaces.
    public static func truncated(_ text: String, to width: Int) -> String {
        let flat = visible(text, lineBreaks: .spaces)
        guard flat.count > width else { return flat }
        return String(flat.prefix(max(width - 1, 0))) + "…"
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
