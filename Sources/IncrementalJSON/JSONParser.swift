/// A push parser for JSON text that arrives in pieces.
///
/// Push bytes as they arrive, in chunks of any size, and pull the tokens that became complete;
/// call ``endInput()`` once at the end. A chunk boundary may fall anywhere — inside a UTF-8
/// sequence, a `\u` escape, a number, `true` — and the tokens and their offsets are the same for
/// every split of the same input. Every byte is examined once; nothing is re-scanned.
///
/// The fast path allocates nothing per token:
///
/// ```swift
/// let parser = JSONParser()
/// for chunk in chunks {
///     parser.push(chunk)
///     while let token = try parser.nextToken() {
///         if token.kind == .key { print(parser.string(of: token), parser.currentPath) }
///     }
/// }
/// parser.endInput()
/// while try parser.nextToken() != nil {}   // a trailing top-level number ends here
/// ```
///
/// The convenient path returns decoded events with their paths:
///
/// ```swift
/// let parser = JSONParser(options: .llm)
/// for event in try parser.feed("```json\n{\"days\": [{\"day\": 1}") {
///     print(event.offset, event.path, event.kind)
/// }
/// ```
///
/// The parser keeps only what it still needs: the text of the token in progress (and of any
/// value pinned by a capture), so memory follows the nesting depth and the largest token, not
/// the document. It is a reference type with mutable state: use it from one task at a time.
public final class JSONParser {
    /// What this parser accepts.
    public let options: JSONParserOptions
    /// Whether long runs of string text are read sixteen bytes at a time in a SIMD register (the
    /// default) — plain ASCII, and non-Latin text with its UTF-8 validated there too — or eight
    /// bytes and one sequence at a time in general-purpose ones; on x86-64 the switch covers the
    /// SSE2 steps for keys of 8 to 23 bytes and for indentation too. The tokens and errors are the
    /// same; the switch is there to compare the two paths (tests, fuzzing, plan-bench).
    @exclusivity(unchecked) package var scansWithVectors = true
    /// `options.maximumStringLength`, or `Int.max`: one comparison per string rather than an optional's two.
    let stringLengthLimit: Int

    // Fields read or written per byte, per token or per push are `@exclusivity(unchecked)`: the
    // parser is a non-Sendable class whose methods never overlap their own accesses, and the
    // dynamic checks cost (callgrind, plan-bench push on the 90-day plan) +32% at 4 KB chunks
    // for `acceptedTrailingCommas` alone (an array: its checked access blocks optimizing
    // `nextToken`), +4% for `levelCapacity`, +37% at 1-byte chunks for `capacity` and
    // `pinnedOffset` (read per push), +2.6% for the envelope stream of a client (one top-level
    // value per payload) for the per-value `rootStartOffset`, `rootEndOffset`, `valueCount`.
    // Fields touched only in lenient prose skipping or on an error keep the checks.
    // `count`, `readIndex`, `inputEnded`, `inputCutAtLimit` and `mode` are `@usableFromInline`:
    // `nextToken()`'s first test ("nothing new to scan") is inlined into its callers.

    // MARK: Input buffer
    //
    // `storage[0..<count]` holds the bytes not yet discarded; `storage[0]` is the input's byte
    // `baseOffset`. Bytes before `retainedStart` are discarded on the next push.

    @exclusivity(unchecked) var storage: UnsafeMutablePointer<UInt8>
    /// Initialized bytes after `storage[capacity - 1]`: the whitespace scan reads sixteen bytes
    /// (elsewhere than x86-64, a word) at any index up to `count` and stops at `count`, so the end
    /// of a small chunk needs no byte-by-byte tail (simdjson pads its input for the same reason).
    static let storagePadding = 16
    @exclusivity(unchecked) var capacity: Int
    @exclusivity(unchecked) @usableFromInline var count = 0
    @exclusivity(unchecked) @usableFromInline var readIndex = 0
    @exclusivity(unchecked) var baseOffset = 0
    @exclusivity(unchecked) @usableFromInline var inputEnded = false
    @exclusivity(unchecked) @usableFromInline var inputCutAtLimit = false

