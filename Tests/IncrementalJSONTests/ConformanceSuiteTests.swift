import Foundation
import XCTest
import FuzzSupport
import JSONFuzzInvariants
@testable import IncrementalJSON

/// The public JSON conformance suite (``ConformanceSuite``; skipped when absent).
///
/// Every file goes through the fuzz targets' invariants (the same tokens and error whole, byte by
/// byte and split at derived points, on the vector and scalar paths; strict verdicts as
/// `JSONSerialization`'s but for the documented differences; captures, repairs and decoding read
/// back), and strict mode's verdict is checked: `y_` accepted, `n_` rejected with an error inside
/// the input, `i_` as pinned below.
final class ConformanceSuiteTests: XCTestCase {
    /// The `i_` files (either verdict allowed) that strict mode accepts: numbers beyond `Double`'s
    /// range or precision, which are valid JSON text (RFC 8259 §6 leaves their precision to the
    /// reader; ``JSONNumber`` keeps them as written), and 500 nested arrays, inside the default
    /// depth limit. Every other `i_` file is rejected: UTF-16, a byte order mark, invalid UTF-8,
    /// and lone or inverted surrogate escapes, which have no Unicode scalar to decode to.
    static let acceptedImplementationDefined: Set<String> = [
        "i_number_double_huge_neg_exp.json", "i_number_huge_exp.json", "i_number_neg_int_huge_exp.json",
        "i_number_pos_double_huge_exp.json", "i_number_real_neg_overflow.json", "i_number_real_pos_overflow.json",
        "i_number_real_underflow.json", "i_number_too_big_neg_int.json", "i_number_too_big_pos_int.json",
        "i_number_very_big_negative_int.json", "i_structure_500_nested_arrays.json",
    ]

    func testParsingVerdicts() throws {
        let files = try ConformanceSuite.files("test_parsing")
        // The suite as published: 95 accepted, 188 rejected, 35 either.
        XCTAssertGreaterThanOrEqual(files.count, 318, "the suite is incomplete")
        var accepted: Set<String> = []
        for (name, bytes) in files {
            let result = trace(bytes, splitAt: [])
            switch name.prefix(2) {
            case "y_":
                XCTAssertNil(result.error, "\(name) rejected: \(result.error.map(String.init(describing:)) ?? "")")
                // The same tree parsed, decoded as a JSONValue, and decoded through a type's own
                // `init(from:)` that hands its decoder to JSONValue's.
                let value = try JSONValue(parsing: bytes)
                XCTAssertEqual(try JSONTokenDecoder().decode(JSONValue.self, from: bytes), value, name)
                XCTAssertEqual(try JSONTokenDecoder().decode(Wrapped.self, from: bytes).value, value, name)
            case "n_":
                guard let error = result.error else {
                    XCTFail("\(name) accepted")
                    continue
                }
                XCTAssert((0...bytes.count).contains(error.offset), "\(name): error at byte \(error.offset) of \(bytes.count)")
                XCTAssertThrowsError(try JSONValue(parsing: bytes), name)
            default:
                if result.error == nil { accepted.insert(name) }
            }
            FuzzInvariants.checkParser(bytes)
            FuzzInvariants.checkRepair(bytes)
            FuzzInvariants.checkDecoding(bytes)
        }
        XCTAssertEqual(accepted, Self.acceptedImplementationDefined, "the i_ files strict mode accepts")
    }

    /// A type whose `init(from:)` hands its decoder to `JSONValue`'s.
    struct Wrapped: Decodable {
        var value: JSONValue
        init(from decoder: any Decoder) throws { value = try JSONValue(from: decoder) }
    }

    /// The edge cases of numbers, keys and code points: no crash, every invariant, and what an
    /// accepted document reads back to (its value serialized and parsed again is the same value).
    func testTransformCases() throws {
        let files = try ConformanceSuite.files("test_transform")
        XCTAssertGreaterThanOrEqual(files.count, 21, "the suite is incomplete")
        for (name, bytes) in files {
            FuzzInvariants.checkParser(bytes)
            FuzzInvariants.checkRepair(bytes)
            FuzzInvariants.checkDecoding(bytes)
            guard let value = try? JSONValue(parsing: bytes) else { continue }
            XCTAssertEqual(try JSONValue(parsing: value.serialized()), value, name)
        }
    }
}
