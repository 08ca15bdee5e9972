/// The invariants the fuzz targets check, shared with the tests that replay saved findings: one
/// module per layer extends this namespace (JSONFuzzInvariants, PlanFuzzInvariants,
/// ClientFuzzInvariants). A violation is a trap with a message, so that libFuzzer saves the input.
public enum FuzzInvariants {
    package static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, _ input: [UInt8]) {
        if !condition() { fail(message(), input) }
    }

    package static func fail(_ message: String, _ input: [UInt8]) -> Never {
        let preview = String(decoding: input.prefix(200), as: UTF8.self).debugDescription
        fatalError("fuzz invariant violated: \(message)\ninput (\(input.count) bytes): \(preview)")
    }

    /// `input` cut at `cuts` (ascending offsets): the pieces a reader is fed, in order.
    package static func pieces(of input: [UInt8], at cuts: [Int]) -> [ArraySlice<UInt8>] {
        var start = 0
        return (cuts + [input.count]).map { cut in
            defer { start = cut }
            return input[start..<cut]
        }
    }

    /// A few split points chosen from the input's own bytes, so that libFuzzer can steer them.
    package static func derivedCuts(_ input: [UInt8]) -> [Int] {
        guard input.count > 1 else { return [] }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var cuts: Set<Int> = []
        for (i, byte) in input.enumerated() {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            if hash % 7 == 0 || i % 97 == 0 { cuts.insert(i) }
        }
        cuts.insert(input.count / 2)
        return cuts.sorted()
    }
}