    /// Absolute offset from which a capture needs the bytes kept (`Int.max` when none).
    @exclusivity(unchecked) var pinnedOffset = Int.max

    // MARK: Nesting

    @exclusivity(unchecked) var levels: UnsafeMutablePointer<Level>
    @exclusivity(unchecked) var levelCapacity: Int
    /// The number of open containers.
    @exclusivity(unchecked) public internal(set) var depth = 0
    /// The raw (still escaped) bytes of the current key of every open object, innermost last:
    /// `keyBytes[0..<keyByteCount]`.
    @exclusivity(unchecked) var keyBytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var keyByteCapacity = 256
    @exclusivity(unchecked) var keyByteCount = 0

    // MARK: Scanner state

    @exclusivity(unchecked) @usableFromInline var mode: Mode
    /// Buffer index of the first byte of the token in progress.
    @exclusivity(unchecked) var tokenStart = 0
    /// Inside a string or key token.
    @exclusivity(unchecked) var stringScan = StringScan()
    /// Absolute offsets of the current top-level value's first byte and of the byte after it.
    @exclusivity(unchecked) var rootStartOffset: Int?
    @exclusivity(unchecked) var rootEndOffset = 0
    /// Lenient: absolute offsets of the trailing commas accepted, which a repair leaves out.
    @exclusivity(unchecked) var acceptedTrailingCommas: [Int] = []
    /// The last comma's position, for a trailing-comma error.
    @exclusivity(unchecked) var lastComma = (offset: 0, line: 1, lineStart: 0)
    /// Inside a number token: which part of `-? int frac? exp?` was read last.
    @exclusivity(unchecked) var numberPhase: NumberPhase = .integer
    /// Inside a `true`, `false` or `null` token.
    @exclusivity(unchecked) var literalScan = LiteralScan()
    /// Lenient: absolute offset up to which the prose skipper has looked past a candidate bracket.
    var proseLookahead = 0
    /// Top-level values completed so far.
    @exclusivity(unchecked) public internal(set) var valueCount = 0
    var failure: JSONParseError?

    // Line tracking, for error positions: line feeds only occur in whitespace and skipped text.
    @exclusivity(unchecked) var line = 1
    @exclusivity(unchecked) var lineStartOffset = 0

    /// Creates a parser; the default options are strict RFC 8259.
    public init(options: JSONParserOptions = .strict) {
        self.options = options
        self.stringLengthLimit = options.maximumStringLength ?? .max
        self.mode = options.skipsLeadingProse ? .leadingProse : .value
        self.capacity = 4096
        self.storage = Self.allocateStorage(capacity: capacity)
        self.levelCapacity = 16
        self.levels = .allocate(capacity: levelCapacity)
        self.keyBytes = .allocate(capacity: keyByteCapacity)
    }

    deinit {
        storage.deallocate()
        levels.deinitialize(count: depth)
        levels.deallocate()
        keyBytes.deallocate()
    }

    // MARK: - Input

