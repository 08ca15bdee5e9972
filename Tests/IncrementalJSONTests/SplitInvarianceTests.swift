import XCTest
import TestSupport
@testable import IncrementalJSON

/// The core invariant: the same tokens, offsets, raw text and errors for every split of the input.
final class SplitInvarianceTests: XCTestCase {
    /// Every 2-way split of the small fixtures, and byte-at-a-time.
    func testEverySplitPointOfSmallFixtures() throws {
        for (name, options) in [("plan-7d.min.json", JSONParserOptions.strict), ("plan-7d.fenced.txt", .llm)] {
            let bytes = try fixture(name)
            let whole = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte], name) { cuts in
                trace(bytes, splitAt: cuts, options: options)
            }
            XCTAssertNil(whole.error, name)
            XCTAssertGreaterThan(whole.tokens.count, 500)
        }
    }

    /// Many random multi-way splits of every fixture, and byte-at-a-time for each.
    func testRandomSplitsOfEveryFixture() throws {
        for (name, options) in strictFixtures.map({ ($0, JSONParserOptions.strict) }) + wrappedFixtures.map({ ($0, .llm) }) {
            let bytes = try fixture(name)
            let rounds = bytes.count > 200_000 ? 3 : 12
            let whole = SplitVerifier.verify(bytes, [.random(count: rounds, maximumChunk: 600), .random(count: 2, maximumChunk: 7), .byteByByte], name) { cuts in
                trace(bytes, splitAt: cuts, options: options)
            }
            XCTAssertNil(whole.error, name)
        }
    }

    /// Decoded events with paths are the same at every chunk size.
    func testEventsAndPathsAtEveryChunkSize() throws {
        let bytes = try fixture("plan-7d.json")
        let whole = SplitVerifier.verify(bytes, [1, 2, 3, 5, 7, 16, 64, 100, 4096].map { .size($0) }) { cuts in
            events(chunks(of: bytes, at: cuts))
        }
        XCTAssertNil(whole.error)
        XCTAssertGreaterThan(whole.events.count, 500)
    }

    /// Past the end of the buffer lie its padding and bytes of an earlier chunk (after everything
    /// was scanned, the buffer starts over), which a word read near the end takes in: the
    /// indentation skip does. Here those bytes look like what is being scanned — spaces after
    /// indentation, a closing quote after a key or string run — and must never be taken for input.
    func testBytesLeftPastTheEndOfTheBufferAreNeverInput() {
        let spaces = String(repeating: " ", count: 28)
        let spacesThenQuotes = "    " + String(repeating: #"\""#, count: 6)   // escaped quotes
        let chunkLists: [[String]] = [
            // A string cut just after it begins, then indentation cut inside its first word.
            ["[\"" + spacesThenQuotes + "\",", "\"ab", "cd\",", "\n          ", "   \"x\"]"],
            // A key cut just after it begins: a quote left behind must not close it.
            ["{\"" + spacesThenQuotes + "\":1,", "\"k", "ey\":\"v", "alue\"}"],
            ["{\"abc\":1,", "\"k", "ey\":2}"],
            ["[\"abc\",", "\"ab", "cd\"]"],
            // Indentation longer than a word, its end cut: spaces left behind must not extend it.
            ["[1," + spaces + "2,", "\n          ", "3]"],
        ]
        for chunks in chunkLists {
            let bytes = Array(chunks.joined().utf8)
            let cuts = chunks.dropLast().reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.utf8.count) }
            let whole = trace(bytes, splitAt: [])
            XCTAssertNil(whole.error, chunks.joined())
            XCTAssertEqual(trace(bytes, splitAt: cuts), whole, chunks.joined())
        }
    }

    /// Splits inside every kind of token, including inside UTF-8 sequences, escapes and surrogate pairs.
    func testSplitsInsideEveryTokenKind() {
        let documents = [
            #"{"emoji":"\ud83d\ude00","t":true,"f":false,"n":null,"num":-12.5e+3,"s":"caf\u00e9 中文 😀"}"#,
            "[0,-0.0e-0,1E+2,123456789,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
            "  [ 1 ,\r\n 2 ] \n",
            "12345", "-0.5", "\"\u{1F600}\"", "true",
        ]
        for text in documents {
            let bytes = Array(text.utf8)
            let whole = SplitVerifier.verify(bytes, [.everyThreeWaySplit], text) { cuts in trace(bytes, splitAt: cuts) }
            XCTAssertNil(whole.error, text)
        }
    }

    /// The vector and scalar scans of string runs give the same tokens, raw text and errors, for
    /// every split: a byte that needs attention (the closing quote, an escape, a control character,
    /// UTF-8 valid or not) at every position of strings around the 8- and 16-byte steps. Whole
    /// sequences in one buffer take the tight UTF-8 loop, sequences split byte by byte the state
    /// machine: the same verdict at the same offset.
    func testVectorAndScalarPathsAgreeAtEverySplit() {
        // Escapes, controls, and UTF-8: valid (one sequence, a run of them, one after ASCII), and
        // invalid at each rule of table 3-7 (overlong, surrogate, above U+10FFFF, a stray or a
        // missing continuation byte).
        let specials: [[UInt8]] = [[0x22], [0x5C, 0x6E], [0x5C, 0x75, 0x30, 0x30, 0x34, 0x31], [0x0A], [0x1F], [0x7F],
                                   [0xC3, 0xA9], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBF, 0xBF],
                                   [0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87, 0x20, 0xC3, 0xA9, 0xF4, 0x8F, 0xBF, 0xBF, 0x61, 0xCE, 0xB1],
                                   [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80],
                                   [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
                                   [0x80], [0xBF], [0xE4, 0xB8, 0x41], [0xE4, 0x41], [0xF0, 0x9F, 0x98, 0x41], [0xC3, 0xA9, 0xC3],
                                   // Two three-byte sequences read as a pair, the second one valid or not.
                                   [0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87], [0xE4, 0xB8, 0xAD, 0xED, 0xA0, 0x80], [0xE4, 0xB8, 0xAD, 0xED, 0x9F, 0xBF],
                                   [0xE4, 0xB8, 0xAD, 0xE0, 0x9F, 0xBF], [0xE4, 0xB8, 0xAD, 0xE0, 0xA0, 0x80], [0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x41],
                                   [0xE4, 0xB8, 0xAD, 0xE6, 0x41, 0x87], [0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80], [0xE4, 0xB8, 0xAD, 0xC3, 0xA9],
                                   [0xC3, 0xA9, 0xC3, 0x41], [0xC2, 0x80, 0xDF, 0xBF], [0xC3, 0xA9, 0xE4, 0xB8, 0xAD]]
        var documents: [[UInt8]] = []
        for length in [7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40] {
            for special in specials {
                for position in Swift.stride(from: 0, through: length, by: length > 20 ? 3 : 1) {
                    var text = Array(repeating: UInt8(ascii: "a"), count: length)
                    text.insert(contentsOf: special, at: position)
                    documents.append(Array(#"{"key \#(length)": ""#.utf8) + text + Array(#"", "n": 1}"#.utf8))
                }
            }
        }
        for bytes in documents {
            let label = String(decoding: bytes, as: UTF8.self)
            let vector = SplitVerifier.verify(bytes, [.everyTwoWaySplit], label) { cuts in trace(bytes, splitAt: cuts) }
            let scalar = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte], label) { cuts in trace(bytes, splitAt: cuts, vectors: false) }
            XCTAssertEqual(vector, scalar, label)
        }
        for name in strictFixtures where !name.contains("365") {
            let bytes = (try? fixture(name)) ?? []
            XCTAssertEqual(trace(bytes, splitAt: [], vectors: false), trace(bytes, splitAt: []), name)
            let cuts = Array(Swift.stride(from: 7, to: bytes.count, by: 61))
            XCTAssertEqual(trace(bytes, splitAt: cuts, vectors: false), trace(bytes, splitAt: cuts), name)
        }
    }

    /// Non-Latin text goes sixteen bytes at a time (``JSONParser/endOfValidTextInBlocks(_:from:to:)``)
    /// when the buffer holds that many: the same tokens, raw text and errors as the scalar scan, and
    /// the verdict of Swift's own UTF-8 validation, for every byte that needs attention — valid or
    /// invalid UTF-8 by each rule of table 3-7, a quote, an escape, a control character — at every
    /// position of a block and across block boundaries, in text of three-byte sequences (CJK,
    /// Hangul), two-byte ones, and mixed.
    func testTextBlocksAgreeWithTheScalarScanAndUTF8Validation() {
        let specials: [[UInt8]] = [[], [0x22], [0x5C, 0x6E], [0x0A], [0x7F], [0x20], [0xC2, 0x80], [0xDF, 0xBF],
                                   [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
                                   [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
                                   [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
                                   [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xBF], [0xC3],
                                   [0xE4, 0xB8], [0xE4, 0x41], [0xE4, 0xB8, 0x41], [0xE4, 0xB8, 0xAD, 0xAD], [0xC3, 0xA9, 0xA9],
                                   [0xC3, 0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x98], [0xF0, 0x9F, 0x98, 0x80, 0x80]]
        // CJK; Hangul, whose syllables from U+D000 have the lead ED (second byte 80–9F only);
        // mixed scripts with spaces; two-byte Latin.
        let fillers: [[UInt8]] = [Array("中文字の計画".utf8), Array("한국어 건강 휴식".utf8), Array("é中文 aΩ語, 字".utf8),
                                  Array("ÀÉÎÕÜ".utf8)]
        for filler in fillers {
            let text = Array(repeating: filler, count: 8).joined().prefix(56)
            for special in specials {
                // Every insertion point, some inside a filler sequence (a cut sequence on purpose).
                for position in 0...text.count {
                    var content = Array(text)
                    content.insert(contentsOf: special, at: position)
                    let bytes = Array(#"{"k": ["#.utf8) + [0x22] + content + Array(#"", 1]}"#.utf8)
                    let label = "\(filler.count)-byte filler, \(special) at \(position)"
                    let vector = trace(bytes, splitAt: [])
                    XCTAssertEqual(vector, trace(bytes, splitAt: [], vectors: false), label)
                    XCTAssertEqual(vector, trace(bytes, splitAt: [position / 2 + 3]), label)
                    XCTAssertEqual(vector, trace(bytes, splitAt: [position + 9]), label)
                    if !content.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                        let valid = String(validating: content, as: UTF8.self) != nil
                        XCTAssertEqual(vector.error == nil, valid, label)
                    }
                }
            }
        }
    }

    /// A key whose closing quote is the first byte in a window that needs attention completes at
    /// once — eight bytes, or 24 on x86-64 with the SIMD scans — else the string scan reads it: the
    /// same tokens, raw text and errors either way, for keys of every length up to 30 with an
    /// escape, a control byte, non-ASCII, invalid UTF-8 or a stray quote at every position.
    func testShortKeysAgreeWithTheStringScan() {
        let specials: [[UInt8]] = [[], [0x5C, 0x22], [0x5C, 0x6E], Array(#"\u0041"#.utf8), [0x5C, 0x78], [0x01], [0x7F],
                                   Array("é".utf8), Array("中".utf8), [0xFF], [0xE4, 0xB8], [0x22]]
        for length in 0...30 {
            for special in specials {
                for position in 0...length {
                    var key = Array(repeating: UInt8(ascii: "k"), count: length)
                    key.insert(contentsOf: special, at: position)
                    let bytes = Array(#"{"a": 1, ""#.utf8) + key + Array(#"": [1], "z": 2}"#.utf8) + Array(repeating: 0x20, count: 30)
                    let label = "key \(key)"
                    let vector = trace(bytes, splitAt: [])
                    XCTAssertEqual(vector, trace(bytes, splitAt: [], vectors: false), label)
                    // Cut before the key's window ends: the eight-byte word, or the string scan.
                    XCTAssertEqual(vector, trace(bytes, splitAt: [10 + min(length, 12)]), label)
                }
            }
        }
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel) && !PLANSTREAM_PORTABLE_SIMD
    /// On x86-64 the string scans run ``JSONParser/sse2Masks(_:)`` and
    /// ``JSONParser/sse2AttentionMask(_:)``, elsewhere the portable lanes of
    /// ``JSONParser/attentionAndUTF8Errors(_:after:_:)`` (``JSONParser/portableFirstFlaggedByte(_:)``)
    /// and ``JSONParser/bytesNeedingAttention(_:)-(SIMD16<UInt8>)``: both flag the same bytes. Lane 0 of
    /// the blocks below sees every byte after every byte, after each kind of byte two back; the
    /// other lanes, and random blocks of UTF-8-like bytes, add more triples.
    func testSSE2BlocksFlagTheBytesThatThePortableBlocksFlag() {
        func portableMasks(_ window: [UInt8]) -> (flags: UInt32, nonASCII: UInt32) {
            window.withUnsafeBytes { raw in
                let block = raw.baseAddress! + 2
                let text = block.loadUnaligned(as: SIMD16<UInt8>.self)
                let flags = JSONParser.attentionAndUTF8Errors(
                    text, after: (block - 1).loadUnaligned(as: SIMD16<UInt8>.self), (block - 2).loadUnaligned(as: SIMD16<UInt8>.self))
                var masks: (flags: UInt32, nonASCII: UInt32) = (0, 0)
                for lane in 0..<16 {
                    if flags[lane] & 0x80 != 0 { masks.flags |= 1 << lane }
                    if text[lane] & 0x80 != 0 { masks.nonASCII |= 1 << lane }
                }
                return masks
            }
        }
        func portableAttention(_ window: [UInt8]) -> UInt32 {
            let (low, high) = window.withUnsafeBytes {
                JSONParser.bytesNeedingAttention(($0.baseAddress! + 2).loadUnaligned(as: SIMD16<UInt8>.self))
            }
            var mask: UInt32 = 0
            for lane in 0..<16 where (lane < 8 ? low >> (lane * 8) : high >> ((lane - 8) * 8)) & 0x80 != 0 {
                mask |= 1 << lane
            }
            return mask
        }
        func check(_ window: [UInt8]) {
            let sse2 = window.withUnsafeBytes { JSONParser.sse2Masks($0.baseAddress! + 2) }
            let portable = portableMasks(window)
            XCTAssertEqual(sse2.flags, portable.flags, "\(window)")
            XCTAssertEqual(sse2.nonASCII, portable.nonASCII, "\(window)")
            XCTAssertEqual(window.withUnsafeBytes { JSONParser.sse2AttentionMask($0.baseAddress! + 2) }, portableAttention(window), "\(window)")
            let (first, isASCII) = window.withUnsafeBytes { JSONParser.portableFirstFlaggedByte($0.baseAddress! + 2) }
            XCTAssertEqual(first, (sse2.flags | 0x1_0000).trailingZeroBitCount, "\(window)")
            XCTAssertEqual(isASCII, sse2.nonASCII == 0, "\(window)")
        }
        let twoBack: [UInt8] = [0x00, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xFF]
        for beforePrevious in twoBack {
            for previous in 0...255 {
                for first in Swift.stride(from: 0, to: 256, by: 16) {
                    check([beforePrevious, UInt8(previous)] + (first..<first + 16).map { UInt8($0) })
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let likely: [UInt8] = [0x20, 0x22, 0x41, 0x5C, 0x0A, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC3, 0xE0, 0xE4, 0xED, 0xF0, 0xF5]
        for _ in 0..<20_000 {
            check((0..<18).map { _ in Bool.random(using: &generator) ? likely.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator) })
        }
    }
    #endif

    /// A whole escape in one buffer is read at once — a surrogate pair together — and one cut by a
    /// chunk boundary goes byte by byte through the state machine: the same tokens, or the same
    /// error at the same offset, for every escape, valid or not, at every position around the
    /// scanner's word steps.
    func testWholeEscapesAgreeWithTheStateMachineAtEverySplit() {
        let valid = [#"\n"#, #"\""#, #"\\"#, #"\/"#, #"\b\f\r\t"#, #"\u0041"#, #"\u00e9"#, #"\uFFFF"#,
                     #"\ud83d\ude00"#, #"\uD83D\uDE00"#, #"\udbff\udfff"#, #"\ud800\udc00\u0041"#]
        let invalid = [#"\x"#, #"\u12G4"#, #"\u004""#, #"\ud800"#, #"\udc00"#, #"\ud800\u0041"#, #"\ud800\n"#,
                       #"\ud800x"#, #"\ud800\ud800"#, #"\ud800\uDBFF\udc00"#, #"\ud800\""#, #"\u""#, "\\\u{1}"]
        for (escapes, areValid) in [(valid, true), (invalid, false)] {
            for escape in escapes {
                for length in [0, 1, 6, 7, 8, 9, 15, 16, 17] {
                    let text = String(repeating: "a", count: length) + escape + "bc"
                    let bytes = Array(#"{"k": [""#.utf8) + Array(text.utf8) + Array(#"", 1]}"#.utf8)
                    let label = String(decoding: bytes, as: UTF8.self)
                    let whole = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte], label) { cuts in trace(bytes, splitAt: cuts) }
                    XCTAssertEqual(whole.error == nil, areValid, label)
                }
            }
        }
    }

    /// Malformed input: the same error, at the same offset, for every split.
    func testErrorsAreTheSameForEverySplit() throws {
        let folder = fixturesURL.appendingPathComponent("malformed")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name != "expected-offsets.json" {
            let bytes = try fixture("malformed/" + name)
            let whole = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte], name) { cuts in trace(bytes, splitAt: cuts) }
            XCTAssertNotNil(whole.error, name)
        }
    }

    /// `nextTokens(into:)` reads what `nextToken()` reads, whatever the batch and the split: the
    /// same tokens with the same text, and the same error after the same tokens.
    func testBatchesReadWhatOneTokenAtATimeReads() throws {
        let folder = fixturesURL.appendingPathComponent("malformed")
        let malformed = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0 != "expected-offsets.json" }.map { "malformed/" + $0 }
        for name in ["plan-7d.min.json", "plan-7d.fenced.txt", "plan-30d.json", "plan-90d.ja.min.json"] + malformed {
            let bytes = try fixture(name)
            let options: JSONParserOptions = name.hasSuffix(".txt") ? .llm : .strict
            let oneByOne = trace(bytes, splitAt: [], options: options)
            for batchSize in [1, 2, 3, 64, 256] {
                // Every split of the malformed inputs with one batch size; the chunk sizes a
                // model or a socket sends with every batch size.
                let chunkings: [SplitVerifier.Chunking] = (bytes.count < 2_000 && batchSize == 3 ? [.everyTwoWaySplit] : [])
                    + (bytes.count < 20_000 ? [.size(1)] : []) + [.size(5), .size(16), .size(4096), .random(count: 1, maximumChunk: 600)]
                let whole = SplitVerifier.verify(bytes, chunkings, "\(name), \(batchSize) at a time") { cuts in
                    trace(bytes, splitAt: cuts, options: options, batchSize: batchSize)
                }
                XCTAssertEqual(whole, oneByOne, name)
            }
            XCTAssertEqual(oneByOne.error != nil, name.hasPrefix("malformed/"), name)
        }
    }

    /// At invalid input a batch returns the tokens before the error; the next call throws it, and
    /// every call after that. A batch never reads past its buffer, and an empty one reads nothing.
    func testABatchEndsAtAnErrorWhichTheNextCallThrows() throws {
        let input = Array(#"[1, "two", {"three": 3}, x, 5]"#.utf8)
        let parser = JSONParser(), oneByOne = JSONParser()
        parser.push(input)
        oneByOne.push(input)
        let tokens = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: 4)
        defer { tokens.deallocate() }
        XCTAssertEqual(try parser.nextTokens(into: UnsafeMutableBufferPointer(rebasing: tokens[..<0])), 0)
        XCTAssertEqual(try parser.nextTokens(into: tokens), 4)
        XCTAssertEqual(tokens.map(\.kind), [.arrayStart, .number, .string, .objectStart])
        XCTAssertEqual(parser.string(of: tokens[2]), "two")
        for _ in 0..<4 { _ = try oneByOne.nextToken() }
        XCTAssertEqual(parser.currentPath, oneByOne.currentPath)   // the state after the last token read
        XCTAssertEqual(parser.depth, oneByOne.depth)
        XCTAssertEqual(try parser.nextTokens(into: tokens), 3)
        XCTAssertEqual(tokens[..<3].map(\.kind), [.key, .number, .objectEnd])
        let expected = JSONParseError.Reason.unexpectedByte(UInt8(ascii: "x"), expected: "a value")
        for _ in 0..<2 {
            XCTAssertThrowsError(try parser.nextTokens(into: tokens)) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, 25)
                XCTAssertEqual((error as? JSONParseError)?.reason, expected)
            }
        }
        XCTAssertThrowsError(try parser.nextToken()) { XCTAssertEqual(($0 as? JSONParseError)?.offset, 25) }
    }

    /// A number is complete when the byte after it arrives, not before: the event comes with it.
    func testEventsArriveWithTheirLastByte() throws {
        let parser = JSONParser()
        XCTAssertEqual(try parser.feed(#"{"day": 1"#).map(\.kind), [.objectStart, .key("day")])
        XCTAssertEqual(try parser.feed(",").map(\.kind), [.number(JSONNumber("1")!)])
        XCTAssertEqual(try parser.feed(#""ok": tru"#).map(\.kind), [.key("ok")])
        XCTAssertEqual(try parser.feed("e").map(\.kind), [.bool(true)])
        XCTAssertEqual(try parser.feed("}").map(\.kind), [.objectEnd])
        XCTAssertEqual(try parser.finish(), [])

        let number = JSONParser()
        XCTAssertEqual(try number.feed("42"), [])
        XCTAssertEqual(try number.finish().map(\.kind), [.number(JSONNumber("42")!)])
    }
}
