import Foundation
import XCTest
import FuzzSupport
import JSONFuzzInvariants
@testable import IncrementalJSON

/// Every prefix of a document is worth something, and exactly that: valid, nothing complete lost,
/// nothing invented.
final class RepairTests: XCTestCase {
    /// The original document, its scalars (to check that a repair invents none) and where its days close.
    struct Oracle {
        let value: JSONValue
        let scalars: FuzzInvariants.Scalars
        let bytes: [UInt8]
        var dayEnds: [Int] = []

        init(_ bytes: [UInt8], options: JSONParserOptions = .strict) throws {
            self.bytes = bytes
            value = try JSONValue(parsing: bytes, options: options)
            scalars = try XCTUnwrap(FuzzInvariants.scalars(of: bytes))
            // Where each day closes, from the event stream (an independent path through the parser).
            dayEnds = events(bytes, options: options).events.compactMap { event in
                event.kind == .objectEnd && event.path.components.count == 2 && event.path.components[0] == .key("days")
                    ? event.offset + 1 : nil
            }
        }

        /// Every scalar and key of `repaired` occurs in the original (the fuzz targets' check).
        func checkNothingInvented(_ repaired: JSONValue, partialAllowed: Bool, _ context: String) {
            FuzzInvariants.checkNothingInvented(repaired, in: scalars, partialAllowed: partialAllowed, bytes)
        }
    }

