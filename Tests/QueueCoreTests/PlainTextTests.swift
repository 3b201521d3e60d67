import QueueCore
import Testing

/// `Double.plainText`, the one way a double is printed (config values, messages, JSON, Prometheus).
@Suite("Plain number text")
struct PlainTextTests {
    @Test("whole values print without a fraction, others as Swift writes them", arguments: [
        (2.0, "2"), (0.0, "0"), (-1.0, "-1"), (1.5, "1.5"), (0.001, "0.001"), (31_536_000.0, "31536000"),
        (1e20, "1e+20"),
    ])
    func plainText(value: Double, text: String) {
        #expect(value.plainText == text)
    }
}
