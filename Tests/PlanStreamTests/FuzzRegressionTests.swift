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

    /// Random byte mutations of a real plan: the snapshot contract and decoding agreement hold for
    /// whatever the bytes become.
    func testRandomMutations() throws {
        for mutated in try mutatedPlans("plan mutations", count: 80) {
            FuzzInvariants.checkSnapshots(mutated)
            FuzzInvariants.checkPlanDecoding(mutated)
        }
    }
}
