import IncrementalJSON

// The plan as a whole: the partial plan at any moment, the completed plan at the end, and the
// merge of a continuation into the partial plan it continues.

extension PlanStreamParser {
    /// Everything completed so far, and the parts in progress as far as they arrived.
    ///
    /// Cost: O(nesting depth + the size of the value in progress) — the value in progress comes
    /// from the live tree when the parser builds one (snapshots on, or `JSONValue` days), else from
    /// its bytes; its ``PartialPlan/json`` text is produced only when read. Nothing is copied from
    /// what arrived before.
    public var partialPlan: PartialPlan<Metadata, Day> {
        let open = matcher.openMatches
        let openDay = open.last { $0.patternIndex == Self.dayPattern }
        let openMetadata = open.first { $0.patternIndex == Self.metadataPattern }
        var planRepair = lastGoodRepair
        var daysArrayOpen = lastGoodRepairInsideDays
        var cutPath: JSONPath?
        var dayInProgress: JSONPartialValue?
        var partialMetadata: JSONPartialValue?
        if failure == nil, let full = try? matcher.parser.repair() {
            cutPath = full.report.cutPath
            planRepair = openDay.flatMap { try? matcher.parser.repair(keptDepth: $0.path.components.count) } ?? full
            daysArrayOpen = openDay != nil || insideDaysArray
            dayInProgress = openDay.map { matcher.partialValue(of: $0) }
            partialMetadata = openMetadata.map { matcher.partialValue(of: $0) }
        }
        var partial = PartialPlan<Metadata, Day>(
            metadata: metadata, partialMetadata: partialMetadata,
            days: days, failedDays: failedDays, dayInProgress: dayInProgress,
            nextDayIndex: firstDayIndex + daysCompleted, expectedDays: expectedDays,
            cutPath: cutPath, error: failure,
            document: planRepair.map { PlanDocument($0, of: received) }, daysArrayOpen: daysArrayOpen,
            dayNumbers: dayNumbers)
        if let base { partial = merged(into: base, partial) }
        return partial
    }

    /// Whether the parser is inside the array that holds the days (the day pattern's parent).
    private var insideDaysArray: Bool {
        let parentLength = schema.dayPath.components.count - 1
        guard parentLength >= 0, matcher.parser.depth > parentLength else { return false }
        let parent = JSONPathPattern(components: Array(schema.dayPath.components.prefix(parentLength)))
        return parent.matches(JSONPath(Array(matcher.parser.currentPath.components.prefix(parentLength))))
    }

    /// The completed document as a plan: merged with the stream it continues, validated.
    func completedPlan() -> Plan<Metadata, Day> {
        var json = (try? matcher.parser.repair()).map { PlanDocument($0, of: received).text } ?? ""
        var plan = Plan<Metadata, Day>(metadata: metadata, days: days, failedDays: failedDays, warnings: [], json: json)
        var numbers = dayNumbers
        if let base {
            let merge = partialPlan   // already merged with `base`
            if let mergedJSON = merge.json, base.daysArrayOpen { json = mergedJSON }
            plan = Plan(metadata: merge.metadata, days: merge.days, failedDays: merge.failedDays, warnings: [], json: json)
            numbers = merge.dayNumbers
        }
        plan.warnings = Self.warnings(for: plan, dayNumbers: numbers, dayCount: firstDayIndex + daysCompleted,
                                      expectedDays: expectedDays)
        return plan
    }

    /// `continuation`'s days appended to `base`'s, and its raw day JSON inserted in `base`'s days
    /// array. Cost: O(the parts completed since the last merge).
    private func merged(into base: PartialPlan<Metadata, Day>, _ continuation: PartialPlan<Metadata, Day>)
        -> PartialPlan<Metadata, Day>
    {
        if mergedParts == nil { mergedParts = MergedParts(base) }
        mergedParts!.extend(days: days, failedDays: failedDays, dayRanges: dayRanges, omitting: dayRangesOmittedCommas,
                            of: received, dayNumbers: dayNumbers, through: firstDayIndex + daysCompleted)
        var result = base
        result.metadata = base.metadata ?? continuation.metadata
        result.partialMetadata = base.metadata == nil ? continuation.partialMetadata : nil
        result.days = mergedParts!.days
        result.failedDays = mergedParts!.failedDays
        result.dayInProgress = continuation.dayInProgress
        result.nextDayIndex = continuation.nextDayIndex
        result.expectedDays = base.expectedDays ?? continuation.expectedDays
        result.cutPath = continuation.cutPath
        result.error = continuation.error
        result.dayNumbers = mergedParts!.dayNumbers
        if let document = mergedParts!.document { result.document = document }
        return result
    }

    static func warnings(for plan: Plan<Metadata, Day>, dayNumbers: [Int: Int], dayCount: Int,
                         expectedDays: Int?) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        if plan.metadata == nil { warnings.append(.missingMetadata) }
        var seen: Set<Int> = []
        var previous = 0
        for index in 0..<dayCount {
            // A day without a number (or one that did not decode) still takes its place.
            guard let number = dayNumbers[index] else {
                previous += 1
                continue
            }
            if seen.contains(number) {
                warnings.append(.dayNumberRepeated(index: index, number: number))
            } else if number != previous + 1 {
                warnings.append(.dayNumberGap(index: index, expected: previous + 1, found: number))
            }
            seen.insert(number)
            previous = number
        }
        warnings += plan.failedDays.map { .dayFailed(index: $0.index) }
        if let expectedDays, dayCount < expectedDays {
            warnings.append(.fewerDaysThanExpected(expected: expectedDays, actual: dayCount))
        } else if let expectedDays, dayCount > expectedDays {
            warnings.append(.moreDaysThanExpected(expected: expectedDays, actual: dayCount))
        }
        return warnings
    }
}

