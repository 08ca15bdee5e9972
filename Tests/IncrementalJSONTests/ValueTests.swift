import TestSupport
import XCTest
@testable import IncrementalJSON

final class ValueTests: XCTestCase {
    func testNumberConversionsAreExact() throws {
        let cases: [(String, Int?, Double?)] = [
            ("0", 0, 0), ("-0", 0, -0.0), ("42", 42, 42), ("1e3", 1000, 1000), ("2.50e1", 25, 25),
            ("1.5", nil, 1.5), ("1e-2", nil, 0.01), ("9223372036854775807", .max, 9.223372036854775807e18),
            ("-9223372036854775808", .min, -9.223372036854775808e18), ("9223372036854775808", nil, 9.223372036854775808e18),
            ("100e-2", 1, 1), ("0.000e5", 0, 0), ("1e400", nil, nil), ("123456789012345678901234567890e-20", nil, 1234567890.1234567),
        ]
        for (text, int, double) in cases {
            let number = try XCTUnwrap(JSONNumber(text), text)
            XCTAssertEqual(number.int, int, text)
            XCTAssertEqual(number.double, double, text)
            XCTAssertEqual(number.text, text)
        }
        XCTAssertEqual(JSONNumber("0.1")?.decimal?.description, "0.1")
        XCTAssertEqual(JSONNumber("12345678901234567890.5")?.decimal?.description, "12345678901234567890.5")
        XCTAssertNil(JSONNumber("01"))
        XCTAssertNil(JSONNumber("1 "))
        XCTAssertNil(JSONNumber("[1]"))
        // The grammar, checked directly, accepts exactly the texts the parser reads as one number.
        var generator = SeededGenerator(testSeedFor: "number texts")
        let alphabet = Array("0123456789-+.eE x".utf8)
        for _ in 0..<20_000 {
            let text = String(decoding: (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! },
                              as: UTF8.self)
            let parser = JSONParser()
            parser.push(text)
            parser.endInput()
            let isOneNumber = (try? parser.nextToken()).flatMap { $0 }.map { $0.kind == .number && $0.length == text.utf8.count } ?? false
            XCTAssertEqual(JSONNumber(text) != nil, isOneNumber, text)
        }
    }

    func testValueAccessorsAndSerialization() throws {
        let value = try JSONValue(parsing: #"{"t": "x\"y\n", "n": [1.50, true, null], "o": {"k y": false}}"#)
        XCTAssertEqual(value["t"]?.stringValue, "x\"y\n")
        XCTAssertEqual(value["n"]?[0]?.numberValue?.text, "1.50")
        XCTAssertEqual(value["n"]?[1]?.boolValue, true)
        XCTAssertNil(value["n"]?[3])
        XCTAssertEqual(value.serialized(), #"{"t":"x\"y\n","n":[1.50,true,null],"o":{"k y":false}}"#, "members as written")
        XCTAssertEqual(try JSONValue(parsing: value.serialized()), value)
    }

    /// Every byte that needs escaping, alone and between runs of text, in values, keys and paths;
    /// everything else (DEL, `/`, non-ASCII) written as it is.
    func testSerializationEscapes() throws {
        let named: [UInt8: String] = [0x0A: #"\n"#, 0x0D: #"\r"#, 0x09: #"\t"#, 0x22: #"\""#, 0x5C: #"\\"#]
        let hex = Array("0123456789ABCDEF")
        for byte in UInt8(0)...0x7F {
            let expected = named[byte] ?? (byte < 0x20 ? "\\u00\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])" : String(UnicodeScalar(byte)))
            let text = String(UnicodeScalar(byte))
            XCTAssertEqual(JSONValue.string(text).serialized(), "\"" + expected + "\"", "byte \(byte)")
            XCTAssertEqual(JSONValue.string("ab" + text + "é😀" + text).serialized(),
                           "\"ab" + expected + "é😀" + expected + "\"", "byte \(byte) between runs")
            XCTAssertEqual(JSONValue.object([text: .null]).serialized(), "{\"" + expected + "\":null}")
            let parsed = try JSONValue(parsing: JSONValue.object(["k" + text: .string(text)]).serialized())
            XCTAssertEqual(parsed, .object(["k" + text: .string(text)]), "round trip of byte \(byte)")
        }
        XCTAssertEqual(JSONPath([.key("a\"b\n")]).description, #"$["a\"b\n"]"#)
        XCTAssertEqual(JSONValue.array([.array([]), .object([:]), .string("["), .string("{")]).serialized(), #"[[],{},"[","{"]"#)
    }

    func testCodableRoundTrip() throws {
        let value = try JSONValue(parsing: #"{"a": [1, 2.5, "s", null, true], "b": {}}"#)
        let data = try JSONEncoder().encode(value)
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: data), value)
    }

    func testPathDescriptions() {
        let path: JSONPath = [.key("days"), .index(3), .key("key with spaces"), .key("q\"uote"), .key("1st"), .key("_ok$")]
        XCTAssertEqual(path.description, #"$.days[3]["key with spaces"]["q\"uote"]["1st"]._ok$"#)
        XCTAssertEqual(JSONPath.root.description, "$")
    }

    func testEventPaths() throws {
        let result = events(Array(#"{"a": [{"b": 1}, 2], "c d": {}}"#.utf8))
        XCTAssertNil(result.error)
        XCTAssertEqual(result.events.map { "\($0.path)" }, [
            "$", "$.a", "$.a", "$.a[0]", "$.a[0].b", "$.a[0].b", "$.a[0]", "$.a[1]", "$.a",
            #"$["c d"]"#, #"$["c d"]"#, #"$["c d"]"#, "$",
        ])
        XCTAssertEqual(result.events.map(\.offset), [0, 1, 6, 7, 8, 13, 14, 17, 18, 21, 28, 29, 30])
    }
}