    /// Appends bytes to the input. Tokens they complete come from ``nextToken()``.
    ///
    /// Cost: a copy of `bytes` (a small chunk's whitespace between tokens is skipped without one);
    /// the buffer keeps only the token in progress and pinned captures, never what was scanned
    /// before.
    ///
    /// Raw bytes of earlier tokens (``withUnsafeRawBytes(of:_:)``) are invalid afterwards.
    public func push(_ bytes: UnsafeRawBufferPointer) {
        precondition(!inputEnded, "JSONParser.push after endInput()")
        var length = bytes.count
        guard length > 0, !inputCutAtLimit, var source = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        if let limit = options.maximumTotalBytes, baseOffset &+ count &+ length > limit {
            length = max(0, limit - baseOffset - count)
            inputCutAtLimit = true
            guard length > 0 else { return }
        }
        // Cheap tests first: a model's stream arrives in many small chunks.
        let insideToken = mode.isInsideToken
        if readIndex == count && pinnedOffset == .max && !insideToken {
            // Everything is scanned and nothing is held: start the buffer over.
            baseOffset &+= count
            count = 0
            readIndex = 0
            // Between tokens, a small chunk's leading whitespace (a model's newline and
            // indentation, often the whole chunk) is consumed here, once, without a copy. A
            // longer chunk's goes to the scanner, which skips indentation a word at a time
            // (16-byte chunks of a pretty-printed plan: +12% in wall clock, A/B).
            if length < 8 && mode.isBetweenTokens {
                var skipped = 0
                while skipped < length, ASCII.isWhitespace(source[skipped]) {
                    skipped &+= 1
                    if source[skipped &- 1] == ASCII.lineFeed {
                        line &+= 1
                        lineStartOffset = baseOffset &+ skipped
                    }
                }
                baseOffset &+= skipped
                source += skipped
                length &-= skipped
                if length == 0 { return }
            }
        } else {
            var keepFrom = insideToken ? min(readIndex, tokenStart) : readIndex
            if pinnedOffset != .max { keepFrom = min(keepFrom, pinnedOffset &- baseOffset) }
            if keepFrom >= 512 && (keepFrom >= 4096 || keepFrom &* 2 >= count) { discardBytes(before: keepFrom) }
        }
        if count &+ length > capacity { reserve(count &+ length) }
        // Through a local: a store through `storage` could otherwise alias the parser's fields.
        let target = storage + count
        target.copyChunk(from: UnsafeRawPointer(source), count: length)
        count &+= length
    }

