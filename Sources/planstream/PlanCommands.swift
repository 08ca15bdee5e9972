import CommandLineSupport
import Foundation
import IncrementalJSON
import PlanStream

/// `planstream plan` and `planstream repair`.
enum PlanCommands {
    static let usage = """
        planstream plan FILE [--chunk-size N] [--lenient] [--expected-days N] [--snapshots]
        planstream repair FILE [--keep-partial-strings]
        """

    /// One JSON line per plan event; exit 0 when the plan is complete, 1 when partial or invalid.
    /// With `--snapshots`, also a line per live snapshot of the day being written.
    static func plan(_ arguments: [String]) throws -> Int32 {
        let options = try CommandLineArguments(arguments, valued: ["chunk-size", "expected-days"],
                                               switches: ["lenient", "snapshots"])
        return try feed(options) { event in
            if let line = line(for: event) { print(line) }
        } failed: { error in
            print("error: \(error)", to: &standardError)
        }
    }

    /// Feeds FILE to a plan parser (the options `plan` and `relay` share: `--chunk-size`,
    /// `--lenient`, `--expected-days`, `--snapshots`), handing over every event, and the error
    /// when the input is invalid, with a pause after each chunk. 0 when the plan completed, 1
    /// otherwise.
    static func feed(_ options: CommandLineArguments, delayMilliseconds: Int = 0,
                     _ handle: (PlanEvent<JSONValue, JSONValue>) -> Void, failed: (any Error) -> Void) throws -> Int32 {
        let bytes = try Input.read(try options.single("FILE"))
        var schema = PlanSchema()
        schema.parserOptions = options.flag("lenient") ? .llm : .strict
        if options.string("expected-days") != nil {
            schema.expectedDays = .fixed(try options.count("expected-days", default: 0))
        }
        let parser = PlanStreamParser(schema: schema, metadata: JSONValue.self, day: JSONValue.self,
                                      snapshots: options.flag("snapshots") ? .everyChange : .off)
        var status: Int32 = 1
        func drain() {
            while true {
                do {
                    guard let event = try parser.nextEvent() else { return }
                    if case .completed = event { status = 0 }
                    handle(event)
                } catch {
                    // The parser stays failed; what is left comes once the input ends (the partial plan).
                    failed(error)
                    return
                }
            }
        }
        for chunk in Input.chunks(of: bytes, size: try options.count("chunk-size", default: 0)) {
            parser.push(chunk)
            drain()
            if parser.error != nil { break }
            if delayMilliseconds > 0 { usleep(UInt32(delayMilliseconds) * 1000) }
        }
        parser.endInput()
        drain()
        return status
    }

    /// The line for `event`, or `nil` for events the contract does not print (`metadataSnapshot`).
    /// Offsets are where the value ends (just after its closing bracket), or for `dayStarted`
    /// where it opens.
    static func line(for event: PlanEvent<JSONValue, JSONValue>) -> String? {
        switch event {
        case .metadataReady(_, let raw):
            return #"{"event":"metadataReady","offset":\#(raw.range.upperBound)}"#
        case .metadataFailed(let error, let raw):
            return #"{"event":"metadataFailed","offset":\#(raw.range.upperBound),"error":\#(quoted(error.message))}"#
        case .dayStarted(let index, let offset):
            return #"{"event":"dayStarted","index":\#(index),"offset":\#(offset)}"#
        case .daySnapshot(let index, let partial):
            return #"{"event":"daySnapshot","index":\#(index),"value":\#(partial.value.serialized())}"#
        case .metadataSnapshot:
            return nil
        case .dayCompleted(let index, _, let raw):
            return #"{"event":"dayCompleted","index":\#(index),"offset":\#(raw.range.upperBound)}"#
        case .dayFailed(let index, let error, let raw):
            return #"{"event":"dayFailed","index":\#(index),"offset":\#(raw.range.upperBound),"error":\#(quoted(error.message))}"#
        case .progress(let progress):
            let expected = progress.expectedDays.map(String.init) ?? "null"
            return #"{"event":"progress","bytes":\#(progress.bytesReceived),"daysCompleted":\#(progress.daysCompleted),"expectedDays":\#(expected)}"#
        case .completed(let plan):
            let warnings = plan.warnings.map { quoted($0.description) }.joined(separator: ",")
            return #"{"event":"completed","days":\#(plan.days.count + plan.failedDays.count),"warnings":[\#(warnings)]}"#
        case .partial(let partial):
            let cut = partial.cutPath.map { quoted($0.description) } ?? "null"
            return #"{"event":"partial","days":\#(partial.nextDayIndex),"nextDayIndex":\#(partial.nextDayIndex),"cutPath":\#(cut)}"#
        }
    }

    /// Prints the repaired document on stdout and a one-line report on stderr.
    static func repair(_ arguments: [String]) throws -> Int32 {
        let options = try CommandLineArguments(arguments, valued: [], switches: ["keep-partial-strings"])
        let bytes = try Input.read(try options.single("FILE"))
        do {
            let repaired = try RepairedJSON(repairing: bytes, keepingPartialStrings: options.flag("keep-partial-strings"))
            FileHandle.standardOutput.write(Data(repaired.bytes + [0x0A]))
            print("repair: \(repaired.report)", to: &standardError)
            return 0
        } catch {
            print("error: \(error)", to: &standardError)
            return 1
        }
    }

    static func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }
}
