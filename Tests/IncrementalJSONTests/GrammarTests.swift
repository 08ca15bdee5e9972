import XCTest
@testable import IncrementalJSON

/// Strict RFC 8259: what the grammar accepts, and nothing else.
final class GrammarTests: XCTestCase {
    func testAcceptsEveryValueKind() {
        let accepted = [
            "{}", "[]", "0", "-0", "1", "-1", "0.5", "-0.5e-3", "1E10", "1e+2", "123456789012345678901234567890",
            "true", "false", "null", "\"\"", "\"a\"", " \t\r\n{ } \n",
            #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
            #"[[[[]]], {}, [{}], "x", -1.25e+10]"#,
            #""\"\\\/\b\f\n\r\t\u0041\u00e9\u4e2d\ud83d\ude00""#,
            "\"caf\u{E9} \u{4E2D}\u{6587} \u{1F600}\"",
            "\"\u{7F}\"",                                      // DEL needs no escape
            #"{"":0, "a b":1, "a\"b":2}"#,
            #"{"a":1,"a":2}"#,                                 // duplicate keys are grammatical
        ]
        for text in accepted {
            let result = events(Array(text.utf8))
            XCTAssertNil(result.error, "rejected: \(text) — \(String(describing: result.error))")
        }
    }

    func testRejectsWhatTheGrammarDoesNot() {
        let rejected: [(String, String)] = [
            ("", "empty"), ("   ", "whitespace only"), ("{", "unclosed object"), ("[1,", "unclosed array"),
            ("[1 2]", "missing comma"), (#"{"a" 1}"#, "missing colon"), (#"{"a":}"#, "missing value"),
            ("{1:2}", "non-string key"), ("{'a':1}", "single quotes"), ("['a']", "single-quoted string"),
            ("[1,]", "trailing comma"), (#"{"a":1,}"#, "trailing comma in object"), ("[,1]", "leading comma"),
            ("01", "leading zero"), ("-01", "negative leading zero"), ("00", "double zero"), ("1.", "bare dot"),
            (".5", "no integer part"), ("+1", "plus sign"), ("1e", "empty exponent"), ("1e+", "signed empty exponent"),
            ("-", "lone minus"), ("- 1", "space after minus"), ("NaN", "NaN"), ("Infinity", "Infinity"),
            ("-Infinity", "negative infinity"), ("0x10", "hex"), ("tru", "cut literal"), ("True", "capital literal"),
            ("nul", "cut null"), ("nulll", "long null"), ("[1] [2]", "two values"), ("{}}", "extra brace"),
            ("[1]]", "extra bracket"), ("[1}", "mismatched close"), (#"{"a":1]"#, "mismatched close in object"),
            ("/* c */ 1", "block comment"), ("[1] // c", "line comment"), ("\"a", "unclosed string"),
            ("\"\t\"", "raw tab in string"), ("\"\n\"", "raw newline in string"), ("\"\u{0}\"", "raw NUL"),
            (#""\x41""#, "\\x escape"), (#""\u12""#, "short \\u"), (#""\u12G4""#, "bad hex"),
            (#""\ud800""#, "lone high surrogate"), (#""\udc00""#, "lone low surrogate"),
            (#""\ud800\u0041""#, "high surrogate then BMP"), (#""\ud800\n""#, "high surrogate then escape"),
            (#""\ud800x""#, "high surrogate then text"), (#""\ud800\ud800""#, "two high surrogates"),
            ("\u{FEFF}{}", "byte order mark"), ("[\"a\"\u{A0}]", "no-break space as whitespace"),
        ]
        for (text, why) in rejected {
            XCTAssertNotNil(events(Array(text.utf8)).error, "accepted \(why): \(text)")
        }
    }

    func testRejectsMalformedUTF8() {
        let sequences: [([UInt8], String)] = [
            ([0x80], "lone continuation"), ([0xC0, 0xAF], "overlong 2-byte"), ([0xC1, 0xBF], "overlong C1"),
            ([0xE0, 0x80, 0xAF], "overlong 3-byte"), ([0xED, 0xA0, 0x80], "encoded surrogate"),
            ([0xF0, 0x80, 0x80, 0xAF], "overlong 4-byte"), ([0xF4, 0x90, 0x80, 0x80], "above U+10FFFF"),
            ([0xF5, 0x80, 0x80, 0x80], "F5 lead"), ([0xFF], "FF"), ([0xC3], "cut 2-byte"),
            ([0xE2, 0x82], "cut 3-byte"), ([0xC3, 0x41], "ASCII after lead"), ([0xE2, 0x28, 0xA1], "bad middle"),
        ]
        for (sequence, why) in sequences {
            let document = [ASCII.quote] + sequence + [ASCII.quote]
            let error = events(document).error
            XCTAssertEqual(error?.reason, .invalidUTF8, why)
            XCTAssertEqual(error?.offset, 1, "\(why): an invalid sequence is reported at its first byte")
        }
        // Outside strings, any non-ASCII byte is simply unexpected.
        XCTAssertEqual(events([0xC3, 0xA9]).error?.offset, 0)
    }

    func testAcceptsEveryUTF8Boundary() {
        let scalars: [Unicode.Scalar] = ["\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{FFFD}",
                                         "\u{FFFF}", "\u{10000}", "\u{10FFFF}"]
        for scalar in scalars {
            let text = "[\"\(scalar)\"]"
            XCTAssertEqual(try JSONValue(parsing: text), .array([.string(String(scalar))]), "U+\(scalar.value)")
        }
    }

    func testDecodesEscapes() throws {
        let value = try JSONValue(parsing: #"["\"\\\/\b\f\n\r\t", "\u0041\u00E9\u4e2d", "\ud83d\ude00!", "\u0000"]"#)
        XCTAssertEqual(value, .array([.string("\"\\/\u{8}\u{C}\n\r\t"), .string("Aé中"), .string("😀!"), .string("\u{0}")]))
    }

    func testMatchesJSONSerializationOnFixtures() throws {
        for name in strictFixtures {
            let bytes = try fixture(name)
            let ours = try JSONValue(parsing: bytes)
            let theirs = try JSONSerialization.jsonObject(with: Data(bytes))
            let roundTripped = try JSONSerialization.jsonObject(with: Data(ours.serialized().utf8))
            XCTAssertEqual(roundTripped as? NSDictionary, theirs as? NSDictionary, name)
        }
    }

    func testDepthLimit() {
        var options = JSONParserOptions()
        options.maximumDepth = 3
        XCTAssertNil(events(Array("[[[1]]]".utf8), options: options).error)
        let error = events(Array("[[[[1]]]]".utf8), options: options).error
        XCTAssertEqual(error?.reason, .depthLimitExceeded(limit: 3))
        XCTAssertEqual(error?.offset, 3)
    }

    func testHundredThousandOpenBracketsIsAnErrorNotACrash() {
        let deep = [UInt8](repeating: ASCII.openBracket, count: 100_000)
        XCTAssertEqual(trace(deep, splitAt: []).error?.reason, .depthLimitExceeded(limit: 512))
        var options = JSONParserOptions()
        options.maximumDepth = .max
        let nested = deep + [UInt8](repeating: ASCII.closeBracket, count: 100_000)
        let result = trace(nested, splitAt: [50_000, 150_000], options: options)
        XCTAssertNil(result.error, "iterative: no stack overflow at depth 100000")
        XCTAssertEqual(result.tokens.count, 200_000)
        // A tree stops at JSONValue.maximumDepth whatever the options say: Swift releases,
        // compares and hashes nested enums recursively.
        XCTAssertThrowsError(try JSONValue(parsing: nested, options: options)) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, .depthLimitExceeded(limit: JSONValue.maximumDepth))
            XCTAssertEqual((error as? JSONParseError)?.offset, JSONValue.maximumDepth)
        }
        let matcher = JSONMatcher(patterns: ["$"], options: options)
        matcher.push(nested)
        XCTAssertThrowsError(try { while try matcher.nextMatch() != nil {} }(), "a matcher's captures are trees")
    }

    /// Equality and hashing (iterative, no longer synthesized): objects in any member order are
    /// equal and hash alike; any other difference makes them unequal.
    func testTreeEqualityAndHashing() throws {
        let a = try JSONValue(parsing: #"{"x": [1, {"y": null, "z": "é"}], "w": true}"#)
        let b = try JSONValue(parsing: #"{"w": true, "x": [1, {"z": "e\u0301", "y": null}]}"#)
        XCTAssertEqual(a, b, "member order and canonically equivalent strings")
        XCTAssertEqual(a.hashValue, b.hashValue)
        for other in [#"{"x": [1, {"y": null, "z": "é"}], "w": false}"#, #"{"x": [1, {"y": null}], "w": true}"#,
                      #"{"x": [{"y": null, "z": "é"}, 1], "w": true}"#, #"{"x": [1, {"y": 0, "z": "é"}], "w": true}"#,
                      #"{"x": [1, {"y": null, "z": "é"}], "v": true}"#, #"[1]"#, "1", #""1""#] {
            XCTAssertNotEqual(a, try JSONValue(parsing: other), other)
        }
        XCTAssertEqual(Set([a, b, .array([]), .object([:]), .null, .array([.null])]).count, 5)
    }

    /// The deepest tree the package builds is built, printed, compared, hashed and released on a
    /// thread with the smallest common stack (512 KB, a dispatch worker's on Apple platforms).
    func testTheDeepestTreeIsSafeOnASmallStack() {
        let depth = JSONValue.maximumDepth
        let text = [UInt8](repeating: ASCII.openBracket, count: depth) + [UInt8](repeating: ASCII.closeBracket, count: depth)
        let finished = expectation(description: "the thread finished")
        let thread = Thread {
            var options = JSONParserOptions()
            options.maximumDepth = .max
            var value = try? JSONValue(parsing: text, options: options)
            XCTAssertEqual(value?.serialized().utf8.count, 2 * depth)
            XCTAssertEqual(value, value.map { $0 })
            XCTAssertEqual(Set([value]).count, 1)
            value = nil
            finished.fulfill()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        wait(for: [finished], timeout: 60)
    }

    func testStringAndTotalLimits() {
        var options = JSONParserOptions()
        options.maximumStringLength = 5
        XCTAssertNil(events(Array(#"["12345"]"#.utf8), options: options).error)
        XCTAssertEqual(events(Array(#"["123456"]"#.utf8), options: options).error?.reason, .stringTooLong(limit: 5))
        XCTAssertEqual(events(Array(#"{"123456":1}"#.utf8), options: options).error?.reason, .stringTooLong(limit: 5))
        // Also while the string is still open, so memory stays bounded.
        let open = Array(("[\"" + String(repeating: "x", count: 100)).utf8)
        let parser = JSONParser(options: options)
        XCTAssertThrowsError(try parser.feed(open)) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, .stringTooLong(limit: 5))
        }
        // A number is held whole too: the same limit, and the same error for every split (it was
        // checked only when a chunk ended inside the number).
        for text in ["[1234567]", "[-12.5e1]", "1234567"] {
            let bytes = Array(text.utf8)
            let whole = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte], text) { cuts in
                trace(bytes, splitAt: cuts, options: options)
            }
            XCTAssertEqual(whole.error?.reason, .stringTooLong(limit: 5), text)
            XCTAssertEqual(whole.error?.offset, text.hasPrefix("[") ? 6 : 5, text)
        }
        XCTAssertNil(events(Array("[12345, -1234]".utf8), options: options).error)

        options = JSONParserOptions()
        options.maximumTotalBytes = 10
        XCTAssertNil(events(Array("[1,2,3,4]".utf8), options: options).error)
        let tooLarge = events(Array("[1,2,3,4,5]".utf8), chunkSize: 3, options: options)
        XCTAssertEqual(tooLarge.error?.reason, .inputTooLarge(limit: 10))
        XCTAssertEqual(tooLarge.error?.offset, 10)
        XCTAssertEqual(tooLarge.events.count, 5, "events before the limit are delivered")
    }

    func testFailedParserStaysFailed() throws {
        let parser = JSONParser()
        _ = try parser.feed("[1, 2")
        XCTAssertThrowsError(try parser.feed("x"))
        XCTAssertThrowsError(try parser.feed("]")) { error in
            XCTAssertEqual((error as? JSONParseError)?.offset, 5, "the first error, again")
        }
        XCTAssertThrowsError(try parser.finish())
    }
}
