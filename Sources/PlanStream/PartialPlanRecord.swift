/// The latest partial plan of a stream, kept after each completed part for a reader that may ask
/// at any moment (``PlanStreamParser/partialPlan`` needs the parser, which is busy).
///
/// A partial plan shares the parser's growing arrays (days, failed days, day numbers). Kept as it
/// is, it makes the parser copy them when the next day completes: O(days) per day, quadratic over
/// the stream. The record keeps its own arrays instead, appends to them only what is new, and lets
/// go of the parser's before it returns, so the parser goes on appending in place.
///
/// ```swift
/// var record = PartialPlanRecord<PlanMetadata, PlanDay>()
/// for chunk in chunks {
///     parser.push(chunk)
///     while let event = try parser.nextEvent() {
///         if case .dayCompleted = event { record.record(parser.partialPlan) }
///     }
/// }
/// let kept = record.partialPlan      // equal to parser.partialPlan when it was recorded
/// ```
package struct PartialPlanRecord<Metadata, Day> {
    /// The last partial plan recorded, its growing arrays emptied.
    private var latest: PartialPlan<Metadata, Day>?
    private var days: [Day] = []
    private var failedDays: [Plan<Metadata, Day>.FailedDay] = []
    private var dayNumbers: [Int: Int] = [:]

    package init() {}

    /// Keeps `partial`: a partial plan of the same stream, later than the one recorded before.
    /// Cost: O(the days completed since that one), and O(days) when the arrays were shared with
    /// a value read from ``partialPlan`` that the reader still holds.
    package mutating func record(_ partial: PartialPlan<Metadata, Day>) {
        var partial = partial
        let previousNextIndex = latest?.nextDayIndex ?? 0
        Self.extend(&days, with: partial.days)
        Self.extend(&failedDays, with: partial.failedDays)
        // Day numbers are added by index for the days completed since and the day in progress
        // (whose number may arrive before it completes); earlier ones stay.
        for index in previousNextIndex...max(previousNextIndex, partial.nextDayIndex) {
            if let number = partial.dayNumbers[index] { dayNumbers[index] = number }
        }
        if dayNumbers.count != partial.dayNumbers.count {
            // Not a continuation of what was recorded: kept whole, in storage of its own.
            dayNumbers = Dictionary(uniqueKeysWithValues: partial.dayNumbers.map { ($0.key, $0.value) })
        }
        partial.days = []
        partial.failedDays = []
        partial.dayNumbers = [:]
        latest = partial
    }

    /// The partial plan last recorded, equal to what ``record(_:)`` was given. Cost: O(1) — its
    /// arrays are shared with the record's.
    package var partialPlan: PartialPlan<Metadata, Day>? {
        guard var plan = latest else { return nil }
        plan.days = days
        plan.failedDays = failedDays
        plan.dayNumbers = dayNumbers
        return plan
    }

    /// Appends what `newer` has beyond `kept` (days only grow), copying the elements into
    /// `kept`'s own storage rather than sharing `newer`'s.
    private static func extend<Element>(_ kept: inout [Element], with newer: [Element]) {
        if newer.count < kept.count { kept.removeAll() }
        kept.append(contentsOf: newer[kept.count...])
    }
}
