import Foundation
import XCTest
import IncrementalJSON
@_exported import TestSupport
@testable import PlanStream

/// One plan event as text, with the byte range behind it, for comparisons across splits.
struct EventRecord: Equatable, CustomStringConvertible {
    var text: String
    var range: Range<Int>?
    /// The index of the chunk whose `feed` returned the event.
    var chunk: Int
    var description: String { "\(text) \(range.map { "\($0)" } ?? "") in chunk \(chunk)" }
}

/// A value as text: JSON for a `JSONValue` (stable key order), its description otherwise.
func text(_ value: Any) -> String {
    (value as? JSONValue)?.serialized() ?? "\(value)"
}

func describe<M, D>(_ event: PlanEvent<M, D>) -> String {
    switch event {
    case .metadataReady(let metadata, _): return "metadataReady \(text(metadata))"
    case .metadataFailed(let error, let raw): return "metadataFailed \(error) \(raw)"
    case .metadataSnapshot(let partial): return "metadataSnapshot \(partial.value.serialized()) \(partial.openPath)"
    case .dayStarted(let index, _): return "dayStarted \(index)"
    case .daySnapshot(let index, let partial): return "daySnapshot \(index) \(partial.value.serialized()) \(partial.openPath)"
    case .dayCompleted(let index, let day, _): return "dayCompleted \(index) \(text(day))"
    case .dayFailed(let index, let error, let raw): return "dayFailed \(index) \(error) \(raw)"
    case .progress(let progress): return "progress \(progress.daysCompleted)/\(progress.expectedDays.map(String.init) ?? "?")"
    case .completed(let plan): return "completed \(plan.days.count) \(plan.failedDays.count) \(plan.warnings)"
    case .partial(let partial): return "partial \(partial.nextDayIndex) \(partial.json ?? "nil")"
    }
}

/// The byte range an event carries: its value's, or where a day opened.
func range<M, D>(of event: PlanEvent<M, D>) -> Range<Int>? {
    switch event {
    case .metadataReady(_, let raw), .metadataFailed(_, let raw), .dayCompleted(_, _, let raw), .dayFailed(_, _, let raw):
        return raw.range
    case .dayStarted(_, let offset):
        return offset..<offset + 1
    default:
        return nil
    }
}

/// Feeds `bytes` split at `cuts` into a parser and records every event.
func planEvents<M, D>(_ bytes: [UInt8], cuts: [Int], parser: PlanStreamParser<M, D>) -> [EventRecord] {
    var records: [EventRecord] = []
    for (chunk, bytes) in chunks(of: bytes, at: cuts).enumerated() {
        parser.push(bytes)
        while let event = try? parser.nextEvent() {
            records.append(EventRecord(text: describe(event), range: range(of: event), chunk: chunk))
        }
    }
    for event in parser.finish() {
        records.append(EventRecord(text: describe(event), range: range(of: event), chunk: cuts.count + 1))
    }
    return records
}

/// The events without chunk numbers and progress byte counts (which depend on the split).
func splitIndependent(_ records: [EventRecord]) -> [EventRecord] {
    records.map { EventRecord(text: $0.text, range: $0.range, chunk: 0) }
}
