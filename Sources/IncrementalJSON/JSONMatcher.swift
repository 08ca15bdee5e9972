/// Watches a ``JSONParser`` for values whose paths match patterns, and captures each matching
/// value's raw bytes as it is scanned — no second pass, no copy of the rest of the document.
///
/// ```swift
/// let matcher = JSONMatcher(patterns: ["$.metadata", "$.days[*]"], options: .llm)
/// for chunk in chunks {
///     matcher.push(chunk)
///     while let match = try matcher.nextMatch() {
///         switch (match.patternIndex, match.phase) {
///         case (1, .started): print("day \(match.ordinal) started at byte \(match.startOffset)")
///         case (1, .completed): days.append(try matcher.decode(PlanDay.self, from: match))
///         default: break
///         }
///     }
/// }
/// matcher.endInput()
/// while let match = try matcher.nextMatch() { print(match.path) }   // what ended with the input
/// ```
///
/// A match is reported twice: `.started` with the value's first token, `.completed` with its last
/// (for a scalar, both at once). The bytes of a completed match can be read until the next push.
/// While a matching container is open, the parser keeps its bytes; everything else is discarded as
/// usual, so memory follows the open captures, not the document. Matching costs a few comparisons
/// per value start only at depths that some pattern can still reach.
public final class JSONMatcher {
    /// The parser underneath, for its position, path and state.
    public let parser: JSONParser
    /// The patterns, in the order given; ``JSONMatch/patternIndex`` indexes this array.
    public let patterns: [JSONPathPattern]

    /// `prefixMasks[k]`: the patterns whose first `k` components match the path of the open
    /// container at path length `k` and that are longer than `k`. Bit `i` is pattern `i`.
    @exclusivity(unchecked) private var prefixMasks: [UInt64] = []
    private let rootMask: UInt64
    @exclusivity(unchecked) private var openCaptures: [OpenCapture] = []
    @exclusivity(unchecked) private var pending: [JSONMatch] = []
    @exclusivity(unchecked) private var pendingIndex = 0
    @exclusivity(unchecked) private var ordinals: [Int]
    /// Pattern keys as UTF-8, per pattern and component, for comparison with raw key bytes.
    private let patternKeys: [[[UInt8]?]]
    /// Whether the outermost open match's value is built as it is written (``partialValue(of:)``).
    private let buildsPartialValues: Bool
    @exclusivity(unchecked) private var live = PartialValueBuilder()
    /// The start offset of the match whose value is being built live.
    @exclusivity(unchecked) private var matchStart = -1
    /// The value of the last match whose value was built live, by its byte range.
    @exclusivity(unchecked) private var lastLiveValue: (range: Range<Int>, value: JSONValue)?
    /// The patterns (bit `i` for pattern `i`) whose outermost open match has its tokens recorded
    /// as they are scanned, so that ``decode(_:from:using:)`` reads the tape instead of parsing
    /// the match's bytes a second time. Set by the caller that decodes those matches.
    package var recordsTokens: UInt64 = 0
    @exclusivity(unchecked) var recorder = TokenTape.Recorder()
    /// The start offset of the match whose tokens are being recorded, or -1.
    @exclusivity(unchecked) private var recordingStart = -1
    /// The byte range of the match `recorder` holds complete, if any.
    @exclusivity(unchecked) var recordedRange: Range<Int>?

    private struct OpenCapture {
        var pattern: Int
        var ordinal: Int
        var pathLength: Int
        var startOffset: Int
        var path: JSONPath
    }

    /// Creates a matcher over a new parser. At most 64 patterns. Captures are trees, so the
    /// parser reads at most ``JSONValue/maximumDepth`` levels, whatever `options` allow.
    ///
    /// With `buildsPartialValues`, the value of the outermost open match is built from the tokens
    /// as they arrive, so that ``partialValue(of:)`` costs only the depth (and widths) of its open
    /// containers (a live view of the value being written); without, it re-reads the match's bytes.
    public init(patterns: [JSONPathPattern], options: JSONParserOptions = .strict, buildsPartialValues: Bool = false) {
        precondition(patterns.count <= 64, "JSONMatcher supports at most 64 patterns")
        self.parser = JSONParser(options: JSONValue.treeOptions(options))
        self.buildsPartialValues = buildsPartialValues
        self.patterns = patterns
        self.ordinals = Array(repeating: 0, count: patterns.count)
        self.patternKeys = patterns.map { pattern in
            pattern.components.map { component in
                if case .key(let key) = component { return Array(key.utf8) }
                return nil
            }
        }
        var mask: UInt64 = 0
        for (i, pattern) in patterns.enumerated() where !pattern.components.isEmpty { mask |= 1 << UInt64(i) }
        self.rootMask = mask
    }