    /// Checks one cut of `bytes` at `cut`, repaired from `parser`'s live state.
    func checkCut(_ bytes: [UInt8], at cut: Int, parser: JSONParser, oracle: Oracle, keepPartial: Bool,
                  file: StaticString = #filePath, line: UInt = #line) throws {
        let context = "cut at \(cut)\(keepPartial ? " keeping partial strings" : "")"
        let prefix = Array(bytes[..<cut])
        let result = Result { () throws(JSONRepairError) in try parser.repair(keepingPartialStrings: keepPartial) }
        guard case .success(let live) = result else {
            XCTAssertEqual(result.failureValue, .noValue, context)
            XCTAssertLessThanOrEqual(cut, bytes.firstIndex { $0 == ASCII.openBrace || $0 == ASCII.openBracket } ?? 0, context)
            return
        }
        let repaired = live.apply(to: prefix)
        // Valid for this parser (strict) and for JSONSerialization.
        let value = try JSONValue(parsing: repaired)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(repaired)), context, file: file, line: line)
        // Every day closed before the cut is there, equal to the original.
        let completedDays = oracle.dayEnds.filter { $0 <= cut }.count
        for index in 0..<completedDays {
            XCTAssertEqual(value["days"]?[index], oracle.value["days"]?[index], "\(context): day \(index)", file: file, line: line)
        }
        if completedDays < oracle.dayEnds.count, let days = value["days"]?.arrayValue {
            XCTAssertLessThanOrEqual(days.count, completedDays + 1, context, file: file, line: line)
        }
        oracle.checkNothingInvented(value, partialAllowed: keepPartial, context)
        // The standalone entry point agrees with the live parser.
        let standalone = try RepairedJSON(repairing: prefix, keepingPartialStrings: keepPartial)
        XCTAssertEqual(standalone.bytes, repaired, context, file: file, line: line)
        XCTAssertEqual(standalone.report, live.report, context, file: file, line: line)
    }

    /// Feeds `bytes` one byte at a time and checks the repair after each.
    func checkEveryCut(_ name: String, stride step: Int = 1, keepPartial: Bool) throws {
        let bytes = try fixture(name)
        let oracle = try Oracle(bytes)
        let parser = JSONParser()
        for cut in 0...bytes.count {
            if cut > 0 {
                parser.push(bytes[(cut - 1)..<cut])
                while try parser.nextToken() != nil {}
            }
            if cut % step == 0 || cut > oracle.dayEnds.dropLast().last ?? 0 {
                try checkCut(bytes, at: cut, parser: parser, oracle: oracle, keepPartial: keepPartial)
            }
        }
    }

    func testEveryCutOfTheSevenDayPlan() throws {
        try checkEveryCut("plan-7d.min.json", keepPartial: false)
        try checkEveryCut("plan-7d.json", stride: 3, keepPartial: true)
    }

    /// Large fixtures: many offsets, every offset inside the last day, and every offset inside
    /// multi-byte characters and escapes.
    func testLargeFixturesAtManyCuts() throws {
        for (name, step, lastDayStep) in [("plan-30d.json", 211, 1), ("plan-90d.min.json", 1009, 11)] {
            let bytes = try fixture(name)
            let oracle = try Oracle(bytes)
            var cuts = Set(stride(from: 0, through: bytes.count, by: step))
            cuts.formUnion(stride(from: oracle.dayEnds.dropLast().last ?? 0, through: bytes.count, by: lastDayStep))
            // Every offset around 40 multi-byte characters and 40 escapes spread over the document.
            let multibyte = bytes.indices.filter { bytes[$0] >= 0xC0 }
            let escapes = bytes.indices.filter { bytes[$0] == ASCII.backslash }
            for sites in [multibyte, escapes] where !sites.isEmpty {
                for k in 0..<40 {
                    let site = sites[k * sites.count / 40]
                    cuts.formUnion(site...min(site + 12, bytes.count))
                }
            }
            let parser = JSONParser()
            var fed = 0
            for cut in cuts.sorted() {
                parser.push(bytes[fed..<cut])
                fed = cut
                while try parser.nextToken() != nil {}
                try checkCut(bytes, at: cut, parser: parser, oracle: oracle, keepPartial: cut % 2 == 0)
            }
        }
    }

    func testRules() throws {
        let cases: [(String, String, Bool)] = [
            (#"[1, 2, 123"#, "[1, 2]", false),                           // never complete a number
            (#"[1, 2.5e"#, "[1]", false),
            (#"{"a": tru"#, "{}", false),                                // nor a literal
            (#"{"a": 1, "ke"#, #"{"a": 1}"#, false),                     // nor a key
            (#"{"a": 1, "key""#, #"{"a": 1}"#, false),                   // a dangling key goes
            (#"{"a": 1, "key": "#, #"{"a": 1}"#, false),                 // with its colon
            (#"{"a": 1, "#, #"{"a": 1}"#, false),                        // and its comma
            (#"{"a": "hel"#, "{}", false),                               // a cut string is dropped
            (#"{"a": "hel"#, #"{"a": "hel"}"#, true),                    // or kept when asked
            (#"["caf\u00"#, #"["caf"]"#, true),                          // cut back before an escape
            (#"["a\"#, #"["a"]"#, true),
            (#"["x\ud83d\ude"#, #"["x"]"#, true),                        // and a surrogate pair
            (#"["x\ud83d"#, #"["x"]"#, true),
            (#"{"k": "cut"#, "{}", false),
            (#"{"a": [1, {"b": [true, {"c": nu"#, #"{"a": [1, {"b": [true, {}]}]}"#, false),
            ("[[[", "[[[]]]", false),
            ("Sure!\n```json\n{\"a\": [1, 2", "{\"a\": [1]}", false),
            ("{\"a\": 1}\n```\nDone", "{\"a\": 1}", false),
        ]
        for (input, expected, keep) in cases {
            XCTAssertEqual(try RepairedJSON(repairing: input, keepingPartialStrings: keep).text, expected, input)
        }
        let cutInCharacter = [UInt8](#"["caf"#.utf8) + [0xC3]
        XCTAssertEqual(try RepairedJSON(repairing: cutInCharacter, keepingPartialStrings: true).text, #"["caf"]"#)
        let emoji = [UInt8]("[\"ok \u{1F600}".utf8)
        for cut in 5...emoji.count {
            XCTAssertEqual(try RepairedJSON(repairing: emoji[..<cut], keepingPartialStrings: true).text,
                           cut == emoji.count ? "[\"ok \u{1F600}\"]" : "[\"ok \"]")
        }
    }

    func testReport() throws {
        let repaired = try RepairedJSON(repairing: #"{"days": [{"day": 1}, {"day": 2, "title": "Mov"#)
        XCTAssertEqual(repaired.text, #"{"days": [{"day": 1}, {"day": 2}]}"#)
        XCTAssertEqual(repaired.report.keptBytes, 31)
        XCTAssertEqual(repaired.report.droppedBytes, 15)
        XCTAssertEqual(repaired.report.containersClosed, 3)
        XCTAssertFalse(repaired.report.keptPartialString)
        XCTAssertEqual(repaired.report.cutPath.description, "$.days[1].title")
        XCTAssertEqual(repaired.report.description, "kept 31 bytes, dropped 15, closed 3 containers, cut at $.days[1].title")
        let complete = try RepairedJSON(repairing: "[1]")
        XCTAssertTrue(complete.report.isComplete)
    }

    func testInputThatCannotBeRepaired() {
        XCTAssertThrowsError(try RepairedJSON(repairing: "no json here")) { XCTAssertEqual($0 as? JSONRepairError, .noValue) }
        XCTAssertThrowsError(try RepairedJSON(repairing: "")) { XCTAssertEqual($0 as? JSONRepairError, .noValue) }
        XCTAssertThrowsError(try RepairedJSON(repairing: "see [as requested]")) { XCTAssertEqual($0 as? JSONRepairError, .noValue) }
        XCTAssertThrowsError(try RepairedJSON(repairing: #"{"a": tru e, "b": [1"#)) { error in
            guard let parseError = (error as? JSONRepairError)?.parseError else { return XCTFail("\(error)") }
            XCTAssertEqual(parseError.offset, 9)
        }
        // A top-level scalar cannot be cut and kept.
        let parser = JSONParser()
        parser.push("123")
        XCTAssertNil(try parser.nextToken())
        XCTAssertThrowsError(try parser.repair())
    }

    func testLenientTrailingCommasAreLeftOut() throws {
        let parser = JSONParser(options: .llm)
        _ = try parser.feed(#"{"a": [1, 2,], "b": {"c": 3,}, "d": [4,"#)
        let repair = try parser.repair()
        let text = #"{"a": [1, 2,], "b": {"c": 3,}, "d": [4,"#
        let repaired = String(decoding: repair.apply(to: Array(text.utf8)), as: UTF8.self)
        XCTAssertEqual(repaired, #"{"a": [1, 2], "b": {"c": 3}, "d": [4]}"#)
        XCTAssertNoThrow(try JSONValue(parsing: repaired))
    }

    func testRepairKeepingOnlyOuterContainers() throws {
        let parser = JSONParser()
        let text = #"{"days": [{"day": 1}, {"day": 2, "meals": [{"name": "x"#
        _ = try parser.feed(text)
        let repair = try parser.repair(keptDepth: 2)
        XCTAssertEqual(String(decoding: repair.apply(to: Array(text.utf8)), as: UTF8.self), #"{"days": [{"day": 1}]}"#)
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
