import Foundation

/// SplitMix64: randomness a failure message can name by its seed, so that any failing run can be
/// repeated exactly.
///
/// Tests take their seed from ``testSeed``: fixed by default (every run alike), or
/// `PLANSTREAM_TEST_SEED=<n>` to explore other cuts (`=random` draws one); a seed other than the
/// default is printed once.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The run's seed: `PLANSTREAM_TEST_SEED` (a number, or `random`), else 2026.
    public static let testSeed: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["PLANSTREAM_TEST_SEED"] else { return 2026 }
        let seed = UInt64(text) ?? UInt64.random(in: 0...UInt64.max)
        print("PLANSTREAM_TEST_SEED=\(seed)")
        return seed
    }()

    /// A generator for one named use of the run's seed: the same name, the same sequence.
    public init(testSeedFor name: String) {
        self.init(seed: name.utf8.reduce(Self.testSeed) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
    }
}

/// `bytes` with a few random edits — a byte replaced by any byte, removed, or a byte of `alphabet`
/// inserted — the way the fuzz targets' property tests make near-valid input.
public func mutated(_ bytes: [UInt8], edits: ClosedRange<Int>, alphabet: String, using generator: inout SeededGenerator) -> [UInt8] {
    var result = bytes
    let alphabet = Array(alphabet.utf8)
    for _ in 0..<Int.random(in: edits, using: &generator) where !result.isEmpty {
        let at = Int.random(in: 0..<result.count, using: &generator)
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: result[at] = UInt8.random(in: 0...255, using: &generator)
        case 1: result.remove(at: at)
        default: result.insert(alphabet.randomElement(using: &generator)!, at: at)
        }
    }
    return result
}

/// `count` near-valid plans: the first 700 bytes of the 7-day fixture with one to four random edits
/// each, from the run's seed and `label` — the fuzz invariants' property tests' input.
public func mutatedPlans(_ label: String, count: Int) throws -> [[UInt8]] {
    var generator = SeededGenerator(testSeedFor: label)
    let plan = Array(try fixture("plan-7d.min.json").prefix(700))
    return (0..<count).map { _ in mutated(plan, edits: 1...4, alphabet: "{}[],:\"\\ 0-e.tfn", using: &generator) }
}