    /// Appends bytes to the input.
    @inlinable
    public func push(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { push(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            Array(bytes).withUnsafeBytes { push($0) }
        }
    }

    /// Appends the UTF-8 bytes of `text` to the input.
    public func push(_ text: String) {
        var text = text
        text.withUTF8 { push(UnsafeRawBufferPointer($0)) }
    }

    /// Marks the end of the input. The next ``nextToken()`` calls deliver what the end completes
    /// (a trailing top-level number) and throw if the document is incomplete.
    public func endInput() {
        inputEnded = true
    }

    /// The number of bytes pushed so far: the absolute offset of the next byte pushed.
    package var receivedCount: Int { baseOffset + count }

    /// The absolute offset of the next byte to examine: every byte before it has been scanned.
    public var scannedOffset: Int { baseOffset + readIndex }

    /// Whether the input so far holds at least one complete top-level value and nothing open.
    public var isComplete: Bool {
        valueCount > 0 && depth == 0 && (mode == .afterValue || mode == .ignoringRest)
    }

    /// The error that stopped the parser, if any.
    public var error: JSONParseError? { failure }

    /// Drops `storage[0..<keepFrom]`, which no token in progress and no capture needs any more.
    /// Following NIO's heuristic, `push` calls it only when that reclaims much: at least 4 KiB,
    /// or half the buffer — and never less than 512 bytes, so that a model's few-byte chunks,
    /// which often end inside a token, do not move that token on every push.
    @inline(never)
    private func discardBytes(before keepFrom: Int) {
        let kept = count - keepFrom
        if kept > 0 { storage.update(from: storage + keepFrom, count: kept) }
        count = kept
        readIndex -= keepFrom
        tokenStart -= keepFrom
        stringScan.highSurrogateIndex -= keepFrom
        baseOffset += keepFrom
    }

    @inline(never)
    private func reserve(_ needed: Int) {
        let newCapacity = Self.doubledCapacity(capacity, toHold: needed)
        let grown = Self.allocateStorage(capacity: newCapacity)
        grown.update(from: storage, count: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }

    /// An input buffer of `capacity` bytes and ``storagePadding`` more, all initialized: what the
    /// scanner reads past `count` is never used, but must not be uninitialized memory.
    private static func allocateStorage(capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + storagePadding)
        storage.initialize(repeating: 0, count: capacity + storagePadding)
        return storage
    }

    /// Moves the first `count` elements of `buffer` into a new allocation of at least `needed`
    /// elements (doubling), frees the old one, and returns the new one. For the nesting and key
    /// buffers (the input buffer has its padding: ``reserve(_:)``).
    static func grow<Element>(_ buffer: UnsafeMutablePointer<Element>, count: Int, capacity: inout Int,
                              toHold needed: Int) -> UnsafeMutablePointer<Element> {
        let newCapacity = doubledCapacity(capacity, toHold: needed)
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        capacity = newCapacity
        return grown
    }

    /// `capacity` doubled until it holds `needed` elements: the growth of the parser's buffers.
    private static func doubledCapacity(_ capacity: Int, toHold needed: Int) -> Int {
        var newCapacity = max(capacity * 2, 1)
        while newCapacity < needed { newCapacity *= 2 }
        return newCapacity
    }

    // MARK: - Reading tokens

    /// Calls `body` with the raw text of `token` (quotes included for strings and keys).
    ///
    /// Valid only for a token returned since the last ``push(_:)-(UnsafeRawBufferPointer)``.
    public func withUnsafeRawBytes<Result>(
        of token: JSONToken, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try withUnsafeRawBytes(from: token.offset, to: token.endOffset, body)
    }

    /// Calls `body` with the input bytes in `start..<end` (absolute offsets), which must still be
    /// held: the current token's, or a pinned capture's.
    package func withUnsafeRawBytes<Result>(
        from start: Int, to end: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try body(unsafeRawBytes(from: start, to: end))
    }

    /// The decoded UTF-8 of a `.string` or `.key` token returned since the last push, made
    /// without a `String` (a text delta that goes on as bytes).
    package func utf8(of token: JSONToken) -> [UInt8] {
        precondition(token.kind == .string || token.kind == .key, "JSONParser.utf8(of:) needs a string or key token")
        let raw = unsafeRawBytes(from: token.offset + 1, to: token.endOffset - 1)
        return token.hasEscapes ? JSONStringDecoding.decodeUTF8(raw) : Array(raw)
    }

    /// The input bytes in `start..<end` (absolute offsets), which must still be held, in place:
    /// valid until the next push. For readers that look at many small tokens (a generic closure
    /// per token costs more than the look).
    package func unsafeRawBytes(from start: Int, to end: Int) -> UnsafeRawBufferPointer {
        precondition(start >= baseOffset && end <= baseOffset + count && start <= end,
                     "JSONParser: bytes \(start)..<\(end) are no longer held")
        return UnsafeRawBufferPointer(start: storage + (start - baseOffset), count: end - start)
    }

    /// The decoded value of a `.string` or `.key` token.
    public func string(of token: JSONToken) -> String {
        precondition(token.kind == .string || token.kind == .key, "JSONParser.string(of:) needs a string or key token")
        return withUnsafeRawBytes(from: token.offset + 1, to: token.endOffset - 1) { raw in
            JSONStringDecoding.decode(raw, hasEscapes: token.hasEscapes)
        }
    }

    /// The value of a scalar token (string, number, literal) as a tree; `nil` for a container's
    /// bracket or a key.
    package func scalarValue(of token: JSONToken) -> JSONValue? {
        switch token.kind {
        case .string: return .string(string(of: token))
        case .number: return .number(number(of: token))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        case .objectStart, .objectEnd, .arrayStart, .arrayEnd, .key: return nil
        }
    }

    /// The value of a `.number` token, its text kept exactly.
    public func number(of token: JSONToken) -> JSONNumber {
        precondition(token.kind == .number, "JSONParser.number(of:) needs a number token")
        return withUnsafeRawBytes(of: token) { JSONNumber(unchecked: String(decoding: $0, as: UTF8.self)) }
    }

    /// The path of the last token returned: for a value or a key, the value's own path
    /// (`$.days[3]`, `$.metadata.title`); for a container's end, the container's path.
    ///
    /// Cost: O(depth + the lengths of the keys on the path); it allocates the path.
    public var currentPath: JSONPath {
        var components: [JSONPath.Component] = []
        components.reserveCapacity(depth)
        for level in UnsafeBufferPointer(start: levels, count: depth) {
            if level.isObject {
                guard level.keyEnd >= 0 else { continue }
                let raw = UnsafeRawBufferPointer(start: keyBytes + level.keyStart, count: level.keyEnd - level.keyStart)
                let key = JSONStringDecoding.decode(raw, hasEscapes: level.keyHasEscapes)
                components.append(.key(key))
            } else if level.index >= 0 {
                components.append(.index(level.index))
            }
        }
        return JSONPath(components)
    }
}

extension JSONParser {
    /// The last step of the path of a value that just started: an array index, or an object key
    /// as its raw bytes (valid only inside ``withLastStep(pathLength:_:)``).
    enum Step {
        case key(UnsafeRawBufferPointer, hasEscapes: Bool)
        case index(Int)
    }

