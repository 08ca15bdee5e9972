extension JSONParser {
    /// ``endOfValidText(_:from:to:)`` sixteen bytes at a time, for runs of non-Latin text: the
    /// index of the first sequence boundary in `bytes[start..<end]` up to which every byte is
    /// printable ASCII other than `"` and `\` or part of a valid two- or three-byte UTF-8 sequence
    /// (the Basic Multilingual Plane: nearly all text in any script; a four-byte sequence — an emoji,
    /// a rare ideograph — stops it). It stops within the last sixteen bytes before `end`, after a
    /// block of ASCII alone, and at once where fewer than half of the first sixteen bytes are
    /// non-ASCII; the scalar scans read on from where it stops, so every error is found there, at
    /// its offset.
    ///
    /// `start` must be a sequence boundary with two bytes of the buffer before it. A block costs
    /// about thirty instructions on x86-64 (``sse2Masks(_:)``), sixty elsewhere, and no branch but
    /// the loop's; the scalar scan takes a branch per sequence, which text that mixes CJK with
    /// spaces and punctuation mispredicts.
    static func endOfValidTextInBlocks(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        // The two bytes before a block must not expect a continuation in it: inside the loop they
        // are text just read; before the first, they could be what precedes the opening quote.
        guard i >= 2 && startsNonLatinText(bytes + i) && bytes[i &- 1] < 0xC0 && bytes[i &- 2] < 0xE0 else { return i }
        // Every byte before a block's first flagged one is valid. A sequence that the block's
        // end cuts is checked by the next block, whose lanes see the two bytes before it: the
        // next block starts sixteen bytes on, whatever this one's bytes, so its loads need not
        // wait for this one's verdict. (They did when it started at the cut sequence's lead: the
        // SSE2 blocks were then 6% slower than the scalar scan on the Japanese plan at 4 KB
        // chunks; now they are 10% faster.)
        while i &+ 16 <= end {
            let (stop, isASCII) = firstFlaggedByte(UnsafeRawPointer(bytes + i))
            if stop != 16 {
                i &+= stop
                break
            }
            i &+= 16
            // A block of ASCII alone ends the run too: the caller's scan reads ASCII faster.
            if isASCII { break }
        }
        // Back to the lead of a sequence that the stop cuts, where the scalar scan goes on. (Before
        // the first block, the guard above has checked these two bytes.)
        if bytes[i &- 1] >= 0xC0 {
            i &-= 1
        } else if bytes[i &- 2] >= 0xE0 {
            i &-= 2
        }
        return i
    }

    /// The index of the first of the sixteen bytes at `block` (two bytes of the buffer before
    /// them) that ``attentionAndUTF8Errors(_:after:_:)`` flags, 16 for none, and whether all sixteen
    /// are ASCII: in SSE2 instructions on x86-64 (``sse2Masks(_:)``), else in portable lanes.
    @inline(__always)
    static func firstFlaggedByte(_ block: UnsafeRawPointer) -> (Int, isASCII: Bool) {
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel) && !PLANSTREAM_PORTABLE_SIMD
        let (flags, nonASCII) = sse2Masks(block)
        return ((flags | 0x1_0000).trailingZeroBitCount, nonASCII == 0)
        #else
        return portableFirstFlaggedByte(block)
        #endif
    }

    /// ``firstFlaggedByte(_:)`` in Swift's portable `SIMD` lanes.
    @inline(__always)
    static func portableFirstFlaggedByte(_ block: UnsafeRawPointer) -> (Int, isASCII: Bool) {
        let text = block.loadUnaligned(as: SIMD16<UInt8>.self)
        let flags = attentionAndUTF8Errors(
            text,
            after: (block - 1).loadUnaligned(as: SIMD16<UInt8>.self),
            (block - 2).loadUnaligned(as: SIMD16<UInt8>.self))
        let (low, high) = highBits(flags)
        let first = low != 0 ? low.trailingZeroBitCount &>> 3 : high != 0 ? 8 &+ (high.trailingZeroBitCount &>> 3) : 16
        // Not through `highBits`: its byte-order words compile to 1% more instructions here.
        let nonASCII = unsafeBitCast(text & SIMD16(repeating: 0x80), to: SIMD2<UInt64>.self)
        return (first, nonASCII[0] | nonASCII[1] == 0)
    }

    /// Whether at least half of the sixteen bytes at `bytes` are non-ASCII: text in a non-Latin
    /// script, which ``endOfValidTextInBlocks(_:from:to:)`` reads faster than the scalar scan. An
    /// accented letter or a dash in Latin text stays with the scalar scan, for which a block
    /// (about sixty operations) would cost more than the sequence.
    @inline(__always)
    static func startsNonLatinText(_ bytes: UnsafePointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(bytes)
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let first = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & highBits
        let second = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & highBits
        // One per non-ASCII byte in each byte lane (at most two), summed into the top lane.
        let count = (((first &>> 7) &+ (second &>> 7)) &* 0x0101_0101_0101_0101) &>> 56
        return count >= 8
    }

    /// The high bit set in each lane of `bytes` that is a control character, `"`, a backslash, a
    /// lead of an overlong two-byte form (C0, C1) or of four bytes or none (F0–FF), a second byte
    /// outside the range of an E0 or ED lead, or a continuation byte where none belongs or a missing
    /// one — judged from the lane's own byte, the byte before (`previous`, lane by lane) and the
    /// one before that (`beforePrevious`). Sixteen bytes loaded one and two bytes earlier give
    /// those lanes without a shuffle, which Swift's portable `SIMD` types do not have.
    @inline(__always)
    static func attentionAndUTF8Errors(_ bytes: SIMD16<UInt8>, after previous: SIMD16<UInt8>, _ beforePrevious: SIMD16<UInt8>) -> SIMD16<UInt8> {
        // Each test leaves its answer in the lane's high bit; a bit moves up by adding the lane to
        // itself (lane shifts by a count, like lane comparisons, compile to per-lane code).
        let shifted = bytes &+ bytes, shiftedTwice = shifted &+ shifted
        let continuation = bytes & ~shifted                                   // 80–BF
        let beforeShifted = beforePrevious &+ beforePrevious
        let expected = (previous & (previous &+ previous))                    // after C0–FF
            | (beforePrevious & beforeShifted & (beforeShifted &+ beforeShifted)) // two after E0–FF
        let rareLead = isZero((bytes & SIMD16(repeating: 0xFE)) ^ SIMD16(repeating: 0xC0))   // C0, C1
            | (bytes & shifted & shiftedTwice & (shiftedTwice &+ shiftedTwice)) // F0–FF
        // After E0 the second byte is A0–BF (bit 5 set), after ED 80–9F (bit 5 clear).
        let narrowSecond = (isZero(previous ^ SIMD16(repeating: 0xE0)) & ~shiftedTwice)
            | (isZero(previous ^ SIMD16(repeating: 0xED)) & shiftedTwice)
        return (continuation ^ expected) | rareLead | narrowSecond | quotesBackslashesAndControls(bytes)
    }

    /// The high bit set in each lane of `bytes` that is `"`, a backslash or a control character.
    @inline(__always)
    static func quotesBackslashesAndControls(_ bytes: SIMD16<UInt8>) -> SIMD16<UInt8> {
        isZero(bytes ^ SIMD16(repeating: 0x22)) | isZero(bytes ^ SIMD16(repeating: 0x5C))
            | ((bytes &- SIMD16(repeating: 0x20)) & ~bytes)
    }

    /// The lanes' high bits, as two little-endian words: lanes 0–7, then 8–15.
    @inline(__always)
    static func highBits(_ flags: SIMD16<UInt8>) -> (UInt64, UInt64) {
        let words = unsafeBitCast(flags & SIMD16(repeating: 0x80), to: SIMD2<UInt64>.self)
        return (UInt64(littleEndian: words[0]), UInt64(littleEndian: words[1]))
    }

    /// The high bit set in each lane of `x` that is zero: `x - 1` borrows and `x` has no high bit.
    /// Wrapping lane arithmetic, as lane comparisons compile to a loop per lane (Swift 6.3).
    @inline(__always)
    static func isZero(_ x: SIMD16<UInt8>) -> SIMD16<UInt8> {
        (x &- SIMD16(repeating: 1)) & ~x
    }
}
