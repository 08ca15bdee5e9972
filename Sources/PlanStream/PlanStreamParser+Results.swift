import IncrementalJSON

// The plan as a whole: the partial plan at any moment, the completed plan at the end, and the
// merge of a continuation into the partial plan it continues.

extension PlanStreamParser {
    /// Everything completed so far, the part in progress repaired, and the plan as valid JSON.
    /// Cost: a repair (proportional to the nesting depth) and one parse of the repaired document.
    public var partialPlan: PartialPlan<Metadata, Day> {
        let open = matcher.openMatches
        let openDay = open.last { $0.pattern == Self.dayPattern }
        let openMetadata = open.first { $0.pattern == Self.metadataPattern }
        var planRepair = lastGoodRepair
        var daysArrayOpen = lastGoodRepairInsideDays
        var tree: JSONValue?
        var cutPath: JSONPath?
        if failure == nil, let full = try? matcher.parser.repair() {
            cutPath = full.report.cutPath
            tree = try? JSONValue(parsing: full.apply(to: received))
            planRepair = openDay.flatMap { try? matcher.parser.repair(keptDepth: $0.path.components.count) } ?? full
            daysArrayOpen = openDay != nil || insideDaysArray
        }
        var prefix: [UInt8] = []
        var suffix = ""
        if let planRepair {
            prefix = planRepair.apply(to: received)
            prefix.removeLast(planRepair.suffix.utf8.count)
            suffix = planRepair.suffix
        }
        var partial = PartialPlan<Metadata, Day>(
            metadata: metadata, partialMetadata: openMetadata.flatMap { tree?[$0.path] },
            days: days, failedDays: failedDays, dayInProgress: openDay.flatMap { tree?[$0.path] },
            nextDayIndex: firstDayIndex + daysCompleted, expectedDays: expectedDays,
            json: planRepair == nil ? nil : String(decoding: prefix + suffix.utf8, as: UTF8.self),
            cutPath: cutPath, error: failure,
            jsonPrefix: prefix, jsonSuffix: suffix, daysArrayOpen: daysArrayOpen, dayNumbers: dayNumbers)
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
        var json = (try? matcher.parser.repair()).map { String(decoding: $0.apply(to: received), as: UTF8.self) } ?? ""
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

    /// `continuation`'s days appended to `base`'s, and its raw day JSON inserted in `base`'s days array.
    private func merged(into base: PartialPlan<Metadata, Day>, _ continuation: PartialPlan<Metadata, Day>)
        -> PartialPlan<Metadata, Day>
    {
        var result = base
        result.metadata = base.metadata ?? continuation.metadata
        result.partialMetadata = base.metadata == nil ? continuation.partialMetadata : nil
        result.days += continuation.days
        result.failedDays += continuation.failedDays
        result.dayInProgress = continuation.dayInProgress
        result.nextDayIndex = continuation.nextDayIndex
        result.expectedDays = base.expectedDays ?? continuation.expectedDays
        result.cutPath = continuation.cutPath
        result.error = continuation.error
        // A second stream numbered from 1 continues the first one's numbering.
        let renumber = base.nextDayIndex > 0 && continuation.dayNumbers[base.nextDayIndex] == 1 ? base.nextDayIndex : 0
        for (index, number) in continuation.dayNumbers { result.dayNumbers[index] = number + renumber }
        if base.daysArrayOpen {
            var prefix = base.jsonPrefix
            for range in dayRanges {
                let last = prefix.last { !ASCIIWhitespace.contains($0) }
                if last != UInt8(ascii: "[") { prefix.append(UInt8(ascii: ",")) }
                prefix += received[range]
            }
            result.jsonPrefix = prefix
            result.json = String(decoding: prefix + base.jsonSuffix.utf8, as: UTF8.self)
        }
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

private let ASCIIWhitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
