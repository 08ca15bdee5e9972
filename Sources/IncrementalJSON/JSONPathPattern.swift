/// A pattern over ``JSONPath``s: `$.metadata`, `$.days[*]`, `$.days[*].activities[*]`,
/// `$.plan.days[2]`, `$["key with spaces"]`, `$.*`.
///
/// ```swift
/// let days = try JSONPathPattern(text)            // text = "$.days[*]"; invalid syntax throws
/// days.matches([.key("days"), .index(3)])    // true
/// let title: JSONPathPattern = "$.metadata.title"   // a literal; an invalid one traps
/// ```
///
/// Syntax: `$` (the root), then any number of `.name` (letters, digits, `_`, `$`, `-`), `.*` (any
/// key), `[n]` (an index), `[*]` (any index), and `["…"]` or `['…']` (any key, with JSON escapes).
public struct JSONPathPattern: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// One step of a pattern.
    public enum Component: Sendable, Hashable {
        case key(String)
        case anyKey
        case index(Int)
        case anyIndex
    }

    /// A malformed pattern, with the character offset where it went wrong.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var pattern: String
        public var description: String { "invalid path pattern '\(pattern)': \(message) at character \(offset)" }
    }

    public var components: [Component]

    public init(components: [Component]) {
        self.components = components
    }

    /// Parses a pattern.
    public init(_ text: String) throws(ParseError) {
        var reader = PatternReader(characters: Array(text), text: text)
        self.components = try reader.readComponents()
    }

    /// A pattern literal; a malformed literal is a programming error and traps with its reason.
    public init(stringLiteral text: String) {
        do {
            try self.init(text)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// Whether `path` matches: as many components, each equal or matched by a wildcard.
    public func matches(_ path: JSONPath) -> Bool {
        guard path.components.count == components.count else { return false }
        return zip(components, path.components).allSatisfy { pattern, component in
            pattern.matches(component)
        }
    }

    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .key(let key):
                text += JSONPath.isIdentifier(key) ? "." + key : "[" + JSONPath.quoted(key) + "]"
            case .anyKey: text += ".*"
            case .index(let index): text += "[\(index)]"
            case .anyIndex: text += "[*]"
            }
        }
        return text
    }
}

extension JSONPathPattern.Component {
    func matches(_ component: JSONPath.Component) -> Bool {
        switch (self, component) {
        case (.anyKey, .key), (.anyIndex, .index): return true
        case (.key(let pattern), .key(let key)): return pattern == key
        case (.index(let pattern), .index(let index)): return pattern == index
        default: return false
        }
    }
}

/// Reads the pattern syntax character by character.
private struct PatternReader {
    let characters: [Character]
    let text: String
    var position = 0

    mutating func readComponents() throws(JSONPathPattern.ParseError) -> [JSONPathPattern.Component] {
        guard characters.first == "$" else { throw error("a pattern starts with '$'") }
        position = 1
        var components: [JSONPathPattern.Component] = []
        while position < characters.count {
            switch characters[position] {
            case ".":
                position += 1
                components.append(try readDotted())
            case "[":
                position += 1
                components.append(try readBracketed())
            default:
                throw error("expected '.' or '['")
            }
        }
        return components
    }

    private mutating func readDotted() throws(JSONPathPattern.ParseError) -> JSONPathPattern.Component {
        if position < characters.count, characters[position] == "*" {
            position += 1
            return .anyKey
        }
        let start = position
        while position < characters.count, characters[position].isPatternNameCharacter { position += 1 }
        guard position > start else { throw error("expected a key name, '*' or a bracketed key after '.'") }
        return .key(String(characters[start..<position]))
    }

    private mutating func readBracketed() throws(JSONPathPattern.ParseError) -> JSONPathPattern.Component {
        guard position < characters.count else { throw error("unclosed '['") }
        let component: JSONPathPattern.Component
        switch characters[position] {
        case "*":
            position += 1
            component = .anyIndex
        case "\"", "'":
            component = .key(try readQuotedKey())
        case "0"..."9":
            let start = position
            while position < characters.count, characters[position].isASCII, characters[position].isNumber { position += 1 }
            guard let index = Int(String(characters[start..<position])) else { throw error("index too large", at: start) }
            component = .index(index)
        default:
            throw error("expected an index, '*' or a quoted key after '['")
        }
        guard position < characters.count, characters[position] == "]" else { throw error("expected ']'") }
        position += 1
        return component
    }

    /// A quoted key: JSON string syntax, or the same between single quotes (`\'` escapes a quote).
    private mutating func readQuotedKey() throws(JSONPathPattern.ParseError) -> String {
        let quote = characters[position]
        let start = position
        position += 1
        var body = ""
        while position < characters.count, characters[position] != quote {
            if characters[position] == "\\", position + 1 < characters.count {
                if quote == "'" && characters[position + 1] == "'" {
                    body.append("'")
                } else {
                    body.append(characters[position])
                    body.append(characters[position + 1])
                }
                position += 2
                continue
            }
            if characters[position] == "\"" { body += "\\\"" } else { body.append(characters[position]) }
            position += 1
        }
        guard position < characters.count else { throw error("unclosed quoted key", at: start) }
        position += 1
        guard case .string(let key)? = try? JSONValue(parsing: "\"" + body + "\"") else {
            throw error("invalid escape in quoted key", at: start)
        }
        return key
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONPathPattern.ParseError {
        JSONPathPattern.ParseError(message: message, offset: offset ?? position, pattern: text)
    }
}

extension Character {
    fileprivate var isPatternNameCharacter: Bool {
        isASCII && (isLetter || isNumber || self == "_" || self == "$" || self == "-")
    }
}
