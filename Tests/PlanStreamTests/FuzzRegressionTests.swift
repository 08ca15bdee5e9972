import XCTest
import FuzzSupport
import PlanFuzzInvariants
import TestSupport

/// The plan layer's fuzz invariants: every saved finding replayed, and seeded property tests of the
/// same invariants, so the ordinary test run covers them in seconds.
final class PlanFuzzRegressionTests: XCTestCase {
    func testSavedFindingsStayFixed() throws {
        for finding in try FuzzInvariants.savedFindings("snapshots") { FuzzInvariants.checkSnapshots(finding) }
        for finding in try FuzzInvariants.savedFindings("decode") { FuzzInvariants.checkPlanDecoding(finding) }
    }

    /// The metadata and the days decode from the tokens recorded while they were scanned: at every
    /// chunking, the same values — and the same failures — as decoding their bytes again.
    func testRecordedTokensDecodeAsTheBytesDo() throws {
        let plan = try fixture("plan-7d.min.json")
        XCTAssertNil(FuzzInvariants.recordedDecodingMismatch(plan, cuts: Array(1..<plan.count)))
        XCTAssertNil(FuzzInvariants.recordedDecodingMismatch(plan, cuts: Array(stride(from: 4, to: plan.count, by: 4))))
        // Metadata of the wrong type, a day without its keys, a day whose activity has a number
        // for a name, a day with an escaped key: failures and values alike.
        let mixed = Array(#"""
            {"metadata": {"title": 1}, "days": [{"day": "one"}, {"day": 2, "title": "x", "activities": [{"name": 3}]},
             {"d\u0061y": 3, "title": "T\u00e9", "activities": []}]}
            """#.utf8)
        XCTAssertNil(FuzzInvariants.recordedDecodingMismatch(mixed, cuts: Array(1..<mixed.count)))
    }

    /// The JSON conformance suite's documents (``ConformanceSuite``; skipped when absent), alone and
    /// as the day of a plan: the snapshot contract and decoding agreement hold for every one,
    /// valid or not — deep nesting, numbers beyond `Double`, surrogates, invalid UTF-8.
    func testConformanceSuiteDocuments() throws {
        let files = try ConformanceSuite.files("test_parsing") + ConformanceSuite.files("test_transform")
        XCTAssertGreaterThanOrEqual(files.count, 339, "the suite is incomplete")
        for (_, bytes) in files {
            for input in [bytes, Array(#"{"metadata": {"title": "T"}, "days": ["#.utf8) + bytes + Array("]}".utf8)] {
                FuzzInvariants.checkSnapshots(input)
                FuzzInvariants.checkPlanDecoding(input)
            }
        }
    }

    /// A model's habits that the lenient default accepts — trailing commas anywhere a value ends a
    /// container, prose and a code fence around the document — cut anywhere: every JSON text the
    /// parser hands out is strict JSON, at every chunking the invariants try.
    func testLLMHabitsNeverLeakIntoTheJSONHandedOut() throws {
        let plan = try fixture("plan-7d.min.json")
        var generator = SeededGenerator(testSeedFor: "llm habits")
        let closers = plan.indices.filter { plan[$0] == UInt8(ascii: "}") || plan[$0] == UInt8(ascii: "]") }
        for _ in 0..<24 {
            var variant = plan
            for closer in closers.shuffled(using: &generator).prefix(Int.random(in: 1...40, using: &generator)).sorted(by: >)
            where variant[closer - 1] != UInt8(ascii: "[") && variant[closer - 1] != UInt8(ascii: "{") {
                variant.insert(UInt8(ascii: ","), at: closer)
            }
            variant = Array("Here is your plan:\n```json\n".utf8) + variant + Array("\n```\nEnjoy!".utf8)
            let cut = Int.random(in: variant.count / 2...variant.count, using: &generator)
            for input in [variant, Array(variant.prefix(cut))] {
                XCTAssertNil(FuzzInvariants.nonStrictJSONHandedOut(input, cuts: []))
                XCTAssertNil(FuzzInvariants.nonStrictJSONHandedOut(input, cuts: Array(stride(from: 3, to: input.count, by: 5))))
                FuzzInvariants.checkPlanDecoding(input)
            }
        }
    }

    /// Random byte mutations of a real plan: the snapshot contract and decoding agreement hold for
    /// whatever the bytes become.
    func testRandomMutations() throws {
        for mutated in try mutatedPlans("plan mutations", count: 80) {
            FuzzInvariants.checkSnapshots(mutated)
            FuzzInvariants.checkPlanDecoding(mutated)
        }
    }
}
