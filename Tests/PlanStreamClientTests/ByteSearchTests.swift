import XCTest
@testable import PlanStreamClient

/// The word-at-a-time byte searches and comparisons against the plain loops they replace, at
/// every length and every position that matters for their tails.
final class ByteSearchTests: XCTestCase {
    func testEqualAtEveryLengthAndEveryDifferingByte() {
        let base = (0..<48).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...40 {
            XCTAssertTrue(base.withUnsafeBytes { a in base.withUnsafeBytes { b in
                ByteSearch.equal(a.baseAddress!, b.baseAddress!, count: count) } }, "count \(count)")
            for position in 0..<count {
                var other = base
                other[position] ^= 0x40
                XCTAssertFalse(base.withUnsafeBytes { a in other.withUnsafeBytes { b in
                    ByteSearch.equal(a.baseAddress!, b.baseAddress!, count: count) } }, "count \(count), position \(position)")
            }
            // A difference just past the end is not looked at.
            var beyond = base
            beyond[count] ^= 0x40
            XCTAssertTrue(base.withUnsafeBytes { a in beyond.withUnsafeBytes { b in
                ByteSearch.equal(a.baseAddress!, b.baseAddress!, count: count) } }, "count \(count), beyond")
        }
    }

    func testFirstOfTwoBytes() {
        for count in 0...24 {
            for position in 0...count {
                var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: count)
                if position < count { bytes[position] = position % 2 == 0 ? 0x0A : 0x0D }
                let found = bytes.withUnsafeBufferPointer { ByteSearch.first(0x0A, or: 0x0D, in: $0, from: 0) }
                XCTAssertEqual(found, position, "count \(count)")
            }
        }
    }
}
