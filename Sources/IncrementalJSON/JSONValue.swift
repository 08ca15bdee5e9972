/// A JSON document as a tree, for callers that want values rather than events.
///
/// ```swift
/// let value = try JSONValue(parsing: #"{"title": "Calm", "days": [1, 2]}"#)
/// value["title"]?.stringValue       // "Calm"
/// value["days"]?[1]                 // .number(2)
/// ```
///
/// Numbers keep their exact text (``JSONNumber``). Objects keep their members in the order they
/// were written (``JSONObject``): when a key repeats, it keeps its first place and the last value.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The deepest tree the package builds from input: deeper input is a
    /// ``JSONParseError/Reason/depthLimitExceeded(limit:)`` error wherever a tree is built
    /// (``init(parsing:options:)-(Collection<UInt8>,_)``, ``JSONMatcher``), even when the options allow more.
    ///
    /// Why: Swift releases, compares and hashes an enum tree recursively, one stack frame per
    /// level (about 100 bytes each, measured); at 1,000 levels that stays far inside the smallest
    /// thread stacks (512 KB), where an unbounded depth would let input crash the process. Read
    /// deeper documents as events with ``JSONParser``, which keeps its nesting on the heap.
    public static let maximumDepth = 1_000

    /// `options` with the depth limit of a tree-building reader.
    static func treeOptions(_ options: JSONParserOptions) -> JSONParserOptions {
        var options = options
        options.maximumDepth = min(options.maximumDepth, maximumDepth)
        return options
    }

    /// Parses one complete document (at most ``maximumDepth`` levels deep). It is one document
    /// whatever the options say of a stream of values: with
    /// ``JSONParserOptions/allowsMultipleTopLevelValues``, empty input throws
    /// ``JSONParseError/Reason/noValue`` and a second value ``JSONParseError/Reason/trailingContent(_:)``.
    public init(parsing bytes: some Collection<UInt8>, options: JSONParserOptions = .strict) throws(JSONParseError) {
        var options = Self.treeOptions(options)
        options.allowsMultipleTopLevelValues = false
        let parser = JSONParser(options: options)
        parser.push(bytes)
        parser.endInput()
        var builder = JSONValueBuilder()
        while let token = try parser.nextToken() {
            builder.append(token, from: parser)
        }
        guard let value = builder.result else {
            preconditionFailure("JSONParser ended without error and without a value")
        }
        self = value
    }

    /// Parses one complete document from its UTF-8 text.
    public init(parsing text: String, options: JSONParserOptions = .strict) throws(JSONParseError) {
        try self.init(parsing: text.utf8, options: options)
    }

    /// The member named `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index` of an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The value at `path` inside this one.
    public subscript(path: JSONPath) -> JSONValue? {
        var value: JSONValue? = self
        for component in path.components {
            switch component {
            case .key(let key): value = value?[key]
            case .index(let index): value = value?[index]
            }
        }
        return value
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }
}

/// Builds ``JSONValue`` trees from tokens, iteratively (no recursion, whatever the depth).
///
/// ```swift
/// var builder = JSONValueBuilder()
/// while let token = try parser.nextToken() { builder.append(token, from: parser) }
/// builder.result   // the last complete top-level value
/// ```
public struct JSONValueBuilder {
    /// The same builder that keeps a value being written live (``JSONMatcher``).
    private var builder = PartialValueBuilder()

    /// The most recent complete top-level value.
    public private(set) var result: JSONValue?

    public init() {}

    /// Adds a token just returned by `parser`.
    public mutating func append(_ token: JSONToken, from parser: JSONParser) {
        if let value = builder.append(token, from: parser) { result = value }
    }
}
