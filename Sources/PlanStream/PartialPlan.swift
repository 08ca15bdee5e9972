import IncrementalJSON

/// What a plan stream holds at any moment, and what it delivers when it ends early: nothing that
/// was complete is lost, nothing is invented.
///
/// ```swift
/// if case .partial(let partial) = event {
///     save(partial.json)                                  // valid JSON: every completed day
///     prompt += "Continue from day \(partial.nextDayIndex + 1)."
///     let next = PlanStreamParser(continuing: partial)    // the rest arrives as a second stream
/// }
/// ```
public struct PartialPlan<Metadata, Day> {
    /// The metadata, if it completed and decoded.
    public var metadata: Metadata?
    /// The metadata as far as it arrived, when it did not complete.
    public var partialMetadata: JSONPartialValue?
    /// Every completed day that decoded, exactly as delivered by `dayCompleted`, in order.
    public var days: [Day]
    /// Completed days that did not decode, with their raw JSON.
    public var failedDays: [Plan<Metadata, Day>.FailedDay]
    /// The day being written (at index ``nextDayIndex``) as far as it arrived — the same value as
    /// its last `daySnapshot` would show: complete members, and the member in progress with what
    /// it holds so far. `nil` when no day was open, or when the input turned invalid.
    public var dayInProgress: JSONPartialValue?
    /// The index of the next day to generate: the number of days completed (decoded or failed).
    public var nextDayIndex: Int
    /// The expected number of days, when known.
    public var expectedDays: Int?
    /// Where the input was cut, or `nil` when it was invalid rather than cut.
    public var cutPath: JSONPath?
    /// The parse error that ended the stream, when the input was invalid rather than cut.
    public var error: JSONParseError?

    /// The partial plan as valid JSON (the received bytes up to the last completed day, then
    /// closers), or `nil` before the plan's first part.
    var document: PlanDocument?
    /// Whether the days array was open at the cut, so that more days can be appended inside it.
    var daysArrayOpen: Bool
    /// Day numbers (from ``PlanSchema/dayNumberKey``) of the completed days, by index.
    var dayNumbers: [Int: Int]

    /// The partial plan as valid JSON: the received bytes up to the end of the last completed day
    /// (metadata repaired if it was cut), then closers. A half-written day is not in it.
    /// `nil` when nothing could be kept (the input ended or broke before the plan's first part).
    ///
    /// Produced when read, from the bytes the parser shares with this value: O(its length).
    public var json: String? { document?.text }
}

extension PartialPlan: Sendable where Metadata: Sendable, Day: Sendable {}
extension PartialPlan: Equatable where Metadata: Equatable, Day: Equatable {}
extension PartialPlan: Hashable where Metadata: Hashable, Day: Hashable {}
