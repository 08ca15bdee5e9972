import IncrementalJSON

/// What a plan stream reports, in document order.
///
/// ```swift
/// for event in try parser.feed(chunk) {
///     switch event {
///     case .metadataReady(let metadata, _): showHeader(metadata)
///     case .dayCompleted(let index, let day, _): render(day, at: index)
///     case .progress(let progress): bar.fraction = progress.fraction
///     case .completed(let plan): save(plan)
///     case .partial(let partial): save(partial.json)      // the stream ended early
///     default: break
///     }
/// }
/// ```
///
/// The two events that end a stream hold the whole plan out of line (`indirect`), so that the
/// events a stream delivers by the thousand stay small to pass around.
public enum PlanEvent<Metadata, Day> {
    /// The metadata value closed and decoded; `raw` is its JSON as it arrived.
    case metadataReady(Metadata, raw: RawJSON)
    /// The metadata value closed but did not decode; its JSON is kept.
    case metadataFailed(PlanDecodingFailure, raw: RawJSON)
    /// The metadata being written, as far as it has arrived (with a ``SnapshotPolicy`` other
    /// than `.off`). Its values only grow; the last one grows into `metadataReady`.
    case metadataSnapshot(JSONPartialValue)
    /// Day `index` (0-based) opened, its opening bracket at byte `offset` of the stream.
    case dayStarted(index: Int, offset: Int)
    /// Day `index` being written, as far as it has arrived: its complete members, and the one in
    /// progress with what it holds so far (with a ``SnapshotPolicy`` other than `.off`). Comes
    /// after `dayStarted(index)` and before `dayCompleted(index)` or `dayFailed(index)`, never
    /// after; its values only grow (see `JSONPartialValue`), and the last one grows into the
    /// completed day. Decode it into a type of your own with `JSONPartialValue/decode(_:)`.
    case daySnapshot(index: Int, partial: JSONPartialValue)
    /// Day `index` closed and decoded — in the same `feed` call that carried its closing brace;
    /// `raw` is its JSON as it arrived (keys the day type ignores included) and its byte range.
    case dayCompleted(index: Int, day: Day, raw: RawJSON)
    /// Day `index` closed but did not decode; the stream goes on and its JSON is kept.
    case dayFailed(index: Int, error: PlanDecodingFailure, raw: RawJSON)
    /// After every day, and when the expected number of days becomes known (from the document,
    /// usually before the first day): bytes so far, days completed, expected days.
    case progress(PlanProgress)
    /// The document is complete.
    indirect case completed(Plan<Metadata, Day>)
    /// The input ended before the document was complete: everything completed is kept.
    indirect case partial(PartialPlan<Metadata, Day>)
}

extension PlanEvent: Sendable where Metadata: Sendable, Day: Sendable {}
extension PlanEvent: Equatable where Metadata: Equatable, Day: Equatable {}
extension PlanEvent: Hashable where Metadata: Hashable, Day: Hashable {}

/// How far a plan stream has come.
public struct PlanProgress: Sendable, Hashable {
    /// Bytes of input received so far.
    public var bytesReceived: Int
    /// Days completed (decoded or failed).
    public var daysCompleted: Int
    /// Days expected, when the schema or the document says.
    public var expectedDays: Int?

    public init(bytesReceived: Int, daysCompleted: Int, expectedDays: Int?) {
        self.bytesReceived = bytesReceived
        self.daysCompleted = daysCompleted
        self.expectedDays = expectedDays
    }

    /// `daysCompleted / expectedDays`, at most 1, when the total is known.
    public var fraction: Double? {
        guard let expectedDays, expectedDays > 0 else { return nil }
        return min(1, Double(daysCompleted) / Double(expectedDays))
    }
}

/// A value that closed but did not decode into the caller's type.
public struct PlanDecodingFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The decoder's explanation.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    package init(_ error: any Error) {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            message = "missing key '\(key.stringValue)'" + Self.location(context)
        case DecodingError.typeMismatch(let type, let context):
            message = "expected \(type)" + Self.location(context) + ": " + context.debugDescription
        case DecodingError.valueNotFound(let type, let context):
            message = "missing \(type) value" + Self.location(context)
        case DecodingError.dataCorrupted(let context):
            message = context.debugDescription + Self.location(context)
        default:
            message = "\(error)"
        }
    }

    private static func location(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "" : " at " + context.codingPath.map { key in
            key.intValue.map { "[\($0)]" } ?? "." + key.stringValue
        }.joined()
    }

    public var description: String { message }
}
