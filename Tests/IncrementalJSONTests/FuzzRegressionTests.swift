import Foundation
import XCTest
import FuzzSupport
import JSONFuzzInvariants
@testable import IncrementalJSON

/// Every input the fuzzers ever saved, replayed through their invariants; and seeded property
/// tests of the same invariants, so the ordinary test run covers them in seconds.
final class FuzzRegressionTests: XCTestCase {
    /// The JSON layer's targets (the plan's and the client's replay theirs in their own tests).
    func testSavedFindingsStayFixed() throws {
        for (target, check) in [("parser", FuzzInvariants.checkParser), ("repair", FuzzInvariants.checkRepair),
                                ("decode", FuzzInvariants.checkDecoding)] {
            for finding in try FuzzInvariants.savedFindings(target) { check(finding) }
        }
    }

    /// Random documents: every invariant of both fuzz targets.
    func testRandomDocuments() {
        var generator = SeededGenerator(testSeedFor: "random documents")
        for _ in 0..<60 {
            let document = Array(RandomJSON.document(using: &generator).utf8)
            XCTAssertNoThrow(try JSONValue(parsing: document), String(decoding: document, as: UTF8.self))
            FuzzInvariants.checkParser(document)
            FuzzInvariants.checkRepair(document)
            FuzzInvariants.checkDecoding(document)
        }
    }

    /// Random byte mutations of a real plan: split invariance and Foundation agreement hold for
    /// whatever the bytes become.
    func testRandomMutations() throws {
        for mutated in try mutatedPlans("random mutations", count: 80) {
            FuzzInvariants.checkParser(mutated)
            FuzzInvariants.checkRepair(mutated)
            FuzzInvariants.checkDecoding(mutated)
        }
    }
}

/// Random JSON text: nested values, every number form, escapes, multi-byte characters, and
/// varied whitespace.
enum RandomJSON {
    static func document(using generator: inout SeededGenerator) -> String {
        Bool.random(using: &generator) ? object(depth: 0, &generator) : array(depth: 0, &generator)
    }

    static func value(depth: Int, _ g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<(depth > 4 ? 6 : 8), using: &g) {
        case 0: return "null"
        case 1: return Bool.random(using: &g) ? "true" : "false"
        case 2, 3: return number(&g)
        case 4, 5: return string(&g)
        case 6: return object(depth: depth + 1, &g)
        default: return array(depth: depth + 1, &g)
        }
    }

    static func space(_ g: inout SeededGenerator) -> String {
        [" ", "", "", "\n  ", "\t", "\r\n"].randomElement(using: &g)!
    }

    static func object(depth: Int, _ g: inout SeededGenerator) -> String {
        let members = (0..<Int.random(in: 0...4, using: &g)).map { _ in
            space(&g) + string(&g) + space(&g) + ":" + space(&g) + value(depth: depth, &g)
        }
        return "{" + members.joined(separator: ",") + space(&g) + "}"
    }

    static func array(depth: Int, _ g: inout SeededGenerator) -> String {
        let elements = (0..<Int.random(in: 0...5, using: &g)).map { _ in space(&g) + value(depth: depth, &g) + space(&g) }
        return "[" + elements.joined(separator: ",") + "]"
    }

    static func number(_ g: inout SeededGenerator) -> String {
        let integer = Bool.random(using: &g) ? "0" : String(Int.random(in: 1...999_999, using: &g))
        let sign = Bool.random(using: &g) ? "-" : ""
        let fraction = Bool.random(using: &g) ? "." + String(Int.random(in: 0...9999, using: &g)) : ""
        let exponent = Int.random(in: 0..<4, using: &g) == 0 ? ["e", "E", "e+", "e-"].randomElement(using: &g)! + String(Int.random(in: 0...30, using: &g)) : ""
        return sign + integer + fraction + exponent
    }

    static func string(_ g: inout SeededGenerator) -> String {
        let pieces = ["a", "plan", " ", "é", "中文", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u00e9", "\\ud83d\\ude00", "\\u0000", "ü", "\u{7F}"]
        return "\"" + (0..<Int.random(in: 0...6, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined() + "\""
    }
}
