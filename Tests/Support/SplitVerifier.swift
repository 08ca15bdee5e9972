import XCTest

/// Reads one input at many chunkings and checks that each gives what the whole input gives: the
/// chunk-boundary invariance every layer promises, verified the way swift-nio's
/// `ByteToMessageDecoderVerifier` verifies a decoder — one helper for every split test.
///
/// `read` is given the cut offsets (ascending, within `0...input.count`; a chunk may be empty)
/// and returns everything the reader produced, comparable with `==`. The first difference of
/// each chunking fails the test with the chunking, its cuts and the seed.
///
/// ```swift
/// let whole = SplitVerifier.verify(bytes, [.everyTwoWaySplit, .byteByByte]) { cuts in
///     trace(bytes, splitAt: cuts)
/// }
/// ```
public enum SplitVerifier {
    public enum Chunking: Sendable, Hashable {
        /// One cut, at each offset from 0 to the input's length.
        case everyTwoWaySplit
        /// Two cuts, at every pair of offsets: for short inputs (quadratic).
        case everyThreeWaySplit
        /// Every byte its own chunk, and an empty chunk before the first.
        case byteByByte
        /// Chunks of this many bytes.
        case size(Int)
        /// `count` chunkings of random chunk sizes from 1 to `maximumChunk`, from the run's seed
        /// (``SeededGenerator/testSeed``) and the label.
        case random(count: Int, maximumChunk: Int)
    }

    /// Checks every chunking against the whole input and returns the whole input's output.
    @discardableResult
    public static func verify<Output: Equatable>(
        _ input: [UInt8], _ chunkings: [Chunking] = [.everyTwoWaySplit, .byteByByte],
        _ label: @autoclosure () -> String = "",
        file: StaticString = #filePath, line: UInt = #line,
        read: ([Int]) throws -> Output
    ) rethrows -> Output {
        let whole = try read([])
        for chunking in chunkings {
            for (cuts, what) in cutLists(chunking, count: input.count, label: label()) {
                let output = try read(cuts)
                if output != whole {
                    XCTFail("\(label()) \(what()): \(output) differs from the whole input's \(whole)", file: file, line: line)
                    break
                }
            }
        }
        return whole
    }

    /// The cut lists of a chunking, each with a description for a failure message.
    public static func cutLists(_ chunking: Chunking, count: Int, label: String = "")
        -> [(cuts: [Int], description: () -> String)]
    {
        switch chunking {
        case .everyTwoWaySplit:
            return (0...count).map { cut in ([cut], { "split at \(cut)" }) }
        case .everyThreeWaySplit:
            return (0...count).flatMap { first in
                (first...count).map { second in ([first, second], { "split at \(first) and \(second)" }) }
            }
        case .byteByByte:
            return [(Array(0..<count), { "byte by byte" })]
        case .size(let size):
            return [(cuts(every: size, upTo: count), { "in chunks of \(size)" })]
        case .random(let lists, let maximumChunk):
            var generator = SeededGenerator(testSeedFor: label)
            return (0..<lists).map { index in
                var cuts: [Int] = []
                var at = Int.random(in: 0...maximumChunk, using: &generator)
                while at < count {
                    cuts.append(at)
                    at += Int.random(in: 1...maximumChunk, using: &generator)
                }
                return (cuts, { "random chunking \(index) (seed \(SeededGenerator.testSeed), label \"\(label)\"): cuts \(cuts.prefix(12))…" })
            }
        }
    }
}

/// `bytes` cut at `cuts` (ascending offsets within `0...bytes.count`): the chunks a reader is fed.
public func chunks(of bytes: [UInt8], at cuts: [Int]) -> [ArraySlice<UInt8>] {
    var start = 0
    return (cuts + [bytes.count]).map { cut in
        defer { start = cut }
        return bytes[start..<cut]
    }
}

/// The cut offsets of chunks of `size` bytes over `count` bytes (none for `size` 0: one chunk).
public func cuts(every size: Int, upTo count: Int) -> [Int] {
    size > 0 ? Array(stride(from: size, to: count, by: size)) : []
}
