import Foundation
import IncrementalJSON
import TestSupport
import XCTest

/// `JSONObject`: members in written order, each key once, equal in any order, copy on write, and
/// the same answers below and above the size where it starts keeping an index of its keys.
final class JSONObjectTests: XCTestCase {
    func testMembersKeepTheirWrittenOrder() throws {
        let value = try JSONValue(parsing: #"{"z": 1, "a": 2, "m": {"y": true, "b": false}}"#)
        let object = try XCTUnwrap(value.objectValue)
        XCTAssertEqual(object.keys, ["z", "a", "m"])
        XCTAssertEqual(object["m"]?.objectValue?.keys, ["y", "b"])
        XCTAssertEqual(value.serialized(), #"{"z":1,"a":2,"m":{"y":true,"b":false}}"#)
        XCTAssertEqual(object.map(\.key), ["z", "a", "m"])
        XCTAssertEqual(object.values.count, 3)
    }

    /// A repeated key keeps its first place and takes the last value, in a parsed document, in
    /// a literal and through the subscript, at every size.
    func testARepeatedKeyKeepsItsPlaceAndTakesTheLastValue() throws {
        for count in [1, 2, 15, 16, 17, 40] {
            let keys = (0..<count).map { "k\($0)" }
            let members = keys.enumerated().map { "\"\($1)\": \($0)" }
            let text = "{" + (members + ["\"k0\": \"last\""]).joined(separator: ", ") + "}"
            let object = try XCTUnwrap(JSONValue(parsing: text).objectValue, text)
            XCTAssertEqual(object.keys, keys, text)
            XCTAssertEqual(object["k0"], .string("last"), text)
            XCTAssertEqual(object[keys[count - 1]]?.numberValue?.int, count == 1 ? nil : count - 1, text)
            XCTAssertNil(object["absent"])
        }
        let literal: JSONObject = ["a": .null, "b": .bool(true), "a": .string("again")]
        XCTAssertEqual(literal.keys, ["a", "b"])
        XCTAssertEqual(literal["a"], .string("again"))
    }

    /// Setting, replacing and removing members, checked against a model (an array of pairs) at
    /// sizes on both sides of the index threshold.
    func testMutationsMatchAModel() {
        var generator = SeededGenerator(testSeedFor: "JSONObject mutations")
        for _ in 0..<200 {
            var object = JSONObject()
            var model: [(key: String, value: JSONValue)] = []
            let keySpace = Int.random(in: 1...60, using: &generator)
            for step in 0..<Int.random(in: 1...120, using: &generator) {
                let key = "key\(Int.random(in: 0..<keySpace, using: &generator))"
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    object[key] = nil
                    model.removeAll { $0.key == key }
                } else {
                    let value = JSONValue.number(JSONNumber(String(step))!)
                    object[key] = value
                    if let position = model.firstIndex(where: { $0.key == key }) { model[position].value = value } else { model.append((key, value)) }
                }
                XCTAssertEqual(object.count, model.count)
            }
            XCTAssertEqual(object.keys, model.map(\.key))
            XCTAssertEqual(object.values, model.map(\.value))
            for member in model { XCTAssertEqual(object[member.key], member.value) }
            XCTAssertNil(object["key\(keySpace)"])
        }
    }

    func testEqualityAndHashingIgnoreOrder() throws {
        let forward = try JSONValue(parsing: #"{"a": 1, "b": [true, {"c": null, "d": "x"}]}"#)
        let backward = try JSONValue(parsing: #"{"b": [true, {"d": "x", "c": null}], "a": 1}"#)
        XCTAssertEqual(forward, backward)
        XCTAssertEqual(forward.hashValue, backward.hashValue)
        XCTAssertEqual(forward.objectValue, backward.objectValue)
        XCTAssertEqual(Set([forward, backward]).count, 1)
        XCTAssertNotEqual(forward, try JSONValue(parsing: #"{"a": 1, "b": [true, {"c": null, "d": "y"}]}"#))
        XCTAssertNotEqual(forward, try JSONValue(parsing: #"{"a": 1, "e": [true, {"c": null, "d": "x"}]}"#))
        XCTAssertNotEqual(forward, try JSONValue(parsing: #"{"a": 1}"#))

        let many = (0..<40).map { (key: "k\($0)", value: JSONValue.bool($0.isMultiple(of: 2))) }
        XCTAssertEqual(JSONObject(many), JSONObject(many.reversed()))
        XCTAssertEqual(JSONObject(many).hashValue, JSONObject(many.reversed()).hashValue)
        XCTAssertNotEqual(JSONObject(many), JSONObject(many.dropLast()))
    }

    func testCopiesAreIndependent() {
        var original: JSONObject = ["a": .null]
        for index in 0..<30 { original["k\(index)"] = .bool(true) }
        var copy = original
        copy["a"] = .string("changed")
        copy["new"] = .null
        copy["k3"] = nil
        XCTAssertEqual(original["a"], .null)
        XCTAssertNil(original["new"])
        XCTAssertEqual(original["k3"], .bool(true))
        XCTAssertEqual(original.count, 31)
        XCTAssertEqual(copy.count, 31)
        original["b"] = .null
        XCTAssertNil(copy["b"])
    }

    func testCodableKeepsTheMembers() throws {
        let value = try JSONValue(parsing: #"{"z": [1, 2.5, "s", null, true], "a": {}, "m": {"n": -1}}"#)
        let data = try JSONEncoder().encode(value)
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: data), value)
        XCTAssertEqual(value.objectValue?.description, value.serialized())
    }
}

/// `JSONPartialValue`'s open path, given or followed through the last members, and its
/// completion states.
final class PartialValuePathTests: XCTestCase {
    func testAGivenPathIsKeptAsGiven() throws {
        let value = try JSONValue(parsing: #"{"a": [1, {"b": "x"}], "c": true}"#)
        let partial = JSONPartialValue(value: value, openPath: [.key("a"), .index(1), .key("b")])
        XCTAssertEqual(partial.openPath, [.key("a"), .index(1), .key("b")])
        XCTAssertEqual(partial.completion(at: [.key("a")]), .inProgress)
        XCTAssertEqual(partial.completion(at: [.key("a"), .index(0)]), .complete)
        XCTAssertEqual(partial.completion(at: [.key("c")]), .complete)
        XCTAssertEqual(partial.completion(at: [.key("d")]), .pending)
        XCTAssertEqual(partial.completion(at: []), .inProgress)
    }

    /// A partial value from a matcher holds only its depth; its path, completion states, equality
    /// and hash are those of the same value with the path spelled out.
    func testAPathFollowedThroughTheLastMembers() throws {
        let matcher = JSONMatcher(patterns: [try JSONPathPattern("$.day")], buildsPartialValues: true)
        matcher.push(#"{"day": {"a": 1, "list": [true, {"k": "te"#)
        while try matcher.nextMatch() != nil {}
        let partial = try XCTUnwrap(matcher.outermostPartialValue())
        let spelledOut = JSONPartialValue(value: partial.value, openPath: [.key("list"), .index(1), .key("k")])
        XCTAssertEqual(partial.openPath, spelledOut.openPath)
        XCTAssertEqual(partial, spelledOut)
        XCTAssertEqual(partial.hashValue, spelledOut.hashValue)
        for path: JSONPath in [[], [.key("a")], [.key("list")], [.key("list"), .index(0)], [.key("list"), .index(1)],
                               [.key("list"), .index(1), .key("k")], [.key("list"), .index(2)], [.key("zz")]] {
            XCTAssertEqual(partial.completion(at: path), spelledOut.completion(at: path), "\(path)")
        }
        // A caller that changes the value keeps the path it had.
        var changed = partial
        changed.value = .object(["other": .null])
        XCTAssertEqual(changed.openPath, [.key("list"), .index(1), .key("k")])
    }
}