    /// Calls `body` with the last step of the path of the value that just started at
    /// `pathLength` (≥ 1); a key's bytes are the parser's and live only during the call.
    @inline(__always)
    func withLastStep<Result>(pathLength: Int, _ body: (Step) -> Result) -> Result {
        assert(pathLength >= 1 && pathLength <= depth, "no open container at path length \(pathLength)")
        let level = levels[pathLength - 1]
        guard level.isObject else { return body(.index(level.index)) }
        return body(.key(UnsafeRawBufferPointer(start: keyBytes + level.keyStart, count: level.keyEnd - level.keyStart),
                         hasEscapes: level.keyHasEscapes))
    }

    /// One open container.
    struct Level {
        var isObject: Bool
        /// Arrays: index of the current element, -1 before the first. Objects: members started.
        var index: Int
        /// The current key's raw bytes, `keyBytes[keyStart..<keyEnd]`; `keyEnd` is -1 before the first key.
        var keyStart: Int
        var keyEnd: Int
        var keyHasEscapes: Bool
        /// Absolute offset just after the last complete member, or after the opening bracket.
        var completeEnd: Int
    }

    /// What the scanner expects next: between tokens (a value, a key, punctuation), inside one
    /// (string, number, literal), or outside the document (prose before it, the rest after it).
    @usableFromInline
    enum Mode: UInt8 {
        /// Lenient: skipping text before the first `{` or `[`.
        case leadingProse
        /// A value: at the top level, or after `:`.
        case value
        /// An array element after `,`.
        case element
        /// An array element or `]`, after `[`.
        case elementOrEnd
        /// A key after `,`.
        case key
        /// A key or `}`, after `{`.
        case keyOrEnd
        case colon
        /// `,` or the container's closing bracket, after a member.
        case commaOrEnd
        /// After a complete top-level value: whitespace, or another value when allowed.
        case afterValue
        /// Lenient: after the top-level value, everything is ignored.
        case ignoringRest
        case string
        case number
        case literal
        case failed

        /// Inside a string, number or literal: its bytes from `tokenStart` on must be kept.
        var isInsideToken: Bool {
            switch self {
            case .string, .number, .literal: return true
            default: return false
            }
        }

        /// Between tokens, where whitespace is only skipped.
        var isBetweenTokens: Bool {
            switch self {
            case .value, .element, .elementOrEnd, .key, .keyOrEnd, .colon, .commaOrEnd, .afterValue: return true
            case .leadingProse, .ignoringRest, .string, .number, .literal, .failed: return false
            }
        }
    }

    /// Where the scanner is inside a number: after which part of `-? int frac? exp?`.
    enum NumberPhase: UInt8 {
        case minus, zero, integer, dot, fraction, exponentMark, exponentSign, exponent

        /// Whether the number may end here.
        var isComplete: Bool {
            self == .zero || self == .integer || self == .fraction || self == .exponent
        }
    }
}

@available(*, unavailable)
extension JSONParser: Sendable {}
