import Foundation
import XCTest
@testable import IncrementalJSON

/// JSONTokenDecoder must decode what JSONDecoder decodes, to the same values, and fail where it fails.
final class TokenDecoderTests: XCTestCase {
    struct Everything: Codable, Equatable {
        enum Mood: String, Codable { case calm, busy }
        struct Inner: Codable, Equatable { var name: String; var tags: [String]? }

        var string: String
        var escaped: String
        var bool: Bool
        var int: Int
        var int8: Int8
        var uint16: UInt16
        var int64: Int64
        var uint64: UInt64
        var double: Double
        var float: Float
        var optional: String?
        var missing: Int?
        var null: Int?
        var mood: Mood
        var nested: [[Int]]
        var inners: [Inner]
        var dictionary: [String: Double]
        var decimal: Decimal
        var url: URL
        var data: Data
        var date: Date
        var value: JSONValue
        var integralDouble: Int
    }

    let document = #"""
    {"string": "plain", "escaped": "caf\u00e9 \"q\" \ud83d\ude00\n", "bool": true, "int": -42, "int8": 127,
     "uint16": 65535, "int64": -9223372036854775808, "uint64": 18446744073709551615, "double": 2.5e-3,
     "float": 0.1, "optional": "here", "null": null, "mood": "calm", "nested": [[1, 2], [], [3]],
     "inners": [{"name": "a", "tags": ["x"]}, {"name": "b"}], "dictionary": {"one": 1, "two": 2.5},
     "decimal": 12345678901234567890.123, "url": "https://example.com/a?b=c", "data": "aGVsbG8=",
     "date": 1000.5, "value": {"any": [1, "two", null]}, "integralDouble": 3.0}
    """#

    func testDecodesLikeJSONDecoder() throws {
        let bytes = Array(document.utf8)
        let ours = try JSONTokenDecoder().decode(Everything.self, from: bytes)
        let theirs = try JSONDecoder().decode(Everything.self, from: Data(bytes))
        XCTAssertEqual(ours, theirs)
        XCTAssertEqual(ours.escaped, "café \"q\" 😀\n")
        XCTAssertEqual(ours.int64, .min)
        XCTAssertEqual(ours.decimal.description, "12345678901234567890.123")
        XCTAssertEqual(ours.value["any"]?[1], .string("two"))
    }

    func testDecodesEveryFixtureLikeJSONDecoder() throws {
        struct Plan: Decodable, Equatable {
            struct Day: Decodable, Equatable {
                struct Activity: Decodable, Equatable {
                    var name: String; var time: String; var duration_minutes: Int; var intensity: Double
                    var description: String; var optional: Bool
                }
                struct Meal: Decodable, Equatable { var type: String; var name: String; var calories: Int; var notes: String? }
                var day: Int; var title: String; var theme: String; var activities: [Activity]; var meals: [Meal]
                var tips: [String]; var water_liters: Double; var rest_day: Bool
            }
            var metadata: [String: JSONValue]
            var days: [Day]
        }
        for name in strictFixtures {
            let bytes = try fixture(name)
            XCTAssertEqual(try JSONTokenDecoder().decode(Plan.self, from: bytes),
                           try JSONDecoder().decode(Plan.self, from: Data(bytes)), name)
        }
    }

    func testTopLevelValuesAndArrays() throws {
        XCTAssertEqual(try JSONTokenDecoder().decode(Int.self, from: Array("7".utf8)), 7)
        XCTAssertEqual(try JSONTokenDecoder().decode([String?].self, from: Array(#"["a", null]"#.utf8)), ["a", nil])
        XCTAssertEqual(try JSONTokenDecoder().decode([String: [Int]].self, from: Array(#"{"k": [1]}"#.utf8)), ["k": [1]])
    }

    func testErrorsCarryTheCodingPath() {
        struct Day: Decodable { var day: Int; var title: String }
        struct Plan: Decodable { var days: [Day] }
        func decodingError(_ text: String) -> DecodingError? {
            let result = Result { try JSONTokenDecoder().decode(Plan.self, from: Array(text.utf8)) }
            guard case .failure(let failure) = result else {
                XCTFail("decoded \(text)")
                return nil
            }
            guard let error = failure as? DecodingError else {
                XCTFail("\(failure)")
                return nil
            }
            return error
        }
        func path(_ error: DecodingError?) -> String {
            let context: DecodingError.Context?
            switch error {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): context = c
            default: context = nil
            }
            return context?.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/") ?? "?"
        }
        let mismatch = decodingError(#"{"days": [{"day": 1, "title": "a"}, {"day": "2", "title": "b"}]}"#)
        guard case .typeMismatch? = mismatch else { return XCTFail("\(String(describing: mismatch))") }
        XCTAssertEqual(path(mismatch), "days/1/day")
        let missing = decodingError(#"{"days": [{"day": 1}]}"#)
        guard case .keyNotFound(let key, _)? = missing else { return XCTFail("\(String(describing: missing))") }
        XCTAssertEqual(key.stringValue, "title")
        XCTAssertEqual(path(missing), "days/0")
        let null = decodingError(#"{"days": [{"day": null, "title": "a"}]}"#)
        guard case .valueNotFound? = null else { return XCTFail("\(String(describing: null))") }
        let overflow = decodingError(#"{"days": [{"day": 99999999999999999999, "title": "a"}]}"#)
        guard case .dataCorrupted? = overflow else { return XCTFail("\(String(describing: overflow))") }
        XCTAssertEqual(path(overflow), "days/0/day")
        let fraction = decodingError(#"{"days": [{"day": 1.5, "title": "a"}]}"#)
        XCTAssertNotNil(fraction)
        XCTAssertThrowsError(try JSONTokenDecoder().decode(Plan.self, from: Array(#"{"days": [}"#.utf8))) { error in
            XCTAssertTrue(error is JSONParseError)
        }
    }

    /// A `JSONValue` read through this decoder is the value its text spells, numbers included —
    /// whether a container decodes it or a type's own `init(from:)` hands it the decoder — so a
    /// number beyond `Double` (which `JSONDecoder` rejects) or finer than it is kept exactly.
    func testJSONValuesKeepTheirNumbersExactly() throws {
        struct Delegating: Decodable {
            var value: JSONValue
            init(from decoder: any Decoder) throws { value = try JSONValue(from: decoder) }
        }
        struct Contained: Decodable { var n: JSONValue }
        for text in ["1e400", "0.1000000000000000000001", "-0", "123456789012345678901234567890", "2.50"] {
            let json = Array(#"{"n": \#(text)}"#.utf8)
            let expected = try JSONValue(parsing: json)
            XCTAssertEqual(try JSONTokenDecoder().decode([String: Delegating].self, from: json)["n"]?.value, expected["n"], text)
            XCTAssertEqual(try JSONTokenDecoder().decode(Delegating.self, from: json).value, expected, text)
            XCTAssertEqual(try JSONTokenDecoder().decode(Contained.self, from: json).n, expected["n"], text)
            guard case .number(let number) = try JSONTokenDecoder().decode(Delegating.self, from: Array(text.utf8)).value else {
                return XCTFail(text)
            }
            XCTAssertEqual(number.description, text)
        }
    }

    /// As JSONDecoder on this toolchain: the first member of a repeated key is kept.
    func testDuplicateKeysUseTheFirstMember() throws {
        struct One: Decodable { var a: Int }
        XCTAssertEqual(try JSONTokenDecoder().decode(One.self, from: Array(#"{"a": 1, "a": 2}"#.utf8)).a, 1)
        XCTAssertEqual(try JSONTokenDecoder().decode(One.self, from: Array(#"{"\u0061": 3}"#.utf8)).a, 3, "escaped keys match")
    }
}
