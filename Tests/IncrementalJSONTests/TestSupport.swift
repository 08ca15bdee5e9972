import Foundation
import XCTest
import FuzzSupport
import JSONFuzzInvariants
@_exported import TestSupport
@testable import IncrementalJSON

/// Every plan fixture: strict JSON ones (one with its text in Japanese), and the LLM-wrapped ones
/// that need ``JSONParserOptions/llm``.
let strictFixtures = ["plan-7d.json", "plan-7d.min.json", "plan-30d.json", "plan-30d.min.json",
                      "plan-90d.json", "plan-90d.min.json", "plan-90d.ja.min.json", "plan-365d.min.json"]
let wrappedFixtures = ["plan-7d.fenced.txt", "plan-30d.prose.txt"]

/// What a parse produced: each token with its raw bytes, and the error that ended it, if any.
typealias TokenTrace = FuzzInvariants.Trace

/// Parses `bytes` pushed in the given chunks, recording tokens and their raw text — the fuzz
/// targets' own helper, so that tests and fuzzers check the same thing.
func trace(_ bytes: [UInt8], splitAt cuts: [Int], options: JSONParserOptions = .strict, vectors: Bool = true,
           batchSize: Int? = nil) -> TokenTrace {
    FuzzInvariants.trace(bytes, cuts: cuts, options: options, vectors: vectors, batchSize: batchSize)
}

/// Events with paths (or the error) for `bytes` fed in chunks of `chunkSize` (0: whole).
func events(_ bytes: [UInt8], chunkSize: Int = 0, options: JSONParserOptions = .strict) -> EventTrace {
    events(chunks(of: bytes, at: cuts(every: chunkSize, upTo: bytes.count)), options: options)
}

/// Events with paths (or the error) for the bytes fed in these chunks.
func events(_ chunks: [ArraySlice<UInt8>], options: JSONParserOptions = .strict) -> EventTrace {
    let parser = JSONParser(options: options)
    var trace = EventTrace()
    do {
        for chunk in chunks { trace.events += try parser.feed(chunk) }
        trace.events += try parser.finish()
    } catch {
        trace.error = error
    }
    return trace
}

/// What a parse produced as events: each with its path, and the error that ended it, if any.
struct EventTrace: Equatable {
    var events: [JSONEvent] = []
    var error: JSONParseError?
}

/// The error for `text`, failing the test when it parses.
func parseError(_ text: String, options: JSONParserOptions = .strict,
                file: StaticString = #filePath, line: UInt = #line) -> JSONParseError? {
    let result = events(Array(text.utf8), options: options)
    XCTAssertNotNil(result.error, "accepted: \(text)", file: file, line: line)
    return result.error
}
