import Foundation
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
    /// any index. Keys are bits of ``vocabulary``: a key token is looked up once, when it
    /// arrives, and a path then compares integers.
    struct Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        /// The keys' bits; `0` for an index.
        fileprivate var keys: UInt64
        /// The index, or `-1` for any.
        fileprivate var index: Int

        init(stringLiteral key: String) {
            self.init(keys: PayloadScanner.bit(of: key), index: -1)
        }

        init(integerLiteral index: Int) {
            self.init(keys: 0, index: index)
        }

        /// A member named by any of `keys` (`"delta"` in a stream, `"message"` in a whole response).
        init(oneOf keys: String...) {
            self.init(keys: keys.reduce(0) { $0 | PayloadScanner.bit(of: $1) }, index: -1)
        }

        /// Any element of an array.
        static let anyIndex = Step(keys: 0, index: -1)

        private init(keys: UInt64, index: Int) {
            self.keys = keys
            self.index = index
        }
    }

    /// Every key a reader asks for (at most 64: one bit each). A key outside it matches no step.
    private static let vocabulary = [
        "args", "arguments", "blockReason", "blockReasonMessage", "candidates", "choices", "code", "content",
        "content_block", "delta", "done", "done_reason", "error", "eval_count", "finishReason", "finish_reason",
        "function", "functionCall", "id", "incomplete_details", "index", "input", "item", "item_id", "message",
        "name", "object", "output", "partial_json", "parts", "promptFeedback", "prompt_eval_count", "reason",
        "refusal", "response", "sequence_number", "status", "stop_reason", "text", "thought", "tool_calls",
        "total_duration", "type", "usage", "usageMetadata",
    ].map { Array($0.utf8) }

    /// The vocabulary laid out for look-ups: an open-addressed hash table of the keys' positions,
    /// hashed on the length and three bytes, each key's UTF-8 compared once found (~40
    /// instructions per key; a scan of the keys of the same length took ~110).
    private struct KeyTable {
        private var utf8: [UInt8] = []
        /// Per key: where its UTF-8 starts in `utf8`, its length, its bit.
        private var entries: [(start: Int, length: Int, bit: UInt64)] = []
        /// Indices into `entries`, `-1` for an empty slot.
        private var slots = [Int](repeating: -1, count: KeyTable.slotCount)
        private static var slotCount: Int { 256 }

        init(_ keys: [[UInt8]]) {
            precondition(keys.count * 2 <= Self.slotCount)
            for (position, key) in keys.enumerated() {
                var slot = key.withUnsafeBytes { Self.hash($0) }
                while slots[slot] >= 0 { slot = (slot &+ 1) & (Self.slotCount - 1) }
                slots[slot] = entries.count
                entries.append((utf8.count, key.count, 1 << UInt64(position)))
                utf8 += key
            }
        }

        private static func hash(_ key: UnsafeRawBufferPointer) -> Int {
            let count = key.count
            guard count > 0 else { return 0 }
            let mixed = count &* 0x9E37 ^ Int(key[0]) &* 0x2F ^ Int(key[count &- 1]) &* 0x301 ^ Int(key[count >> 1]) &* 0x1B
            return (mixed ^ mixed >> 8) & (slotCount - 1)
        }

        /// The bit of the key spelled `wanted`, or `0` for a key no reader asks for.
        func bit(of wanted: UnsafeRawBufferPointer) -> UInt64 {
            var slot = Self.hash(wanted)
            return utf8.withUnsafeBytes { table in
                while true {
                    let index = slots[slot]
                    guard index >= 0 else { return 0 }
                    let entry = entries[index]
                    if entry.length == wanted.count,
                       wanted.count == 0 || memcmp(table.baseAddress! + entry.start, wanted.baseAddress!, wanted.count) == 0 {
                        return entry.bit
                    }
                    slot = (slot &+ 1) & (Self.slotCount - 1)
                }
            }
        }
    }

    private static let keyTable = KeyTable(vocabulary)

    fileprivate static func bit(of key: String) -> UInt64 {
        guard let position = vocabulary.firstIndex(of: Array(key.utf8)), position < 64 else {
            preconditionFailure("PayloadScanner: add \"\(key)\" to the vocabulary (at most 64 keys)")
        }
        return 1 << UInt64(position)
    }

    /// One open container, and the step to the member being visited inside it.
    fileprivate struct Frame {
        var isArray: Bool
        /// Arrays: the index of the current element (-1 before the first).
        var index: Int
        /// Objects: the current key's bit in the vocabulary (`0`: a key no reader asks for).
        var key: UInt64
        /// Absolute offset of the container's opening bracket, to read it whole.
        var startOffset: Int
    }

    private static var options: JSONParserOptions {
        var options = JSONParserOptions()
        options.allowsMultipleTopLevelValues = true
        return options
    }

    /// A token of the payload, where it is, and how to read it. Valid only during the `visit` call.
    struct Visit {
        fileprivate let frames: UnsafeBufferPointer<Frame>
        let token: JSONToken
        unowned(unsafe) let parser: JSONParser
        /// For a container's end: the offset of its opening bracket.
        let containerStart: Int
        /// Set when the reader reads the token's value: a string read matters to the payload's
        /// shape (see ``PayloadScanner/replayText(of:eventType:into:)``), one left unread does not.
        fileprivate let readMark: UnsafeMutablePointer<Bool>

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
            return Self.matches(frame, step)
        }

        /// The array index at step `level` of the path (0-based), or `-1` when that step is a key.
        func index(at level: Int) -> Int {
            frames[level].isArray ? frames[level].index : -1
        }

        /// The token's raw bytes — at a container's end, the whole container as it arrived.
        var rawBytes: [UInt8] {
            readMark.pointee = true
            let start = token.kind == .objectEnd || token.kind == .arrayEnd ? containerStart : token.offset
            return parser.withUnsafeRawBytes(from: start, to: token.endOffset) { Array($0) }
        }

        /// Whether the token opens a container.
        var isStart: Bool { token.kind == .objectStart || token.kind == .arrayStart }

        /// Whether the token closes an object.
        var isObjectEnd: Bool { token.kind == .objectEnd }

        private func matches(_ steps: [Step]) -> Bool {
            steps.withUnsafeBufferPointer { steps in
                for i in steps.indices where !Self.matches(frames[i], steps[i]) { return false }
                return true
            }
        }

        private static func matches(_ frame: Frame, _ step: Step) -> Bool {
            step.keys == 0 ? frame.isArray && (step.index < 0 || frame.index == step.index) : frame.key & step.keys != 0
        }

        /// An integer token's value, or `nil` for another kind. Small integers are read from their
        /// digits; others through `JSONNumber`.
        var int: Int? {
            guard token.kind == .number else { return nil }
            let digits = parser.unsafeRawBytes(from: token.offset, to: token.endOffset)
            guard digits.count <= 18 else { return parser.scalarValue(of: token)?.numberValue?.int }
            var value = 0
            for digit in digits {
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                    return parser.scalarValue(of: token)?.numberValue?.int
                }
                value = value &* 10 &+ Int(digit &- UInt8(ascii: "0"))
            }
            return value
        }

        /// The decoded text of a string token, or `nil` for another kind.
        var text: String? {
            readMark.pointee = true
            return token.kind == .string ? parser.string(of: token) : nil
        }

        /// The decoded UTF-8 of a string token, or `nil` for another kind: a text delta, read
        /// without making a `String` (the parser validated its UTF-8).
        var textUTF8: [UInt8]? {
            readMark.pointee = true
            return token.kind == .string ? parser.utf8(of: token) : nil
        }

        /// A scalar token as a tree, or, at a container's end, the whole container.
        var value: JSONValue? {
            readMark.pointee = true
            guard token.kind == .objectEnd || token.kind == .arrayEnd else { return parser.scalarValue(of: token) }
            return parser.withUnsafeRawBytes(from: containerStart, to: token.endOffset) { try? JSONValue(parsing: $0) }
        }
    }

    /// Why a payload could not be read.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private var parser = JSONParser(options: Self.options)
    /// The vocabulary's table, held here so that a key's look-up does not check a global's initialization.
    private let keys = Self.keyTable
    private var frames: [Frame] = []
    /// The payload being read: where it starts (absolute), its string values (payload-relative,
    /// inside the quotes) and whether the reader read each, and whether it read a container whole.
    private var payloadStart = 0
    private var strings: [(contents: Range<Int>, isRead: Bool)] = []
    private var hasReadContainer = false
    /// The shape kept by ``keepShape(of:eventType:text:)``, if any.
    private var shape = PayloadShape()

    /// Reads one payload and calls `visit` for each token except keys. Throws when the payload is
    /// not exactly one JSON value; the next payload is then read by a fresh parser.
    ///
    /// Cost: the payload's scan, a vocabulary look-up per key, and per token the `visit` call.
    mutating func scan(_ payload: some Collection<UInt8>, _ visit: (Visit) -> Void) throws(Malformed) {
        let valuesBefore = parser.valueCount
        shape.forget()
        strings.removeAll(keepingCapacity: true)
        hasReadContainer = false
        payloadStart = parser.receivedCount
        parser.push(payload)
        parser.push(Self.separator)   // ends a top-level number
        do {
            while let token = try parser.nextToken() { step(token, visit) }
        } catch {
            reset()
            // Where in this payload: the parser's offsets run on across the stream's payloads.
            throw Malformed(description: "\(error.reason) at byte \(error.offset - payloadStart) of the payload, path \(error.path)")
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
            let bit: UInt64
            if token.hasEscapes {
                var key = parser.string(of: token)
                bit = key.withUTF8 { keys.bit(of: UnsafeRawBufferPointer($0)) }
            } else {
                bit = keys.bit(of: parser.unsafeRawBytes(from: token.offset + 1, to: token.endOffset - 1))
            }
            frames[frames.count - 1].key = bit
            return
        case .objectEnd, .arrayEnd:
            let start = frames.removeLast().startOffset
            if call(visit, token, containerStart: start) { hasReadContainer = true }
            return
        default:
            break
        }
        if let last = frames.indices.last, frames[last].isArray { frames[last].index += 1 }
        let isRead = call(visit, token, containerStart: token.offset)
        switch token.kind {
        case .objectStart, .arrayStart:
            frames.append(Frame(isArray: token.kind == .arrayStart, index: -1, key: 0, startOffset: token.offset))
        case .string:
            strings.append(((token.offset + 1 - payloadStart)..<(token.endOffset - 1 - payloadStart), isRead))
        default:
            break
        }
    }

    /// Calls `visit` with `token`; returns whether it read the token's value.
    private func call(_ visit: (Visit) -> Void, _ token: JSONToken, containerStart: Int) -> Bool {
        var isRead = false
        let parser = parser
        withUnsafeMutablePointer(to: &isRead) { mark in
            frames.withUnsafeBufferPointer {
                visit(Visit(frames: $0, token: token, parser: parser, containerStart: containerStart, readMark: mark))
            }
        }
        return isRead
    }

    private mutating func reset() {
        parser = JSONParser(options: Self.options)
        frames = []
    }

    // MARK: - Payloads of the same shape

    /// After a reader read `payload` (an event of type `eventType`, if any) with ``scan(_:_:)`` and
    /// found in it only `text`, the value of one string it read, and changed none of its own
    /// state: keeps the payload's shape, so that ``replayText(of:eventType:into:)`` reads the next
    /// payloads that differ from it only in that string and in strings no reader read (an id, a
    /// timestamp) without scanning them. The other strings it read must stay as they are.
    mutating func keepShape(of payload: some Collection<UInt8>, eventType: ArraySlice<UInt8>?, text: [UInt8]) {
        guard !hasReadContainer, !text.isEmpty else { return }
        shape.keep(payload, eventType: eventType, strings: strings, text: text)
    }

    /// Puts the text of `payload` in `text` and returns `true` when the payload has the shape kept
    /// by ``keepShape(of:eventType:text:)``: the same event type and bytes but for the text and the
    /// unread strings, each a valid string of printable ASCII and simple escapes, and a text that
    /// is not empty. `false` otherwise: the payload is then to be read with ``scan(_:_:)``. A
    /// payload read this way gives what its scan would give.
    ///
    /// Cost: a comparison of the payload with the shape, and the strings' scan.
    mutating func replayText(of payload: some Collection<UInt8>, eventType: ArraySlice<UInt8>?, into text: inout [UInt8]) -> Bool {
        guard shape.isKept, shape.isFor(eventType) else { return false }
        return payload.withContiguousStorageIfAvailable { shape.text(of: UnsafeRawBufferPointer($0), into: &text) } ?? false
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
