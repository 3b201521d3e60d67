import QueueFormatting

extension Double {
    /// The number as people, JSON and Prometheus read it: a whole value without a fraction (`2`, not `2.0`),
    /// any other as Swift writes it (`1.5`, `1e+20`). The one rule for every place that prints a double.
    public var plainText: String {
        JSONText.plainNumber(self)
    }
}
