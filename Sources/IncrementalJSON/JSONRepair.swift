/// How to turn a truncated document into the longest valid JSON document its bytes support.
///
/// A repair keeps the input's own bytes up to a cut and appends closers: it drops an unfinished
/// trailing value and a dangling key (with its colon and comma), then closes every open container.
/// It never completes a number (`12` cut from `123` is dropped), a literal (`tru`) or a key, and
/// never invents a value. A string cut in the middle is dropped unless the caller asks to keep it;
/// it is then kept as the prefix it is, cut back to a whole character, and reported as partial.
///
/// From a live parser, at any moment and at a cost proportional to the nesting depth:
///
/// ```swift
/// let parser = JSONParser()
/// _ = try parser.feed(#"{"days": [{"day": 1}, {"day": 2, "title": "Mov"#)
/// let repair = try parser.repair()
/// repair.suffix            // "}]}" — applied to the received bytes: {"days": [{"day": 1}, {"day": 2}]}
/// repair.report.cutPath    // $.days[1].title
/// ```
///
/// From text that did not come through a parser, possibly wrapped in prose or a Markdown fence:
/// ``RepairedJSON/init(repairing:keepingPartialStrings:)-(Collection<UInt8>,_)``.
public struct JSONRepair: Sendable, Hashable {
    /// The input bytes to keep, as absolute offsets, in order. Usually one range; a trailing comma
    /// accepted in lenient mode leaves a one-byte gap, so that the result is strict JSON.
    public var keptRanges: [Range<Int>]
    /// What to append after the kept bytes: a closing quote for a kept partial string, then the
    /// closers of the open containers, innermost first.
    public var suffix: String
    /// What the repair did.
    public var report: JSONRepairReport

    /// The repaired document, given the input bytes from absolute offset `baseOffset` on (which
    /// must include every kept range).
    public func apply(to input: some Collection<UInt8>, baseOffset: Int = 0) -> [UInt8] {
        let bytes = Array(input)
        var output: [UInt8] = []
        output.reserveCapacity(report.keptBytes + suffix.utf8.count)
        for range in keptRanges {
            output += bytes[(range.lowerBound - baseOffset)..<(range.upperBound - baseOffset)]
        }
        output += suffix.utf8
        return output
    }

    /// Prose and fences around the value are skipped. Trailing commas are not accepted: the
    /// repair keeps the input's own bytes, so it cannot drop commas inside them.
    package static var repairOptions: JSONParserOptions {
        var options = JSONParserOptions()
        options.skipsLeadingProse = true
        options.ignoresTrailingContent = true
        return options
    }
}

/// What a repair kept, dropped and closed.
public struct JSONRepairReport: Sendable, Hashable, CustomStringConvertible {
    /// Whether the input already held a complete value (nothing dropped, nothing closed).
    public var isComplete: Bool
    /// Input bytes kept in the repaired document.
    public var keptBytes: Int
    /// Bytes of the value after the cut that were dropped (an unfinished value, a dangling key).
    public var droppedBytes: Int
    /// Open arrays and objects that the repair closed.
    public var containersClosed: Int
    /// Whether a string cut in the middle was kept as a prefix (only when asked for).
    public var keptPartialString: Bool
    /// Where the input was cut: the path of the unfinished value.
    public var cutPath: JSONPath

    /// `kept 812 bytes, dropped 14, closed 3 containers, cut at $.days[3].title`
    public var description: String {
        let kept = keptBytes == 1 ? "1 byte" : "\(keptBytes) bytes"
        if isComplete { return "complete: kept \(kept), nothing dropped or closed" }
        let containers = containersClosed == 1 ? "1 container" : "\(containersClosed) containers"
        let partial = keptPartialString ? ", kept a partial string" : ""
        return "kept \(kept), dropped \(droppedBytes), closed \(containers)\(partial), cut at \(cutPath)"
    }
}