    /// Appends bytes to the input.
    public func push(_ bytes: UnsafeRawBufferPointer) { parser.push(bytes) }
    /// Appends bytes to the input.
    @inlinable
    public func push(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { push(UnsafeRawBufferPointer($0)) }
        if handled == nil { Array(bytes).withUnsafeBytes { push($0) } }
    }
    /// Appends the UTF-8 bytes of `text` to the input.
    public func push(_ text: String) { parser.push(text) }
    /// Marks the end of the input.
    public func endInput() { parser.endInput() }

    /// The next match event, or `nil` when the bytes pushed so far hold no further one.
    ///
    /// After ``endInput()``, `nil` means the document is complete; an incomplete or invalid
    /// document throws the parser's error (matches completed before it were already returned).
    ///
    /// Cost: the parser's scan, and per value start a few comparisons for the patterns that can
    /// still match at its depth; with `buildsPartialValues`, each token inside the open match is
    /// added to its tree.
    public func nextMatch() throws(JSONParseError) -> JSONMatch? {
        if pendingIndex < pending.count { return takePending() }
        while let token = try parser.nextToken() {
            if recordingStart >= 0 { recorder.record(token, from: parser) }
            // Keys outside a value being built live cost only this test.
            if token.kind == .key {
                if live.isOpen { live.setKey(token, from: parser) }
                continue
            }
            handle(token)
            if !pending.isEmpty { return takePending() }
        }
        return nil
    }

