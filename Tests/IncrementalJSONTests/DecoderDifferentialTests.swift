import Foundation
import XCTest
@testable import IncrementalJSON

/// JSONTokenDecoder against Foundation's JSONDecoder on the same toolchain: on valid JSON, the same
/// value, or both throw the same `DecodingError` kind at the same coding path (ours may be longer:
/// more precise). The deliberate differences are listed in `JSONTokenDecoder`'s documentation.
final class DecoderDifferentialTests: XCTestCase {
    enum Outcome: Equatable, CustomStringConvertible {
        case value(String)
        case error(kind: String, path: [String])

        var description: String {
            switch self {
            case .value(let value): return value
            case .error(let kind, let path): return "\(kind) at \(path.joined(separator: "."))"
            }
        }
    }

    /// An error inside a probe, as a log line: its kind, and its path unless JSONDecoder's
    /// internal JSONError (which has none) may stand behind it.
    static func probeLine(_ error: any Error) -> String {
        let outcome = outcome { () throws -> Int in throw error }
        if case .error("dataCorrupted", _) = outcome { return "dataCorrupted" }
        return "\(outcome)"
    }

    static func outcome<T: Decodable>(_ decode: () throws -> T) -> Outcome {
        do {
            return .value(String(reflecting: try decode()))
        } catch let error as DecodingError {
            let (kind, context): (String, DecodingError.Context)
            switch error {
            case .typeMismatch(_, let c): (kind, context) = ("typeMismatch", c)
            case .valueNotFound(_, let c): (kind, context) = ("valueNotFound", c)
            case .keyNotFound(let key, let c):
                (kind, context) = ("keyNotFound", DecodingError.Context(codingPath: c.codingPath + [key], debugDescription: ""))
            case .dataCorrupted(let c): (kind, context) = ("dataCorrupted", c)
            @unknown default: (kind, context) = ("unknown", DecodingError.Context(codingPath: [], debugDescription: ""))
            }
            return .error(kind: kind, path: context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue })
        } catch {
            // Inside an `init(from:)`, JSONDecoder throws its internal JSONError for a number
            // that does not fit (it wraps it into dataCorrupted only at the top); ours is
            // dataCorrupted throughout.
            let name = "\(type(of: error))"
            return .error(kind: name == "JSONError" ? "dataCorrupted" : name, path: [])
        }
    }

    /// For equatable types, the values themselves (a dictionary's description has no fixed order).
    func same<T: Decodable & Equatable>(_ json: String, _ type: T.Type, configure: (JSONDecoder) -> Void = { _ in },
                                        file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(json.utf8)
        let foundation = JSONDecoder()
        configure(foundation)
        if let theirs = try? foundation.decode(T.self, from: Data(bytes)),
           let ours = try? JSONTokenDecoder(foundation).decode(T.self, from: bytes) {
            XCTAssertEqual(theirs, ours, "\(json) as \(T.self)", file: file, line: line)
        } else {
            compareOutcomes(json, type, configure: configure, file: file, line: line)
        }
    }

    /// Decodes `json` into `T` with both decoders and compares the outcomes.
    func same<T: Decodable>(_ json: String, _ type: T.Type, configure: (JSONDecoder) -> Void = { _ in },
                            file: StaticString = #filePath, line: UInt = #line) {
        compareOutcomes(json, type, configure: configure, file: file, line: line)
    }

    func compareOutcomes<T: Decodable>(_ json: String, _ type: T.Type, configure: (JSONDecoder) -> Void = { _ in },
                                       file: StaticString, line: UInt) {
        let bytes = Array(json.utf8)
        let foundation = JSONDecoder()
        configure(foundation)
        let theirs = Self.outcome { try foundation.decode(T.self, from: Data(bytes)) }
        let ours = Self.outcome { try JSONTokenDecoder(foundation).decode(T.self, from: bytes) }
        switch (theirs, ours) {
        case (.error(let kind, let path), .error(let ourKind, let ourPath)):
            XCTAssertEqual(kind, ourKind, "\(json) as \(T.self): \(theirs) vs \(ours)", file: file, line: line)
            XCTAssertEqual(Array(ourPath.prefix(path.count)), path, "\(json) as \(T.self): \(theirs) vs \(ours)", file: file, line: line)
        case (.value(let value), .value(let ourValue)) where value.contains("\n"):
            // A probe's log: the first line that differs.
            let (lines, ourLines) = (value.split(separator: "\n"), ourValue.split(separator: "\n"))
            if let first = zip(lines, ourLines).first(where: { $0 != $1 }) {
                XCTFail("\(json) as \(T.self): \(first.0)  vs ours  \(first.1)", file: file, line: line)
            } else {
                XCTAssertEqual(lines.count, ourLines.count, "\(json) as \(T.self)", file: file, line: line)
            }
        default:
            XCTAssertEqual(theirs, ours, "\(json) as \(T.self)", file: file, line: line)
        }
    }

    // MARK: - Numbers

    // Deliberate differences, not tested here (listed in JSONTokenDecoder's documentation):
    // an integer written with a fraction or exponent at or above 2^63 (`9223372036854775807.0`:
    // JSONDecoder gives UInt64 …807 but fails Int64; ours reads it through Double), and
    // `[Int: T]` keys that collide as numbers (`"1"` and `"01"`: the winner follows allKeys'
    // order, which is unspecified).

    struct Box<T: Decodable>: Decodable { var v: T }

    func testIntegersFromEveryNumberForm() {
        let texts = ["0", "-0", "1", "-1", "127", "128", "-128", "-129", "255", "256", "65535", "65536",
                     "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                     "18446744073709551615", "18446744073709551616", "1e19", "1e20", "1.0", "1.5", "-1.0", "-0.0",
                     "1e2", "1E2", "1e+2", "12.0e1", "1.0e0", "1e-400", "1e400", "1.000000000000000000001",
                     "0.5e1", "9.0e3", "123456789012345678901234567890", "1e30",
                     "170141183460469231731687303715884105727", "170141183460469231731687303715884105728",
                     "-170141183460469231731687303715884105728", "340282366920938463463374607431768211455", "2.5e-1"]
        for text in texts {
            let json = #"{"v": \#(text)}"#
            same(json, Box<Int>.self); same(json, Box<Int8>.self); same(json, Box<Int16>.self); same(json, Box<Int32>.self)
            same(json, Box<Int64>.self); same(json, Box<UInt>.self); same(json, Box<UInt8>.self); same(json, Box<UInt16>.self)
            same(json, Box<UInt32>.self); same(json, Box<UInt64>.self); same(json, Box<Int128>.self); same(json, Box<UInt128>.self)
            same("[\(text)]", [Int].self); same("[\(text)]", [UInt64].self); same("[\(text)]", [Int128].self)
            same(text, Int.self); same(text, UInt128.self)
        }
    }

    func testFloatingPointFromEveryNumberForm() {
        let texts = ["0", "-0", "0.1", "1e308", "1.7976931348623157e308", "1e309", "-1e400", "1e-400", "4.9e-324", "1e-320",
                     "2.5e-3", "3.4e38", "3.4e39", "1e-46", "123456789012345678901234567890", "0.30000000000000004"]
        for text in texts {
            same(#"{"v": \#(text)}"#, Box<Double>.self)
            same(#"{"v": \#(text)}"#, Box<Float>.self)
            same("[\(text)]", [Double].self)
            same(text, Float.self)
            same(#"{"v": \#(text)}"#, Box<Decimal>.self)
        }
    }

    func testWrongKindsAndNulls() {
        for value in [#""x""#, "null", "true", "false", "{}", "[]", "1"] {
            same(#"{"v": \#(value)}"#, Box<Int>.self); same(#"{"v": \#(value)}"#, Box<String>.self)
            same(#"{"v": \#(value)}"#, Box<Bool>.self); same(#"{"v": \#(value)}"#, Box<Double>.self)
            same(#"{"v": \#(value)}"#, Box<[Int]>.self); same(#"{"v": \#(value)}"#, Box<[String: Int]>.self)
            same(#"{"v": \#(value)}"#, Box<Int?>.self); same(#"{"v": \#(value)}"#, Box<Box<Int>>.self)
            same(#"{"v": \#(value)}"#, Box<Int128>.self); same(#"{"v": \#(value)}"#, Box<UInt128>.self)
            same(value, Int.self); same(value, [Int].self); same(value, Int?.self)
        }
        same("{}", Box<Int>.self); same("{}", Box<Int?>.self); same("{}", Box<[Int]>.self)
    }

    // MARK: - Unkeyed containers

    /// The "lossy array" idiom: skip an element that does not decode.
    struct Lossy: Decodable, Equatable {
        var colors: [String] = []
        var skipped = 0
        struct Skip: Decodable {}
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            while !container.isAtEnd {
                if let color = try? container.decode(String.self) { colors.append(color) } else {
                    _ = try container.decode(Skip.self)
                    skipped += 1
                }
            }
        }
    }

    /// Heterogeneous elements, tried one type after another.
    enum Mixed: Decodable, Equatable {
        case int(Int), string(String), bool(Bool), list([Int]), object([String: Int]), null
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null } else if let int = try? container.decode(Int.self) { self = .int(int) }
            else if let string = try? container.decode(String.self) { self = .string(string) }
            else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
            else if let list = try? container.decode([Int].self) { self = .list(list) }
            else { self = .object(try container.decode([String: Int].self)) }
        }
    }

    /// Every `UnkeyedDecodingContainer` method, with its effect on `currentIndex`.
    struct UnkeyedProbe: Decodable, CustomDebugStringConvertible {
        var log: [String] = []
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            log.append("count \(String(describing: c.count)) at \(c.currentIndex) end \(c.isAtEnd)")
            func attempt(_ name: String, _ body: (inout any UnkeyedDecodingContainer) throws -> String) {
                do { log.append("\(name) \(try body(&c)) -> \(c.currentIndex)") }
                catch { log.append("\(name) threw \(DecoderDifferentialTests.probeLine(error)) -> \(c.currentIndex)") }
            }
            attempt("nil") { "\(try $0.decodeNil())" }
            attempt("int") { "\(try $0.decode(Int.self))" }
            attempt("string") { try $0.decode(String.self) }
            attempt("nil") { "\(try $0.decodeNil())" }
            attempt("keyed") { _ = try $0.nestedContainer(keyedBy: AnyKey.self); return "keyed" }
            attempt("unkeyed") { var n = try $0.nestedUnkeyedContainer(); return "unkeyed \(String(describing: n.count)) \(try n.decode(Int.self))" }
            attempt("super") { let s = try $0.superDecoder(); return "super \(s.codingPath.map(\.stringValue))" }
            attempt("int?") { "\(String(describing: try $0.decodeIfPresent(Int.self)))" }
            attempt("double") { "\(try $0.decode(Double.self))" }
            while !c.isAtEnd { attempt("skip") { _ = try $0.decode(AnyValue.self); return "skip" } }
            attempt("nil at end") { "\(try $0.decodeNil())" }
            attempt("int at end") { "\(try $0.decode(Int.self))" }
            attempt("int? at end") { "\(String(describing: try $0.decodeIfPresent(Int.self)))" }
            attempt("keyed at end") { _ = try $0.nestedContainer(keyedBy: AnyKey.self); return "keyed" }
        }
        var debugDescription: String { log.joined(separator: "\n") }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
    }

    /// Any JSON value, skipped.
    struct AnyValue: Decodable {
        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                while !array.isAtEnd { _ = try array.decode(AnyValue.self) }
            } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
                for key in object.allKeys { _ = try object.decode(AnyValue.self, forKey: key) }
            }
        }
    }

    /// JSONDecoder reads 512 levels and rejects 513; so does this decoder.
    func testDepthLimit() {
        for depth in [511, 512, 513] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            let theirs = (try? JSONDecoder().decode(DecoderDifferentialTests.AnyValue.self, from: Data(arrays.utf8))) != nil
            let ours = (try? JSONTokenDecoder().decode(AnyValue.self, from: Array(arrays.utf8))) != nil
            XCTAssertEqual(theirs, ours, "arrays \(depth) deep")
            let theirObjects = (try? JSONDecoder().decode(AnyValue.self, from: Data(objects.utf8))) != nil
            let ourObjects = (try? JSONTokenDecoder().decode(AnyValue.self, from: Array(objects.utf8))) != nil
            XCTAssertEqual(theirObjects, ourObjects, "objects \(depth) deep")
        }
    }

    func testUnkeyedContainers() {
        same(#"["red", 1, "blue", {"x": 1}, "green", null, [2]]"#, Lossy.self)
        same(#"[1, "a", true, [1, 2], {"k": 3}, null, 2.5]"#, [Mixed].self)
        for json in [#"[null, 1, "s", null, {"a": 1}, [7], 2, 3, 4.5]"#, #"["x", null, 1]"#, #"[]"#, #"[{}, [], 1]"#,
                     #"[1.5, "s", null, null, {"a": [1]}, [[1]], 2]"#, #"[null]"#] {
            same(json, UnkeyedProbe.self)
        }
    }

    // MARK: - Keyed containers

    /// Every `KeyedDecodingContainer` method on present, null, missing and mistyped keys.
    struct KeyedProbe: Decodable, CustomDebugStringConvertible {
        var log: [String] = []
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            log.append("keys \(c.allKeys.map(\.stringValue).sorted())")   // allKeys' order is unspecified
            for name in ["a", "b", "n", "missing", "o", "l", "super"] {
                let key = AnyKey(stringValue: name)
                func attempt(_ what: String, _ body: () throws -> String) {
                    do { log.append("\(name) \(what) \(try body())") }
                    catch { log.append("\(name) \(what) threw \(DecoderDifferentialTests.probeLine(error))") }
                }
                attempt("contains") { "\(c.contains(key))" }
                attempt("nil") { "\(try c.decodeNil(forKey: key))" }
                attempt("int") { "\(try c.decode(Int.self, forKey: key))" }
                attempt("int?") { "\(String(describing: try c.decodeIfPresent(Int.self, forKey: key)))" }
                attempt("string?") { "\(String(describing: try c.decodeIfPresent(String.self, forKey: key)))" }
                attempt("bool?") { "\(String(describing: try c.decodeIfPresent(Bool.self, forKey: key)))" }
                attempt("uint64?") { "\(String(describing: try c.decodeIfPresent(UInt64.self, forKey: key)))" }
                attempt("[Int]?") { "\(String(describing: try c.decodeIfPresent([Int].self, forKey: key)))" }
                attempt("keyed") { "\(try c.nestedContainer(keyedBy: AnyKey.self, forKey: key).allKeys.map(\.stringValue).sorted())" }
                attempt("unkeyed") { "\(String(describing: try c.nestedUnkeyedContainer(forKey: key).count))" }
                attempt("superDecoder(forKey:)") { "\(try c.superDecoder(forKey: key).codingPath.map(\.stringValue))" }
            }
            do { log.append("superDecoder \(try c.superDecoder().codingPath.map(\.stringValue))") }
            catch { log.append("superDecoder threw \(DecoderDifferentialTests.probeLine(error))") }
        }
        var debugDescription: String { log.joined(separator: "\n") }
    }

    func testKeyedContainers() {
        for json in [#"{"a": 1, "b": "x", "n": null, "o": {"p": 1}, "l": [1, 2], "super": {"s": 1}}"#,
                     #"{"a": 1, "a": 2, "b": true}"#, #"{}"#, #"{"l": {"x": 1}, "o": [1], "a": 1.0, "b": 18446744073709551615}"#] {
            same(json, KeyedProbe.self)
        }
    }

    /// Repeated keys: the member JSONDecoder keeps, and `allKeys` as it lists them.
    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Double)
    }

    func testRepeatedKeys() {
        same(#"{"v": 1, "v": 2}"#, Box<Int>.self)
        same(#"{"v": 1, "v": "x"}"#, Box<Int>.self)
        same(#"{"v": "x", "v": 1}"#, Box<Int>.self)
        same(#"{"a": 1, "b": 2, "a": 3}"#, [String: Int].self)
        same(#"{"circle": {"radius": 1}, "circle": {"radius": 2}}"#, Shape.self)
        same(#"{"circle": {"radius": 1}}"#, Shape.self)
        same(#"{"circle": {"radius": 1}, "square": {"side": 2}}"#, Shape.self)
        same(#"{"1": 1, "2": 2, "1": 3}"#, [Int: Int].self)
    }

    /// Keys compared as Swift strings compare: canonically equivalent spellings match.
    func testKeysCompareAsStrings() {
        struct Cafe: Decodable, Equatable {
            var café: Int
        }
        let precomposed = "caf\u{E9}", decomposed = "cafe\u{301}"
        for key in [precomposed, decomposed, "caf\\u00e9", "cafe\\u0301", "caf\\u00E9"] {
            same(#"{"\#(key)": 1}"#, Cafe.self)
            same(#"{"\#(key)": 1}"#, [String: Int].self)
        }
        same(#"{"\u0061": 1, "a": 2}"#, [String: Int].self)
        // A name that is not ASCII can equal an ASCII key: U+212A KELVIN SIGN is canonically "K".
        struct Kelvin: Decodable, Equatable {
            var value: Int
            enum CodingKeys: String, CodingKey { case value = "\u{212A}" }
        }
        same(#"{"K": 1}"#, Kelvin.self)
        same(#"{"x": 0, "\u212A": 1}"#, Kelvin.self)
        same(#"{"k": 1}"#, Kelvin.self)
    }

    // MARK: - Types JSONDecoder treats specially

    func testSpecialTypes() {
        for value in [#""aGVsbG8=""#, #""not base64!""#, #""""#, "0", "1.5", #""https://example.com/a b""#, #""https://example.com""#,
                      "null", "1e400", #""12.5""#] {
            same(#"{"v": \#(value)}"#, Box<Data>.self); same(#"{"v": \#(value)}"#, Box<Date>.self)
            same(#"{"v": \#(value)}"#, Box<URL>.self); same(#"{"v": \#(value)}"#, Box<Decimal>.self)
            same(#"{"v": \#(value)}"#, Box<Data?>.self); same(#"{"v": \#(value)}"#, Box<URL?>.self)
        }
        same(#"{"1": "a", "2": "b"}"#, [Int: String].self)
        same(#"{"x": "a"}"#, [Int: String].self)
        same(#"[[1, 2], [3]]"#, [[UInt8]].self)
        same(#"[1, 2, 3, 2]"#, Set<Int>.self)
    }

    // MARK: - Strategies

    struct Person: Codable, Equatable {
        var firstName: String
        var lastName_: String?
        var _id: Int?
        var URLValue: String?
        var born: Date?
        var photo: Data?
        var score: Double?
    }

    func testKeyDecodingStrategies() {
        let snake: (JSONDecoder) -> Void = { $0.keyDecodingStrategy = .convertFromSnakeCase }
        for json in [#"{"first_name": "Ada", "last_name_": "L", "_id": 1}"#, #"{"first_name": "Ada", "firstName": "B"}"#,
                     #"{"firstName": "Ada"}"#, #"{"first__name": "Ada"}"#, #"{"FIRST_NAME": "Ada"}"#, #"{"first_name_": "Ada"}"#,
                     #"{"first_name": "Ada", "u_r_l_value": "x", "url_value": "y"}"#, #"{"__first_name__": "Ada"}"#, #"{}"#] {
            same(json, Person.self, configure: snake)
            same(json, [String: String].self, configure: snake)
        }
        let custom: (JSONDecoder) -> Void = { decoder in
            decoder.keyDecodingStrategy = .custom { path in
                AnyKey(stringValue: path.last!.stringValue.replacingOccurrences(of: "-", with: ""))
            }
        }
        same(#"{"first-Name": "Ada", "_-id": 2}"#, Person.self, configure: custom)
    }

    func testDateDataAndFloatStrategies() {
        let cases: [(String, (JSONDecoder) -> Void)] = [
            (#"{"firstName": "A", "born": 1700000000.5}"#, { $0.dateDecodingStrategy = .secondsSince1970 }),
            (#"{"firstName": "A", "born": 1700000000500}"#, { $0.dateDecodingStrategy = .millisecondsSince1970 }),
            (#"{"firstName": "A", "born": "2026-11-28T10:00:00Z"}"#, { $0.dateDecodingStrategy = .iso8601 }),
            (#"{"firstName": "A", "born": "2026-11-28T10:00:00+02:00"}"#, { $0.dateDecodingStrategy = .iso8601 }),
            (#"{"firstName": "A", "born": "28 Nov"}"#, { $0.dateDecodingStrategy = .iso8601 }),
            (#"{"firstName": "A", "born": "x"}"#, { $0.dateDecodingStrategy = .secondsSince1970 }),
            (#"{"firstName": "A", "born": 12}"#, { $0.dateDecodingStrategy = .custom { decoder in
                Date(timeIntervalSince1970: try decoder.singleValueContainer().decode(Double.self) * 2) } }),
            (#"{"firstName": "A", "born": 12}"#, { $0.dateDecodingStrategy = .deferredToDate }),
            (#"{"firstName": "A", "photo": [104, 105]}"#, { $0.dataDecodingStrategy = .deferredToData }),
            (#"{"firstName": "A", "photo": "aGk="}"#, { $0.dataDecodingStrategy = .base64 }),
            (#"{"firstName": "A", "photo": "hi"}"#, { $0.dataDecodingStrategy = .custom { decoder in
                Data(try decoder.singleValueContainer().decode(String.self).utf8) } }),
            (#"{"firstName": "A", "score": "+inf"}"#, { $0.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan") }),
            (#"{"firstName": "A", "score": "-inf"}"#, { $0.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan") }),
            (#"{"firstName": "A", "score": "inf"}"#, { $0.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan") }),
            (#"{"firstName": "A", "score": "+inf"}"#, { _ in }),
        ]
        for (json, configure) in cases {
            same(json, Person.self, configure: configure)
        }
        // NaN is not equal to itself: compared by its description.
        compareOutcomes(#"{"v": "nan"}"#, Box<Double>.self, configure: {
            $0.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        }, file: #filePath, line: #line)
    }

    func testUserInfoAndUnsupportedOptions() throws {
        struct Reads: Decodable {
            var seen: String
            init(from decoder: any Decoder) throws { seen = "\(decoder.userInfo[CodingUserInfoKey(rawValue: "k")!] ?? "none")" }
        }
        let foundation = JSONDecoder()
        foundation.userInfo[CodingUserInfoKey(rawValue: "k")!] = "v"
        XCTAssertEqual(try JSONTokenDecoder(foundation).decode(Reads.self, from: Array("{}".utf8)).seen, "v")
        foundation.allowsJSON5 = true
        XCTAssertThrowsError(try JSONTokenDecoder(foundation)) { error in
            XCTAssertEqual("\(error)", "JSONTokenDecoder does not support JSONDecoder.allowsJSON5 (strict JSON only)")
        }
    }
}