/// A repaired document and its report: the one-call repair of text that did not come through a
/// parser (a saved response, a log line), possibly wrapped in prose or a Markdown fence.
///
/// ```swift
/// let repaired = try RepairedJSON(repairing: "Here you go:\n```json\n[1, 2, 3")
/// repaired.text            // [1, 2]
/// ```
///
/// Cost: one pass over the input.
public struct RepairedJSON: Sendable, Hashable {
    /// The repaired document: valid JSON.
    public var bytes: [UInt8]
    public var report: JSONRepairReport
    /// The repaired document as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public init(bytes: [UInt8], report: JSONRepairReport) {
        self.bytes = bytes
        self.report = report
    }

    /// Repairs a possibly truncated document in one call. Prose and a Markdown fence before the
    /// first `{` or `[` and anything after a complete value are ignored.
    public init(repairing input: some Collection<UInt8>, keepingPartialStrings: Bool = false) throws(JSONRepairError) {
        let bytes = Array(input)
        let parser = JSONParser(options: JSONRepair.repairOptions)
        parser.push(bytes)
        do {
            while try parser.nextToken() != nil {}
            // All the input is here: a `{` or `[` at its very end starts the document.
            if parser.startDocumentAtPendingBracket() {
                while try parser.nextToken() != nil {}
            }
        } catch {
            throw .invalidInput(error)
        }
        let repair = try parser.repair(keepingPartialStrings: keepingPartialStrings)
        self.init(bytes: repair.apply(to: bytes), report: repair.report)
    }

    /// Repairs a possibly truncated document given as text.
    public init(repairing text: String, keepingPartialStrings: Bool = false) throws(JSONRepairError) {
        try self.init(repairing: Array(text.utf8), keepingPartialStrings: keepingPartialStrings)
    }
}

/// Why an input cannot be repaired. Compare with the static members (`error == .noValue`); a
/// struct over a private enum, so that a new reason is not a source-breaking change.
public struct JSONRepairError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Code: Sendable, Hashable {
        case noValue
        case nothingComplete(cutPath: JSONPath)
        case invalidInput(JSONParseError)
    }

    package var code: Code

    package init(_ code: Code) { self.code = code }

    /// No value has started: no `{` or `[` in the input (or only whitespace).
    public static let noValue = JSONRepairError(.noValue)
    /// Only a top-level scalar had started, and it is unfinished: nothing can be kept.
    public static func nothingComplete(cutPath: JSONPath) -> JSONRepairError { JSONRepairError(.nothingComplete(cutPath: cutPath)) }
    /// The input is invalid before the cut, so no prefix of it is a faithful document.
    public static func invalidInput(_ error: JSONParseError) -> JSONRepairError { JSONRepairError(.invalidInput(error)) }

    /// The parse error that made the input unrepairable, for ``invalidInput(_:)``.
    public var parseError: JSONParseError? {
        if case .invalidInput(let error) = code { return error }
        return nil
    }

    public var description: String {
        switch code {
        case .noValue: return "nothing to repair: no JSON object or array in the input"
        case .nothingComplete: return "nothing to repair: the only value is unfinished"
        case .invalidInput(let error): return "cannot repair invalid input: \(error)"
        }
    }
}

extension JSONParser {
    /// The longest valid document that the bytes pushed so far support, from the parser's live
    /// state: no re-scan, cost proportional to the nesting depth.
    ///
    /// Call it between ``nextToken()`` calls, after the tokens of the last push were drained
    /// (before ``endInput()``, which would turn a cut into an error).
    ///
    /// - Parameters:
    ///   - keepingPartialStrings: keep a string cut in the middle, as the prefix it is.
    ///   - keptDepth: keep only the outermost `keptDepth` open containers: the value in progress
    ///     inside the innermost of them is dropped whole (for a plan, a half-written day).
    public func repair(keepingPartialStrings: Bool = false, keptDepth: Int? = nil) throws(JSONRepairError) -> JSONRepair {
        if let failure { throw .invalidInput(failure) }
        guard let start = rootStartOffset else { throw .noValue }
        let cutPath = cutPath
        let depth = min(keptDepth ?? self.depth, self.depth)
        precondition(depth >= 1 || self.depth == 0, "JSONParser.repair: keptDepth must be at least 1")
        if self.depth == 0 {
            guard mode == .afterValue || mode == .ignoringRest else { throw .nothingComplete(cutPath: cutPath) }
            let report = JSONRepairReport(isComplete: true, keptBytes: rootEndOffset - start, droppedBytes: 0,
                                          containersClosed: 0, keptPartialString: false, cutPath: cutPath)
            return JSONRepair(keptRanges: keptRanges(from: start, to: rootEndOffset), suffix: "", report: report)
        }
        var end = levels[depth - 1].completeEnd
        var suffix = ""
        var keptPartialString = false
        if keepingPartialStrings && mode == .string && !stringScan.isKey && depth == self.depth {
            end = baseOffset + partialStringEnd()
            suffix = "\""
            keptPartialString = true
        }
        for level in UnsafeBufferPointer(start: levels, count: depth).reversed() {
            suffix += level.isObject ? "}" : "]"
        }
        let ranges = keptRanges(from: start, to: end)
        let report = JSONRepairReport(
            isComplete: false, keptBytes: ranges.reduce(0) { $0 + $1.count }, droppedBytes: scannedOffset - end,
            containersClosed: depth, keptPartialString: keptPartialString, cutPath: cutPath)
        return JSONRepair(keptRanges: ranges, suffix: suffix, report: report)
    }

