// x86-64 versions of the lane tests of the string scans, in SSE2 instructions (every x86-64
// processor has them) through the compiler's own C intrinsics: byte comparisons and a *movemask*,
// which Swift's portable `SIMD` types compile to a loop per lane or lack. Elsewhere the portable
// lanes run; the tests check that both flag the same bytes. Built with
// `-Xswiftc -DPLANSTREAM_PORTABLE_SIMD`, x86-64 runs the portable lanes too: that is how CI runs the
// scanner's tests on the code that other processors (Apple silicon, arm64 Linux) run.

#if arch(x86_64) && canImport(_Builtin_intrinsics.intel) && !PLANSTREAM_PORTABLE_SIMD
import _Builtin_intrinsics.intel

extension JSONParser {
    /// ``bytesNeedingAttention(_:)-(SIMD16<UInt8>)`` for the sixteen bytes at `bytes`, as a mask, bit k
    /// for byte k: a control character, `"`, a backslash or non-ASCII.
    @inline(__always)
    static func sse2AttentionMask(_ bytes: UnsafeRawPointer) -> UInt32 {
        let text = load(bytes)
        return UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_or_si128(quotesBackslashesAndControls(text), text)))
    }

    /// ``attentionAndUTF8Errors(_:after:_:)`` for the sixteen bytes at `block` (two bytes of the
    /// buffer before them), as two masks, bit k for byte k: the bytes flagged, and the non-ASCII
    /// ones. About 30 instructions, against 50 for the portable lanes.
    @inline(__always)
    static func sse2Masks(_ block: UnsafeRawPointer) -> (flags: UInt32, nonASCII: UInt32) {
        let bytes = load(block), previous = load(block - 1), beforePrevious = load(block - 2)
        // The comparisons are signed: 80–BF are -128…-65, C0–FF -64…-1. A test on the high
        // bit (all the movemask reads) ANDs a byte with a comparison's all-ones lanes.
        let continuation = _mm_cmplt_epi8(bytes, all(0xC0))                                         // 80–BF
        let expected = _mm_or_si128(
            _mm_and_si128(previous, _mm_cmpgt_epi8(previous, all(0xBF))),                           // after C0–FF
            _mm_and_si128(beforePrevious, _mm_cmpgt_epi8(beforePrevious, all(0xDF))))               // two after E0–FF
        let rareLead = _mm_or_si128(
            _mm_cmpeq_epi8(_mm_and_si128(bytes, all(0xFE)), all(0xC0)),                             // C0, C1
            _mm_and_si128(bytes, _mm_cmpgt_epi8(bytes, all(0xEF))))                                 // F0–FF
        // After E0 the second byte is A0–BF, after ED 80–9F: bit 5, moved to the high bit (a
        // 16-bit shift, whose carries into the next byte do not reach its high bit).
        let bit5 = _mm_slli_epi16(bytes, 2)
        let narrowSecond = _mm_or_si128(
            _mm_andnot_si128(bit5, _mm_cmpeq_epi8(previous, all(0xE0))),
            _mm_and_si128(bit5, _mm_cmpeq_epi8(previous, all(0xED))))
        let flags = _mm_or_si128(_mm_or_si128(_mm_xor_si128(continuation, expected), rareLead),
                                 _mm_or_si128(narrowSecond, quotesBackslashesAndControls(bytes)))
        return (UInt32(truncatingIfNeeded: _mm_movemask_epi8(flags)), UInt32(truncatingIfNeeded: _mm_movemask_epi8(bytes)))
    }

    /// How many of the sixteen bytes at `bytes` are spaces before the first other byte (16: all).
    @inline(__always)
    static func sse2LeadingSpaces(_ bytes: UnsafeRawPointer) -> Int {
        let spaces = UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(load(bytes), all(0x20))))
        return (~spaces).trailingZeroBitCount
    }

    /// All ones in the lanes of `bytes` that are `"`, a backslash or a control character.
    @inline(__always)
    private static func quotesBackslashesAndControls(_ bytes: __m128i) -> __m128i {
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, all(0x22)), _mm_cmpeq_epi8(bytes, all(0x5C))),
                     _mm_cmpeq_epi8(_mm_min_epu8(bytes, all(0x1F)), bytes))   // 00–1F
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeRawPointer) -> __m128i {
        _mm_loadu_si128(pointer.assumingMemoryBound(to: __m128i.self))
    }

    @inline(__always)
    private static func all(_ byte: UInt8) -> __m128i { _mm_set1_epi8(Int8(bitPattern: byte)) }
}
#endif
