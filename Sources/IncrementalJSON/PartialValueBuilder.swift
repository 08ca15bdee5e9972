/// Builds a value from its tokens, iteratively (no recursion, whatever the depth), so that its
/// partial value can be taken at any moment without re-reading its bytes. ``JSONValueBuilder``
/// is this builder for complete documents.
///
/// A partial value costs O(depth + the widths of the open containers): the containers on the open
/// path are copied (Swift's copy-on-write shares everything else), and a string being written is
/// decoded only from where the previous partial value left it.
struct PartialValueBuilder {
    private enum Frame {
        case array([JSONValue])
        case object([String: JSONValue], key: String?)
    }

    /// The open containers, outermost (the value itself) first.
    private var frames: [Frame] = []
    /// Counts the tokens added: it changes whenever the value gains something, other than
    /// characters of a string being written.
    private(set) var revision = 0
    /// The string being written, decoded up to `decodedEnd` (absolute offsets).
    private var stringQuoteOffset = -1
    private var stringDecodedEnd = 0
    private var stringText = ""

    /// Whether a value is being built.
    var isOpen: Bool { !frames.isEmpty }

    /// Adds a token returned by `parser`. Returns the value when `token` completes it (the
    /// outermost container's end, or a scalar outside any container).
    mutating func append(_ token: JSONToken, from parser: JSONParser) -> JSONValue? {
        revision &+= 1
        switch token.kind {
        // Room for a typical object's members, so that a partial value's copy of it gains one without a rehash.
        case .objectStart: frames.append(.object(Dictionary(minimumCapacity: 12), key: nil))
        case .arrayStart: frames.append(.array([]))
        case .objectEnd:
            guard case .object(let members, _)? = frames.popLast() else { preconditionFailure("unbalanced tokens") }
            return add(.object(members))
        case .arrayEnd:
            guard case .array(let elements)? = frames.popLast() else { preconditionFailure("unbalanced tokens") }
            return add(.array(elements))
        case .key: setKey(parser.string(of: token))
        case .string, .number, .true, .false, .null: return add(parser.scalarValue(of: token)!)
        }
        return nil
    }

    /// Sets the key of the member that starts next in the innermost object.
    mutating func setKey(_ key: String) {
        guard case .object(let members, _)? = frames.popLast() else { preconditionFailure("key outside an object") }
        frames.append(.object(members, key: key))
    }

    private mutating func add(_ value: JSONValue) -> JSONValue? {
        switch frames.popLast() {
        case nil:
            return value
        case .array(var elements)?:
            elements.append(value)
            frames.append(.array(elements))
        case .object(var members, let key)?:
            members[key!] = value
            frames.append(.object(members, key: nil))
        }
        return nil
    }

    /// The value so far, with the string `parser` is in the middle of, if any.
    mutating func partialValue(from parser: JSONParser) -> JSONPartialValue {
        var child: JSONValue?
        if let string = parser.stringInProgress {
            if string.quoteOffset != stringQuoteOffset {
                stringQuoteOffset = string.quoteOffset
                stringDecodedEnd = string.quoteOffset + 1
                stringText = ""
            }
            if string.wholeEnd > stringDecodedEnd {
                parser.withUnsafeRawBytes(from: stringDecodedEnd, to: string.wholeEnd) { raw in
                    stringText += JSONStringDecoding.decode(raw, hasEscapes: string.hasEscapes)
                }
                stringDecodedEnd = string.wholeEnd
            }
            child = .string(stringText)
        }
        var steps: [JSONPath.Component] = []
        steps.reserveCapacity(frames.count)
        for (depth, frame) in frames.enumerated() where depth < frames.count - 1 || child != nil {
            switch frame {
            case .array(let elements): steps.append(.index(elements.count))
            case .object(_, let key): steps.append(.key(key ?? ""))
            }
        }
        for frame in frames.reversed() {
            switch frame {
            case .array(var elements):
                if let child { elements.append(child) }
                child = .array(elements)
            case .object(var members, let key):
                if let child, let key { members[key] = child }
                child = .object(members)
            }
        }
        return JSONPartialValue(value: child ?? .null, openPath: JSONPath(steps))
    }
}
