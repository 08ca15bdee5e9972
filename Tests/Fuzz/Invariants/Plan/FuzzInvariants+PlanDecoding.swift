import FuzzSupport
import JSONFuzzInvariants
import PlanStream

extension FuzzInvariants {
    /// ``checkDecoding(_:)`` for the plan's own types: JSONTokenDecoder and JSONDecoder agree on
    /// `PlanDay` and `PlanMetadata` for any input.
    public static func checkPlanDecoding(_ input: [UInt8]) {
        compare(input, as: PlanDay.self, kinds: true)
        compare(input, as: PlanMetadata.self, kinds: true)
    }
}
