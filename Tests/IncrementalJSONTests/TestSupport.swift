import Foundation
import XCTest
import FuzzInvariants
@testable import IncrementalJSON

/// The repository's `Fixtures/` folder.
let fixturesURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

func fixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: fixturesURL.appendingPathComponent(name)))
}

/// Every plan fixture: strict JSON ones, and the LLM-wrapped ones that need ``JSONParserOptions/llm``.
let strictFixtures = ["plan-7d.json", "plan-7d.min.json", "plan-30d.json", "plan-30d.min.json",
                      "plan-90d.json", "plan-90d.min.json", "plan-365d.min.json"]
let wrappedFixtures = ["plan-7d.fenced.txt", "plan-30d.prose.txt"]

/// What a parse produced: each token with its raw bytes, and the error that ended it, if any.
typealias TokenTrace = FuzzInvariants.Trace

/// Parses `bytes` pushed in the given chunks, recording tokens and their raw text — the fuzz
/// targets' own helper, so that tests and fuzzers check the same thing.
func trace(_ bytes: [UInt8], splitAt cuts: [Int], options: JSONParserOptions = .strict) -> TokenTrace {
    FuzzInvariants.trace(bytes, cuts: cuts, options: options)
}

/// Events with paths (or the error) for `bytes` fed in chunks of `chunkSize` (0: whole).
func events(_ bytes: [UInt8], chunkSize: Int = 0, options: JSONParserOptions = .strict)
    -> (events: [JSONEvent], error: JSONParseError?)
{
    let parser = JSONParser(options: options)
    var events: [JSONEvent] = []
    do {
        let size = chunkSize == 0 ? max(bytes.count, 1) : chunkSize
        for start in stride(from: 0, to: bytes.count, by: size) {
            events += try parser.feed(bytes[start..<min(start + size, bytes.count)])
        }
        events += try parser.finish()
        return (events, nil)
    } catch {
        return (events, error)
    }
}

/// The error for `text`, failing the test when it parses.
func parseError(_ text: String, options: JSONParserOptions = .strict,
                file: StaticString = #filePath, line: UInt = #line) -> JSONParseError? {
    let result = events(Array(text.utf8), options: options)
    XCTAssertNotNil(result.error, "accepted: \(text)", file: file, line: line)
    return result.error
}

/// A fixed-seed generator, so that "random" splits are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        // xorshift64*
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
