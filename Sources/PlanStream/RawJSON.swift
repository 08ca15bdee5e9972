import IncrementalJSON

/// A value's JSON as it arrived — the stream's own bytes, never re-encoded — and where it was in
/// the stream: what a relay forwards, a cache stores, or a log quotes.
///
/// ```swift
/// if case .dayCompleted(let index, let day, let raw) = event {
///     cache[index] = raw.text       // keys that `PlanDay` does not know survive
///     log(day.title, raw.range)     // the day's byte offsets in the stream
/// }
/// ```
///
/// The text is valid JSON (RFC 8259) even from a lenient parse: the trailing commas that
/// `JSONParserOptions.allowsTrailingCommas` accepted inside the value are left out, as the
/// completed plan leaves them out — a strict reader (a browser's `JSON.parse`, `JSONDecoder`)
/// reads what was relayed or cached. Nothing else is changed.
///
/// Carrying one copies nothing: it refers to the bytes the parser received (which only grow), a
/// range, and the offsets of the commas left out (none, unless the model wrote some). Reading
/// ``text`` or ``bytes`` copies the value once.
public struct RawJSON: Sendable, Hashable, CustomStringConvertible {
    /// The value's byte offsets in the stream (for a continuation, in its own stream), from its
    /// first byte to its last, commas left out or not.
    public let range: Range<Int>
    private let received: ReceivedBytes
    /// Stream offsets, in `range` and ascending, of the trailing commas left out.
    let omittedCommas: [Int]

    init(_ range: Range<Int>, omitting omittedCommas: some Collection<Int> = [], in received: ReceivedBytes) {
        self.range = range
        self.received = received
        self.omittedCommas = omittedCommas.isEmpty ? [] : Array(omittedCommas)
    }

    /// The JSON text. Cost: O(its length).
    public var text: String {
        guard omittedCommas.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
        return received.withBytes(in: range) { String(decoding: $0, as: UTF8.self) }
    }

    /// The JSON's UTF-8 bytes. Cost: O(its length).
    public var bytes: [UInt8] {
        guard !omittedCommas.isEmpty else { return received.withBytes(in: range) { Array($0) } }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count - omittedCommas.count)
        for kept in keptRanges { received.withBytes(in: kept) { bytes += $0 } }
        return bytes
    }

    /// `range` without the commas left out.
    private var keptRanges: [Range<Int>] { range.keptRanges(omitting: omittedCommas) }

    public var description: String { text }

    /// Equal when they hold the same bytes at the same offsets.
    public static func == (lhs: RawJSON, rhs: RawJSON) -> Bool {
        lhs.range == rhs.range && lhs.omittedCommas == rhs.omittedCommas
            && (lhs.received === rhs.received || lhs.bytes == rhs.bytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(omittedCommas)
        received.withBytes(in: range) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
