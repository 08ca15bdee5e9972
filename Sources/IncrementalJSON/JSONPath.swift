/// A location in a JSON document: `$`, `$.days[3].activities[0].name`, `$["key with spaces"]`.
///
/// ```swift
/// let path: JSONPath = [.key("days"), .index(3)]
/// print(path)   // $.days[3]
/// ```
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One step into a container.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps from the root, outermost first; empty for the root.
    public var components: [Component]

    /// The root, `$`.
    public static var root: JSONPath { JSONPath([]) }

    public init(_ components: [Component]) {
        self.components = components
    }

    public init(arrayLiteral elements: Component...) {
        self.components = elements
    }

    /// `$`, then `.key` for identifier-like keys, `["…"]` for any other key, `[n]` for indices.
    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where Self.isIdentifier(key):
                text += "." + key
            case .key(let key):
                text += "[" + Self.quoted(key) + "]"
            }
        }
        return text
    }

    /// Whether a key can be written after a dot: ASCII letters, digits, `_` and `$`, not
    /// starting with a digit.
    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !ASCII.isDigit(first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x24: return true
            default: return false
            }
        }
    }

    /// The key as a JSON string literal.
    static func quoted(_ key: String) -> String {
        var text: [UInt8] = []
        JSONValue.appendQuoted(key, to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}
