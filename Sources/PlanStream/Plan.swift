/// A complete plan: its metadata, its days in order, and what validation noticed.
public struct Plan<Metadata, Day> {
    /// The metadata, when the document had one that decoded.
    public var metadata: Metadata?
    /// Every day that decoded, in document order (days that failed are in ``failedDays``).
    public var days: [Day]
    /// Days that did not decode: their index, the reason and their raw JSON.
    public var failedDays: [FailedDay]
    /// Gaps or repeats in day numbers, fewer or more days than expected, missing metadata.
    public var warnings: [PlanWarning]
    /// The document as received (without surrounding prose or fences), or, for a continuation,
    /// the first stream's days followed by the second's.
    public var json: String

    public struct FailedDay: Sendable, Hashable {
        public var index: Int
        public var error: PlanDecodingFailure
        public var rawJSON: String
    }
}

/// Something a complete plan got wrong that is not worth failing for, in the spirit of the seed's
/// `verifyPlan`.
extension Plan: Sendable where Metadata: Sendable, Day: Sendable {}
extension Plan: Equatable where Metadata: Equatable, Day: Equatable {}
extension Plan: Hashable where Metadata: Hashable, Day: Hashable {}

public enum PlanWarning: Sendable, Hashable, CustomStringConvertible {
    /// Day at `index` is numbered `found` where `expected` followed from the previous day.
    case dayNumberGap(index: Int, expected: Int, found: Int)
    /// Day at `index` repeats the number of an earlier day.
    case dayNumberRepeated(index: Int, number: Int)
    case fewerDaysThanExpected(expected: Int, actual: Int)
    case moreDaysThanExpected(expected: Int, actual: Int)
    case missingMetadata
    /// A day that did not decode (see ``Plan/failedDays``).
    case dayFailed(index: Int)

    public var description: String {
        switch self {
        case .dayNumberGap(let index, let expected, let found):
            return "day at index \(index) is numbered \(found), expected \(expected)"
        case .dayNumberRepeated(let index, let number):
            return "day at index \(index) repeats day number \(number)"
        case .fewerDaysThanExpected(let expected, let actual):
            return "\(actual) days, expected \(expected)"
        case .moreDaysThanExpected(let expected, let actual):
            return "\(actual) days, expected only \(expected)"
        case .missingMetadata:
            return "no metadata"
        case .dayFailed(let index):
            return "day at index \(index) did not decode"
        }
    }
}
