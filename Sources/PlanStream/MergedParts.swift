import IncrementalJSON

/// The growing parts of a continuation's partial plan: the first stream's days, failed days, day
/// numbers and document, then the second stream's, appended as they complete. Kept by the
/// continuing parser so that each partial plan costs only what completed since the one before.
struct MergedParts<Metadata, Day> {
    private(set) var days: [Day]
    private(set) var failedDays: [Plan<Metadata, Day>.FailedDay]
    private(set) var dayNumbers: [Int: Int]
    /// The first stream's document with the second stream's days inserted in its days array, when
    /// that array was open at the cut (else the first stream's document stands as it is).
    private(set) var document: PlanDocument?

    private let firstDayIndex: Int
    private var needsComma: Bool
    private var daysMerged = 0
    private var failedDaysMerged = 0
    private var rangesMerged = 0
    private var commasMerged = 0
    /// The first day index whose day number may not be merged yet.
    private var numbersFrom: Int

    init(_ base: PartialPlan<Metadata, Day>) {
        days = base.days
        failedDays = base.failedDays
        dayNumbers = base.dayNumbers
        document = base.daysArrayOpen ? base.document : nil
        firstDayIndex = base.nextDayIndex
        needsComma = document?.lastSignificantByte != UInt8(ascii: "[")
        numbersFrom = base.nextDayIndex
    }

    /// Appends the second stream's parts that are new since the last call: its `days`,
    /// `failedDays` and the raw JSON of its days (`dayRanges` in `received`, without the trailing
    /// commas its parser accepted: `omittedCommas`, ascending), and its day numbers by index up to
    /// `lastIndex` (the day in progress included).
    mutating func extend(days newDays: [Day], failedDays newFailedDays: [Plan<Metadata, Day>.FailedDay],
                         dayRanges: [Range<Int>], omitting omittedCommas: [Int], of received: ReceivedBytes,
                         dayNumbers newNumbers: [Int: Int], through lastIndex: Int) {
        days += newDays[daysMerged...]
        daysMerged = newDays.count
        failedDays += newFailedDays[failedDaysMerged...]
        failedDaysMerged = newFailedDays.count
        if document != nil {
            for range in dayRanges[rangesMerged...] {
                if needsComma { document!.pieces.append(.literal([UInt8(ascii: ",")])) }
                var commasEnd = commasMerged
                while commasEnd < omittedCommas.count && omittedCommas[commasEnd] < range.upperBound { commasEnd += 1 }
                for kept in range.keptRanges(omitting: omittedCommas[commasMerged..<commasEnd]) {
                    document!.pieces.append(.received(received, kept))
                }
                commasMerged = commasEnd
                needsComma = true
            }
        }
        rangesMerged = dayRanges.count
        // A second stream numbered from 1 continues the first one's numbering. Its first day's
        // number arrives before any other of its numbers, so the shift is known when needed.
        let renumber = firstDayIndex > 0 && newNumbers[firstDayIndex] == 1 ? firstDayIndex : 0
        guard lastIndex >= numbersFrom else { return }
        for index in numbersFrom...lastIndex {
            if let number = newNumbers[index] { dayNumbers[index] = number + renumber }
        }
        // The day in progress may get its number later: looked at again next time.
        numbersFrom = lastIndex
    }
}
