/// A value's JSON exactly as it arrived — the stream's own bytes, never re-encoded — and where it
/// was in the stream: what a relay forwards, a cache stores, or a log quotes.
///
/// ```swift
/// if case .dayCompleted(let index, let day, let raw) = event {
///     cache[index] = raw.text       // keys that `PlanDay` does not know survive
///     log(day.title, raw.range)     // the day's byte offsets in the stream
/// }
/// ```
///
/// Carrying one copies nothing: it refers to the bytes the parser received (which only grow) and
/// a range. Reading ``text`` or ``bytes`` copies the value once.
public struct RawJSON: Sendable, Hashable, CustomStringConvertible {
    /// The value's byte offsets in the stream (for a continuation, in its own stream).
    public let range: Range<Int>
    private let received: ReceivedBytes

    init(_ range: Range<Int>, in received: ReceivedBytes) {
        self.range = range
        self.received = received
    }

    /// The JSON text. Cost: O(its length).
    public var text: String { received.withBytes(in: range) { String(decoding: $0, as: UTF8.self) } }

    /// The JSON's UTF-8 bytes. Cost: O(its length).
    public var bytes: [UInt8] { received.withBytes(in: range) { Array($0) } }

    public var description: String { text }

    /// Equal when they hold the same bytes at the same offsets.
    public static func == (lhs: RawJSON, rhs: RawJSON) -> Bool {
        lhs.range == rhs.range && (lhs.received === rhs.received || lhs.bytes == rhs.bytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        received.withBytes(in: range) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
