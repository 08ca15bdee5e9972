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

    /// Random byte mutations of a real plan: the snapshot contract and decoding agreement hold for
    /// whatever the bytes become.
    func testRandomMutations() throws {
        for mutated in try mutatedPlans("plan mutations", count: 80) {
            FuzzInvariants.checkSnapshots(mutated)
            FuzzInvariants.checkPlanDecoding(mutated)
        }
    }
}
