import IncrementalJSON

/// Reads provider payloads — one JSON value each, a few hundred bytes carrying a few bytes of
/// text — token by token with one parser for the whole stream, so that a payload costs about what
/// parsing it costs: no tree is built, no parser allocated, and only the members a reader asks
/// for become strings.
///
/// ```swift
/// var scanner = PayloadScanner()
/// try scanner.scan(payload) { visit in
///     if visit.is(contentPath), let delta = visit.text { text += delta }   // contentPath: [Step], a constant
/// }
/// ```
struct PayloadScanner {
    /// A step of the path of the token being visited: a key (or one of several), an index, or
    /// any index.
    struct Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        /// The keys' UTF-8, compared with a key token's raw bytes; empty for an index.
        var keys: [[UInt8]]
        /// The index, or `-1` for any.
        var index: Int

        init(stringLiteral key: String) {
            self.keys = [Array(key.utf8)]
            self.index = -1
        }

        init(integerLiteral index: Int) {
            self.keys = []
            self.index = index
        }

        /// A member named by any of `keys` (`"delta"` in a stream, `"message"` in a whole response).
        init(oneOf keys: String...) {
            self.keys = keys.map { Array($0.utf8) }
            self.index = -1
        }

        /// Any element of an array.
        static let anyIndex = Step(keys: [], index: -1)

        private init(keys: [[UInt8]], index: Int) {
            self.keys = keys
            self.index = index
        }
    }

    /// One open container, and the step to the member being visited inside it.
    fileprivate struct Frame {
        var isArray: Bool
        /// Arrays: the index of the current element (-1 before the first).
        var index: Int
        /// Objects: the current key's token, compared by its raw bytes (no string made).
        var key: JSONToken?
        /// Absolute offset of the container's opening bracket, to read it whole.
        var startOffset: Int
    }

    private static var options: JSONParserOptions {
        var options = JSONParserOptions()
        options.allowsMultipleTopLevelValues = true
        return options
    }

    /// A token of the payload, where it is, and how to read it.
    struct Visit {
        fileprivate let frames: [Frame]
        let token: JSONToken
        let parser: JSONParser
        /// For a container's end: the offset of its opening bracket.
        let containerStart: Int

        /// The number of steps in the token's path (for a container's end, the container's path).
        var depth: Int { frames.count }

        /// Whether the token's path is exactly `steps` (a constant: a literal array would be
        /// allocated on every call).
        func `is`(_ steps: [Step]) -> Bool {
            steps.count == frames.count && matches(steps)
        }

        /// Whether the token's path starts with `steps`.
        func starts(with steps: [Step]) -> Bool {
            steps.count <= frames.count && matches(steps)
        }

        /// Whether the last step of the path is `step`.
        func lastStep(is step: Step) -> Bool {
            guard let frame = frames.last else { return false }
            return matches(frame, step)
        }

        /// The array index at step `level` of the path (0-based), or `-1` when that step is a key.
        func index(at level: Int) -> Int {
            frames[level].isArray ? frames[level].index : -1
        }

        /// The token's raw bytes — at a container's end, the whole container as it arrived.
        var rawBytes: [UInt8] {
            let start = token.kind == .objectEnd || token.kind == .arrayEnd ? containerStart : token.offset
            return parser.withUnsafeRawBytes(from: start, to: token.endOffset) { Array($0) }
        }

        /// Whether the token opens a container.
        var isStart: Bool { token.kind == .objectStart || token.kind == .arrayStart }

        /// Whether the token closes an object.
        var isObjectEnd: Bool { token.kind == .objectEnd }

        private func matches(_ steps: [Step]) -> Bool {
            for i in steps.indices where !matches(frames[i], steps[i]) { return false }
            return true
        }

        private func matches(_ frame: Frame, _ step: Step) -> Bool {
            guard !step.keys.isEmpty else { return frame.isArray && (step.index < 0 || frame.index == step.index) }
            guard let token = frame.key else { return false }
            for key in step.keys where parser.string(of: token, equals: key) { return true }
            return false
        }

        /// An integer token's value, or `nil` for another kind.
        var int: Int? { token.kind == .number ? parser.scalarValue(of: token)?.numberValue?.int : nil }

        /// The decoded text of a string token, or `nil` for another kind.
        var text: String? { token.kind == .string ? parser.string(of: token) : nil }

        /// A scalar token as a tree, or, at a container's end, the whole container.
        var value: JSONValue? {
            guard token.kind == .objectEnd || token.kind == .arrayEnd else { return parser.scalarValue(of: token) }
            return parser.withUnsafeRawBytes(from: containerStart, to: token.endOffset) { try? JSONValue(parsing: $0) }
        }
    }

    /// Why a payload could not be read.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private var parser = JSONParser(options: Self.options)
    private var frames: [Frame] = []

    /// Reads one payload and calls `visit` for each token except keys. Throws when the payload is
    /// not exactly one JSON value; the next payload is then read by a fresh parser.
    mutating func scan(_ payload: some Collection<UInt8>, _ visit: (Visit) -> Void) throws(Malformed) {
        let valuesBefore = parser.valueCount
        parser.push(payload)
        parser.push(Self.separator)   // ends a top-level number
        do {
            while let token = try parser.nextToken() { step(token, visit) }
        } catch {
            reset()
            throw Malformed(description: "\(error)")
        }
        guard parser.depth == 0, parser.valueCount == valuesBefore + 1 else {
            let problem = parser.valueCount == valuesBefore ? "an incomplete JSON value" : "more than one JSON value"
            reset()
            throw Malformed(description: problem)
        }
    }

    private static let separator: [UInt8] = [0x0A]

    private mutating func step(_ token: JSONToken, _ visit: (Visit) -> Void) {
        switch token.kind {
        case .key:
            frames[frames.count - 1].key = token
            return
        case .objectEnd, .arrayEnd:
            let start = frames.removeLast().startOffset
            visit(Visit(frames: frames, token: token, parser: parser, containerStart: start))
            return
        default:
            break
        }
        if let last = frames.indices.last, frames[last].isArray { frames[last].index += 1 }
        visit(Visit(frames: frames, token: token, parser: parser, containerStart: token.offset))
        if token.kind == .objectStart || token.kind == .arrayStart {
            frames.append(Frame(isArray: token.kind == .arrayStart, index: -1, key: nil, startOffset: token.offset))
        }
    }

    private mutating func reset() {
        parser = JSONParser(options: Self.options)
        frames = []
    }
}

/// Keys the payload readers compare, made once: a literal step would allocate its bytes per call.
extension PayloadScanner.Step {
    static let args: Self = "args"
    static let arguments: Self = "arguments"
    static let code: Self = "code"
    static let delta: Self = "delta"
    static let error: Self = "error"
    static let finishReason: Self = "finish_reason"
    static let id: Self = "id"
    static let index: Self = "index"
    static let itemID: Self = "item_id"
    static let message: Self = "message"
    static let name: Self = "name"
    static let object: Self = "object"
    static let partialJSON: Self = "partial_json"
    static let refusal: Self = "refusal"
    static let sequenceNumber: Self = "sequence_number"
    static let status: Self = "status"
    static let stopReason: Self = "stop_reason"
    static let text: Self = "text"
    static let thought: Self = "thought"
    static let type: Self = "type"
    static let usage: Self = "usage"
    static let input: Self = "input"
}
