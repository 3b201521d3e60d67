import Foundation
import QueueFormatting

/// Encodes `Encodable` values as single-line JSON, keeping object keys in the order the value
/// encodes them. Foundation's `JSONEncoder` on Linux reorders keys, and the contract fixes the order
/// of its documents (`status --json` is exactly `{"pending":…,"workers":…}`). Slashes are not escaped;
/// non-finite numbers are an encoding error; whole doubles are written without a fraction (`2`, not `2.0`).
public struct OrderedJSONEncoder: Sendable {
    public init() {}

    /// `value` as UTF-8 JSON text.
    public func encode(_ value: some Encodable) throws -> Data {
        Data(try encodeToString(value).utf8)
    }

    /// `value` as JSON text.
    public func encodeToString(_ value: some Encodable) throws -> String {
        let root = Slot()
        try value.encode(to: NodeEncoder(slot: root, codingPath: []))
        var text = ""
        root.render(into: &text)
        return text
    }

    /// One JSON value under construction. A class, because containers handed out earlier keep
    /// writing into the slot their parent already holds.
    private final class Slot {
        enum Content {
            case empty
            case literal(String)
            case object([(key: String, slot: Slot)])
            case array([Slot])
        }

        var content = Content.empty

        func set(_ literal: String) { content = .literal(literal) }

        func makeObject() {
            if case .object = content { return }
            content = .object([])
        }

        func makeArray() {
            if case .array = content { return }
            content = .array([])
        }

        func member(_ key: String) -> Slot {
            let slot = Slot()
            makeObject()
            if case .object(var members) = content {
                content = .empty
                members.append((key, slot))
                content = .object(members)
            }
            return slot
        }

        func element() -> Slot {
            let slot = Slot()
            makeArray()
            if case .array(var elements) = content {
                content = .empty
                elements.append(slot)
                content = .array(elements)
            }
            return slot
        }

        var count: Int {
            if case .array(let elements) = content { return elements.count }
            return 0
        }

        func render(into text: inout String) {
            switch content {
            case .empty: text += "{}"
            case .literal(let literal): text += literal
            case .object(let members):
                text += "{"
                for (index, member) in members.enumerated() {
                    if index > 0 { text += "," }
                    text += OrderedJSONEncoder.quoted(member.key)
                    text += ":"
                    member.slot.render(into: &text)
                }
                text += "}"
            case .array(let elements):
                text += "["
                for (index, element) in elements.enumerated() {
                    if index > 0 { text += "," }
                    element.render(into: &text)
                }
                text += "]"
            }
        }
    }

    /// A string as a JSON string literal (`JSONText.quoted`, which the start-up fast path writes too).
    static func quoted(_ string: String) -> String {
        JSONText.quoted(string)
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(value) cannot be written as a JSON number"))
        }
        return value.plainText
    }

    private struct NodeEncoder: Encoder {
        let slot: Slot
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            slot.makeObject()
            return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            slot.makeArray()
            return UnkeyedContainer(slot: slot, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleContainer(slot: slot, codingPath: codingPath)
        }
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { slot.member(key.stringValue).set("null") }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try value.encode(to: NodeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let child = slot.member(key.stringValue)
            child.makeObject()
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = slot.member(key.stringValue)
            child.makeArray()
            return UnkeyedContainer(slot: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder {
            NodeEncoder(slot: slot.member("super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        var count: Int { slot.count }

        mutating func encodeNil() throws { slot.element().set("null") }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: NodeEncoder(slot: slot.element(), codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = slot.element()
            child.makeObject()
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: child, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = slot.element()
            child.makeArray()
            return UnkeyedContainer(slot: child, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            NodeEncoder(slot: slot.element(), codingPath: codingPath)
        }
    }

    private struct SingleContainer: SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { slot.set("null") }
        mutating func encode(_ value: Bool) throws { slot.set(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { slot.set(OrderedJSONEncoder.quoted(value)) }
        mutating func encode(_ value: Double) throws { slot.set(try OrderedJSONEncoder.number(value, codingPath: codingPath)) }
        mutating func encode(_ value: Float) throws {
            slot.set(try OrderedJSONEncoder.number(Double(value), codingPath: codingPath))
        }
        mutating func encode(_ value: Int) throws { slot.set(String(value)) }
        mutating func encode(_ value: Int8) throws { slot.set(String(value)) }
        mutating func encode(_ value: Int16) throws { slot.set(String(value)) }
        mutating func encode(_ value: Int32) throws { slot.set(String(value)) }
        mutating func encode(_ value: Int64) throws { slot.set(String(value)) }
        mutating func encode(_ value: UInt) throws { slot.set(String(value)) }
        mutating func encode(_ value: UInt8) throws { slot.set(String(value)) }
        mutating func encode(_ value: UInt16) throws { slot.set(String(value)) }
        mutating func encode(_ value: UInt32) throws { slot.set(String(value)) }
        mutating func encode(_ value: UInt64) throws { slot.set(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try value.encode(to: NodeEncoder(slot: slot, codingPath: codingPath))
        }
    }
}