    /// Lenient: when the prose skipper waits to see what follows a `{` or `[` at the end of the
    /// input, takes the bracket as the document's start. Returns whether it did.
    func startDocumentAtPendingBracket() -> Bool {
        guard mode == .leadingProse, proseLookahead != 0 else { return false }
        mode = .value
        proseLookahead = 0
        return true
    }

    /// The path of the unfinished value; between members or inside a key, the container's path
    /// (the last member's path would name a value that is complete).
    private var cutPath: JSONPath {
        var path = currentPath
        let betweenMembers = mode == .key || mode == .keyOrEnd || mode == .element || mode == .elementOrEnd
            || mode == .commaOrEnd || (mode == .string && stringScan.isKey)
        if betweenMembers, depth > 0 {
            let level = levels[depth - 1]
            if level.isObject ? level.keyEnd >= 0 : level.index >= 0 { path.components.removeLast() }
        }
        return path
    }

    /// `start..<end` without the accepted trailing commas inside it.
    private func keptRanges(from start: Int, to end: Int) -> [Range<Int>] {
        (start..<end).keptRanges(omitting: acceptedTrailingCommas(from: start, to: end))
    }

    /// Lenient: the absolute offsets of the trailing commas accepted in `start..<end` of the
    /// current top-level value, in order. Cost: O(log of the commas accepted so far + those
    /// returned) — a binary search, so that a value completed late in a long document does not
    /// pay for the commas before it.
    package func acceptedTrailingCommas(from start: Int, to end: Int) -> ArraySlice<Int> {
        var low = 0
        var high = acceptedTrailingCommas.count
        while low < high {
            let middle = (low + high) / 2
            if acceptedTrailingCommas[middle] < start { low = middle + 1 } else { high = middle }
        }
        var upper = low
        while upper < acceptedTrailingCommas.count && acceptedTrailingCommas[upper] < end { upper += 1 }
        return acceptedTrailingCommas[low..<upper]
    }

    /// The string value being written, when the scanner is inside one (not a key): the absolute
    /// offset of its opening quote, and the absolute end of the whole characters scanned so far.
    var stringInProgress: (quoteOffset: Int, wholeEnd: Int, hasEscapes: Bool)? {
        guard mode == .string, !stringScan.isKey else { return nil }
        return (baseOffset + tokenStart, baseOffset + partialStringEnd(), stringScan.hasEscapes)
    }

    /// Buffer index where an unfinished string can be cut at a whole character: before an
    /// incomplete UTF-8 sequence, escape, or surrogate pair.
    func partialStringEnd() -> Int {
        if stringScan.expectsLowSurrogate { return stringScan.highSurrogateIndex }
        if stringScan.escape != .none { return readIndex - stringScan.escape.bytesRead }
        if stringScan.utf8Remaining > 0 { return readIndex - Int(stringScan.utf8Length - stringScan.utf8Remaining) }
        return readIndex
    }
}

extension Range<Int> {
    /// The non-empty ranges between the offsets `omitted` (ascending, each inside this range): the
    /// range without those bytes — a value's bytes without its accepted trailing commas.
    package func keptRanges(omitting omitted: some Collection<Int>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var lower = lowerBound
        for offset in omitted {
            if lower < offset { ranges.append(lower..<offset) }
            lower = offset + 1
        }
        if lower < upperBound { ranges.append(lower..<upperBound) }
        return ranges
    }
}
