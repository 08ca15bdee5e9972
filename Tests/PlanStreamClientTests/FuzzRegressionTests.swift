import XCTest
import FuzzSupport
import ClientFuzzInvariants
import TestSupport

/// The client layer's fuzz invariants: every saved finding replayed, and seeded property tests of
/// the same invariants.
final class ClientFuzzRegressionTests: XCTestCase {
    func testSavedFindingsStayFixed() throws {
        for finding in try FuzzInvariants.savedFindings("sse") { FuzzInvariants.checkSSE(finding) }
    }

    /// Random mutations of recorded provider streams through the SSE decoder and body readers.
    func testRandomStreamMutations() throws {
        var generator = SeededGenerator(testSeedFor: "stream mutations")
        let streams = ["streams/gemini-error-mid-stream.sse", "streams/openai-length.sse", "streams/ollama-7d.ndjson",
                       "streams/relay-7d.sse", "providers/anthropic-tool.sse", "providers/openai-responses-tool.sse",
                       "providers/openai-tool.sse", "providers/gemini-array.json", "providers/openai-n3.sse"]
        for name in streams {
            let recorded = Array(try fixture(name).prefix(1200))
            FuzzInvariants.checkSSE(recorded)
            for _ in 0..<10 {
                var mutated = recorded
                for _ in 0..<3 {
                    let at = Int.random(in: 0..<mutated.count, using: &generator)
                    mutated[at] = Array("\r\n:{}\"data".utf8).randomElement(using: &generator)!
                }
                FuzzInvariants.checkSSE(mutated)
            }
        }
    }
}