    private func takePending() -> JSONMatch {
        let match = pending[pendingIndex]
        pendingIndex += 1
        if pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
        }
        return match
    }

    private func handle(_ token: JSONToken) {
        let building = live.isOpen
        if building {
            let value: JSONValue?
            if token.kind == .string && recordingStart >= 0 {
                // The live tree and the recorded tape share the string.
                let text = parser.string(of: token)
                recorder.attach(text)
                value = live.append(scalar: .string(text))
            } else {
                value = live.append(token, from: parser)
            }
            if let value { lastLiveValue = (matchStart..<token.endOffset, value) }
        }
        switch token.kind {
        case .key:
            return
        case .objectEnd, .arrayEnd:
            guard !openCaptures.isEmpty || prefixMasks.last != 0 else {
                prefixMasks.removeLast()
                return
            }
            prefixMasks.removeLast()
            let pathLength = parser.depth
            while let capture = openCaptures.last, capture.pathLength == pathLength {
                openCaptures.removeLast()
                if capture.startOffset == recordingStart {
                    recordingStart = -1
                    recordedRange = capture.startOffset..<token.endOffset
                }
                pending.append(JSONMatch(phase: .completed, patternIndex: capture.pattern, ordinal: capture.ordinal,
                                         path: capture.path, startOffset: capture.startOffset,
                                         endOffset: token.endOffset))
            }
            parser.pinnedOffset = openCaptures.first?.startOffset ?? .max
        case .objectStart, .arrayStart:
            let pathLength = parser.depth - 1
            let (matched, longer) = match(atPathLength: pathLength, isContainer: true)
            prefixMasks.append(longer)
            guard matched != 0 else { return }
            if buildsPartialValues && !building {
                _ = live.append(token, from: parser)
                matchStart = token.offset
            }
            if matched & recordsTokens != 0 && recordingStart < 0 {
                recorder.removeAll()
                recorder.record(token, from: parser)
                recordingStart = token.offset
                recordedRange = nil
            }
            let path = parser.currentPath
            for pattern in bits(matched) {
                let ordinal = nextOrdinal(pattern)
                openCaptures.append(OpenCapture(pattern: pattern, ordinal: ordinal, pathLength: pathLength,
                                                startOffset: token.offset, path: path))
                pending.append(JSONMatch(phase: .started, patternIndex: pattern, ordinal: ordinal, path: path,
                                         startOffset: token.offset, endOffset: token.endOffset))
            }
            if parser.pinnedOffset == .max { parser.pinnedOffset = token.offset }
        default:
            let pathLength = parser.depth
            let (matched, _) = match(atPathLength: pathLength, isContainer: false)
            guard matched != 0 else { return }
            let path = parser.currentPath
            for pattern in bits(matched) {
                let ordinal = nextOrdinal(pattern)
                for phase in [JSONMatch.Phase.started, .completed] {
                    pending.append(JSONMatch(phase: phase, patternIndex: pattern, ordinal: ordinal, path: path,
                                             startOffset: token.offset, endOffset: token.endOffset))
                }
            }
        }
    }

    /// The patterns that match the value just started at `pathLength` exactly, and those it
    /// is a proper prefix of.
    @inline(__always)
    private func match(atPathLength pathLength: Int, isContainer: Bool) -> (matched: UInt64, longer: UInt64) {
        if pathLength == 0 {
            var exact: UInt64 = 0
            for (i, pattern) in patterns.enumerated() where pattern.components.isEmpty { exact |= 1 << UInt64(i) }
            return (exact, rootMask)
        }
        let candidates = prefixMasks[pathLength - 1]
        guard candidates != 0 else { return (0, 0) }
        return parser.withLastStep(pathLength: pathLength) { step in
            matches(step, atPathLength: pathLength, candidates: candidates, isContainer: isContainer)
        }
    }

    /// The candidates whose component at `pathLength` fits `step` (see `match`).
    @inline(__always)
    private func matches(_ step: JSONParser.Step, atPathLength pathLength: Int, candidates: UInt64,
                         isContainer: Bool) -> (matched: UInt64, longer: UInt64) {
        var matched: UInt64 = 0
        var longer: UInt64 = 0
        for i in bits(candidates) {
            let components = patterns[i].components
            let fits: Bool
            switch (components[pathLength - 1], step) {
            case (.anyIndex, .index), (.anyKey, .key): fits = true
            case (.index(let wanted), .index(let index)): fits = wanted == index
            case (.key, .key(let raw, let hasEscapes)):
                let wanted = patternKeys[i][pathLength - 1]!
                fits = hasEscapes
                    ? Array(JSONStringDecoding.decode(raw, hasEscapes: true).utf8) == wanted
                    : raw.elementsEqual(wanted)
            default: fits = false
            }
            guard fits else { continue }
            if components.count == pathLength { matched |= 1 << UInt64(i) } else if isContainer { longer |= 1 << UInt64(i) }
        }
        return (matched, longer)
    }

    private func nextOrdinal(_ pattern: Int) -> Int {
        defer { ordinals[pattern] += 1 }
        return ordinals[pattern]
    }

    private func bits(_ mask: UInt64) -> some Sequence<Int> {
        sequence(state: mask) { rest -> Int? in
            guard rest != 0 else { return nil }
            let bit = rest.trailingZeroBitCount
            rest &= rest - 1
            return bit
        }
    }

    /// The value of the open match `match` (from ``openMatches``) as far as it has arrived, with
    /// which of its parts are complete (see ``JSONPartialValue`` for what successive partial
    /// values promise). A string being written is included with its whole characters so far.
    ///
    /// Cost: for the outermost open match of a matcher created with `buildsPartialValues`,
    /// O(depth) — the value is built as its tokens arrive and shared with the partial value, so the
    /// open containers are copied only when the caller still holds the previous partial value
    /// (then O(depth + their widths)).
    /// Otherwise the match's bytes so far are read again: O(their length).
    public func partialValue(of match: JSONMatch) -> JSONPartialValue {
        if live.isOpen && match.startOffset == matchStart {
            return live.partialValue(from: parser)
        }
        return parser.withUnsafeRawBytes(from: match.startOffset, to: parser.scannedOffset) { raw in
            let reader = JSONParser(options: captureOptions)
            reader.push(raw)
            var builder = PartialValueBuilder()
            // The bytes were accepted once with these options: they read again without error.
            while let token = try? reader.nextToken() {
                _ = builder.append(token, from: reader)
            }
            return builder.partialValue(from: reader)
        }
    }

    /// Changes whenever the value built live gains something, a character of a string included.
    package var partialValueMark: (revision: Int, stringEnd: Int) {
        (live.revision, parser.stringInProgress?.wholeEnd ?? -1)
    }

    /// The outermost match that started and has not completed yet, without its path: what a
    /// caller checks after every chunk.
    package var outermostOpenCapture: (patternIndex: Int, ordinal: Int, startOffset: Int)? {
        guard let capture = openCaptures.first else { return nil }
        return (capture.pattern, capture.ordinal, capture.startOffset)
    }

    /// The partial value of the outermost open match (``outermostOpenCapture``). Cost: as
    /// ``partialValue(of:)``.
    package func outermostPartialValue() -> JSONPartialValue? {
        guard let capture = openCaptures.first else { return nil }
        if live.isOpen && capture.startOffset == matchStart { return live.partialValue(from: parser) }
        return partialValue(of: openMatches[0])
    }

    /// The matches that started and have not completed yet, outermost first (phase `.started`).
    /// Cost: O(open matches).
    public var openMatches: [JSONMatch] {
        openCaptures.map { capture in
            JSONMatch(phase: .started, patternIndex: capture.pattern, ordinal: capture.ordinal, path: capture.path,
                      startOffset: capture.startOffset, endOffset: capture.startOffset + 1)
        }
    }

    // MARK: - Reading a match

    /// Calls `body` with the raw bytes of a match returned since the last push.
    public func withUnsafeRawBytes<Result>(of match: JSONMatch, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try parser.withUnsafeRawBytes(from: match.startOffset, to: match.endOffset, body)
    }

    /// A copy of the raw bytes of a completed match.
    public func rawBytes(of match: JSONMatch) -> [UInt8] {
        precondition(match.phase == .completed, "JSONMatcher.rawBytes(of:) needs a completed match")
        return withUnsafeRawBytes(of: match) { Array($0) }
    }

    /// The completed match as a tree. Cost: O(its size), or none when it was built live.
    public func value(of match: JSONMatch) -> JSONValue {
        precondition(match.phase == .completed, "JSONMatcher.value(of:) needs a completed match")
        if let last = lastLiveValue, last.range == match.startOffset..<match.endOffset { return last.value }
        return withUnsafeRawBytes(of: match) { raw in
            // The parser accepted these bytes with these options, so reading them again cannot
            // fail; a scalar's are read as they are, without a parser of their own.
            Self.scalar(raw) ?? (try! JSONValue(parsing: raw, options: captureOptions))
        }
    }

    /// The value of `raw`, the bytes of a scalar the parser accepted; `nil` for a container's.
    private static func scalar(_ raw: UnsafeRawBufferPointer) -> JSONValue? {
        guard let first = raw.first else { return nil }
        switch first {
        case ASCII.quote:
            return .string(JSONStringDecoding.decode(UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])))
        case ASCII.lowerT: return .bool(true)
        case ASCII.lowerF: return .bool(false)
        case ASCII.lowerN: return .null
        case ASCII.minus, ASCII.zero...ASCII.nine: return .number(JSONNumber(unchecked: String(decoding: raw, as: UTF8.self)))
        default: return nil
        }
    }

    /// The options under which a captured value was accepted: the parser's relaxations inside a
    /// value (trailing commas), none of those around it, and no limit the parser already applied.
    var captureOptions: JSONParserOptions {
        var options = JSONParserOptions()
        options.allowsTrailingCommas = parser.options.allowsTrailingCommas
        options.maximumDepth = .max
        return options
    }
}

/// A value whose path matched one of a ``JSONMatcher``'s patterns.
public struct JSONMatch: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        /// The value's first token arrived (for a container, its opening bracket).
        case started
        /// The value's last token arrived; its raw bytes can be read.
        case completed
    }

    public var phase: Phase
    /// Index of the matched pattern in ``JSONMatcher/patterns``.
    public var patternIndex: Int
    /// How many earlier values matched the same pattern (0 for the first): for `$.days[*]`, the day index.
    public var ordinal: Int
    /// The value's path, as `$.days[3]`.
    public var path: JSONPath
    /// Absolute offset of the value's first byte.
    public var startOffset: Int
    /// Absolute offset just after the value's last byte (for `.started` containers, after the bracket).
    public var endOffset: Int
}
