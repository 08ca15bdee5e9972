import TestSupport
import XCTest

@testable import IncrementalJSON

/// `DecimalToDouble` against the standard library's correctly rounded `Double(String)`: where it
/// answers, the answer is the same bits; where it declines, the caller reads the slow way.
final class DecimalToDoubleTests: XCTestCase {
    private func fast(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { DecimalToDouble.value(of: $0) }
    }

    /// The fast answer, which must be present, equals `Double(text)` bit for bit.
    private func assertExact(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let value = fast(text) else {
            return XCTFail("\(text): declined", file: file, line: line)
        }
        XCTAssertEqual(value.bitPattern, Double(text)!.bitPattern, "\(text): \(value) vs \(Double(text)!)", file: file, line: line)
    }

    /// Any answer equals `Double(text)` bit for bit; declining is allowed. Returns whether it answered.
    @discardableResult
    private func assertNeverWrong(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let value = fast(text) else { return false }
        let expected = Double(text)!
        XCTAssertEqual(value.bitPattern, expected.bitPattern, "\(text): \(value) vs \(expected)", file: file, line: line)
        return true
    }

    func testCommonForms() {
        for text in ["0", "-0", "0.0", "-0.0", "0e10", "1", "-1", "10", "0.5", "0.1", "0.2", "0.3", "1.5", "3.14159",
                     "1e0", "1E2", "1e+2", "1e-2", "-2.5e-3", "123456789", "0.000123", "1.7976931348623157e308",
                     "2.2250738585072014e-308", "1e23", "8.98846567431158e307", "9007199254740992", "9007199254740993",
                     "9007199254740995", "4503599627370497.5", "1234567890123456789", "0.1000000000000000055511151231257827",
                     "100000000000000000000000", "1e-300", "7.2057594037927933e16"] where fast(text) != nil {
            assertExact(text)
        }
        // The plain cases must not be declined.
        for text in ["0", "-0", "0.5", "0.1", "1e22", "123456789", "-2.5e-3", "1.7976931348623157e308", "2.2250738585072014e-308"] {
            assertExact(text)
        }
    }

    /// Declined: more than 19 significant digits, subnormal or infinite results, exponents out
    /// of the table. The slow path reads them.
    func testDeclines() {
        for text in ["12345678901234567890", "1.0000000000000000000001", "4.9e-324", "1e-320", "1e309",
                     "1.7976931348623159e308", "1e400", "1e-400", "1e99999999999999999999"] {
            XCTAssertNil(fast(text), text)
        }
    }

    /// Shortest representations of random doubles of every magnitude (what encoders write), and
    /// random digit strings with random exponents: never a wrong answer, and most answered.
    func testRandomNumbersAgreeWithTheStandardLibrary() {
        var generator = SeededGenerator(testSeedFor: "decimal to double")
        var shortestAnswered = 0, shortest = 0
        for _ in 0..<100_000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator) & ~(1 << 63)
            let double = Double(bitPattern: bits)
            guard double.isFinite else { continue }
            shortest += 1
            if assertNeverWrong("\(Bool.random(using: &generator) ? "-" : "")\(double)") { shortestAnswered += 1 }
        }
        XCTAssertGreaterThan(Double(shortestAnswered) / Double(shortest), 0.99, "the fast path should answer nearly all shortest forms")
        var answered = 0
        for _ in 0..<100_000 {
            let digits = (0..<Int.random(in: 1...22, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }
            let point = Int.random(in: 0...digits.count, using: &generator)
            let mantissa = (point == 0 ? "0" : digits[..<point].joined())
                + (point < digits.count ? "." + digits[point...].joined() : "")
            let exponent = Int.random(in: -330...330, using: &generator)
            if assertNeverWrong("\(mantissa)e\(exponent)") { answered += 1 }
        }
        XCTAssertGreaterThan(answered, 50_000, "the fast path should answer most of these")
    }

    /// Integers exactly halfway between two doubles (from 2^53 on, where the spacing is at least
    /// two) and their neighbours: ties go to even, or the fast path declines.
    func testHalfwayIntegers() {
        var generator = SeededGenerator(testSeedFor: "halfway integers")
        for _ in 0..<30_000 {
            let double = Double(UInt64.random(in: (1 << 53)...(1 << 63), using: &generator))
            let halfway = UInt64(double) + UInt64(double.ulp / 2)
            for value in [halfway - 1, halfway, halfway + 1] where value < 10_000_000_000_000_000_000 {
                assertNeverWrong("\(value)")
                assertNeverWrong("\(value).0")
                assertNeverWrong("\(value / 10).\(value % 10)e1")
            }
        }
    }
}
