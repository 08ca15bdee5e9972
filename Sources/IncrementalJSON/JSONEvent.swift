/// A decoded parser event with its position: the convenient counterpart of ``JSONToken``.
///
/// ```swift
/// let parser = JSONParser()
/// let events = try parser.feed(#"{"days": [{"day": 1}]}"#) + parser.finish()
/// events[2]   // JSONEvent(kind: .arrayStart, offset: 9, path: $.days)
/// ```
public struct JSONEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened, with the decoded value for keys and scalars.
    public enum Kind: Sendable, Hashable {
        case objectStart, objectEnd, arrayStart, arrayEnd
        case key(String)
        case string(String)
        case number(JSONNumber)
        case bool(Bool)
        case null
    }

    public var kind: Kind
    /// Absolute byte offset of the event's first byte.
    public var offset: Int
    /// The value's path; for a key, the path of the value it names; for an end, the container's.
    public var path: JSONPath

    public init(kind: Kind, offset: Int, path: JSONPath) {
        self.kind = kind
        self.offset = offset
        self.path = path
    }

    public var description: String { "\(offset) \(path) \(kind)" }
}

extension JSONParser {
    /// Pushes `bytes` and returns the events they complete.
    ///
    /// Cost: the bytes' scan, plus per event its decoded value and path (O(depth)); for the
    /// allocation-free path use ``push(_:)-(UnsafeRawBufferPointer)`` and ``nextToken()``.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> [JSONEvent] {
        push(bytes)
        return try drainEvents()
    }

    /// Pushes `bytes` and returns the events they complete.
    public func feed(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> [JSONEvent] {
        push(bytes)
        return try drainEvents()
    }

    /// Pushes the UTF-8 bytes of `text` and returns the events they complete.
    public func feed(_ text: String) throws(JSONParseError) -> [JSONEvent] {
        push(text)
        return try drainEvents()
    }

    /// Ends the input and returns the last events (a trailing top-level number); throws when
    /// the document is incomplete.
    public func finish() throws(JSONParseError) -> [JSONEvent] {
        endInput()
        return try drainEvents()
    }

    /// The decoded event for a token just returned by ``nextToken()``.
    public func event(for token: JSONToken) -> JSONEvent {
        let kind: JSONEvent.Kind
        switch token.kind {
        case .objectStart: kind = .objectStart
        case .objectEnd: kind = .objectEnd
        case .arrayStart: kind = .arrayStart
        case .arrayEnd: kind = .arrayEnd
        case .key: kind = .key(string(of: token))
        case .string: kind = .string(string(of: token))
        case .number: kind = .number(number(of: token))
        case .true: kind = .bool(true)
        case .false: kind = .bool(false)
        case .null: kind = .null
        }
        return JSONEvent(kind: kind, offset: token.offset, path: currentPath)
    }

    private func drainEvents() throws(JSONParseError) -> [JSONEvent] {
        var events: [JSONEvent] = []
        while let token = try nextToken() {
            events.append(event(for: token))
        }
        return events
    }
}
