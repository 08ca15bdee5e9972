// The byte-level state machine. Each mode has its own tight loop over local copies of the
// buffer pointer and index; state lives in the parser only between calls, so a chunk may end
// anywhere and the next push resumes exactly where the scan stopped.

extension JSONParser {
    /// The next complete token, or `nil` when the bytes pushed so far complete no further token.
    ///
    /// After ``endInput()``, `nil` means the document is complete; an incomplete document throws.
    /// After an error every call throws that same error.
    ///
    /// Cost: the bytes it scans (each byte once, whatever the chunking); no allocation.
    @inlinable
    public func nextToken() throws(JSONParseError) -> JSONToken? {
        // Every byte pushed has been scanned, so nothing more can complete before the next push
        // (or the end of input): the common case when a model streams small chunks, answered
        // in the caller, without a call (at one-byte chunks, a tenth of the work).
        if hasNothingToScan { return nil }
        return try scanToken()
    }

    /// The next complete tokens, as many as fit in `tokens`, written from its start; returns how
    /// many, `0` when the bytes pushed so far complete no further token — the tokens
    /// ``nextToken()`` would return one by one, read in one call:
    ///
    /// ```swift
    /// let tokens = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: 256)
    /// defer { tokens.deallocate() }
    /// for chunk in chunks {
    ///     parser.push(chunk)
    ///     var count = try parser.nextTokens(into: tokens)
    ///     while count > 0 {
    ///         for token in tokens[..<count] where token.kind == .string { strings += 1 }
    ///         count = try parser.nextTokens(into: tokens)
    ///     }
    /// }
    /// parser.endInput()
    /// while try parser.nextTokens(into: tokens) > 0 {}
    /// ```
    ///
    /// Use it where a token's handling does not need the parser's state at that token: after the
    /// call, ``currentPath`` and ``depth`` are those after the last token read (or where an error
    /// stopped the scan). Each token's text stays readable (``string(of:)``, ``number(of:)``)
    /// until the next push. At invalid input the tokens before the error are returned first; the
    /// next call throws it, as does every later one. An empty buffer reads nothing.
    ///
    /// Cost: as ``nextToken()``, without a call per token (on the 90-day plans at 4 KB chunks,
    /// 5–6% fewer instructions and 5–11% more bytes per second than a `nextToken()` loop).
    @inlinable
    public func nextTokens(into tokens: UnsafeMutableBufferPointer<JSONToken>) throws(JSONParseError) -> Int {
        if hasNothingToScan || tokens.isEmpty { return 0 }
        return try scanTokens(into: tokens)
    }

    /// Whether every byte pushed has been scanned and nothing else can complete a token before
    /// the next push: ``nextToken()``'s first test, in its caller.
    @inlinable
    var hasNothingToScan: Bool {
        readIndex == count && !inputEnded && !inputCutAtLimit && mode != .failed && mode != .leadingProse
    }

    /// ``nextToken()`` past its first test.
    @usableFromInline
    func scanToken() throws(JSONParseError) -> JSONToken? {
        try scanTokenBody()
    }

    /// ``nextTokens(into:)`` past its first test: the scanner inlined in a loop.
    @usableFromInline
    func scanTokens(into tokens: UnsafeMutableBufferPointer<JSONToken>) throws(JSONParseError) -> Int {
        var filled = 0
        repeat {
            let token: JSONToken?
            do {
                token = try scanTokenBody()
            } catch {
                // The parser stays failed: the next call throws the same error.
                if filled == 0 { throw error }
                return filled
            }
            guard let token else { break }
            tokens[filled] = token
            filled &+= 1
        } while filled < tokens.count && !hasNothingToScan
        return filled
    }

    /// The scanner: the next token, or `nil` at the end of the bytes pushed.
    @inline(__always)
    func scanTokenBody() throws(JSONParseError) -> JSONToken? {
        assert(readIndex <= count && count <= capacity, "read index beyond the buffer")
        let bytes = UnsafePointer(storage)
        let end = count
        var index = readIndex
        defer { readIndex = index }
        // A string cut by the previous chunk, the most common state after a small push: a tested
        // branch rather than the switch's indirect jump.
        if mode == .string {
            if let token = try scanString(bytes, &index, end) { return token }
            return try atEndOfBuffer(&index)
        }
        // One case per mode; a structural byte that changes the mode loops back here, so the
        // common sequences (`"key": value,`) cost one jump per step rather than a call.
        while true {
            switch mode {
            case .string:
                if let token = try scanString(bytes, &index, end) { return token }
            case .commaOrEnd:
                skipWhitespace(bytes, &index, end)
                guard index < end else { break }
                let byte = bytes[index]
                assert(depth > 0, "',' or a closer expected outside any container")
                let isObject = levels[depth &- 1].isObject
                guard byte == ASCII.comma else {
                    if byte == (isObject ? ASCII.closeBrace : ASCII.closeBracket) {
                        return closeContainer(isObject: isObject, &index)
                    }
                    throw fail(.unexpectedByte(byte, expected: isObject ? "',' or '}'" : "',' or ']'"), at: index)
                }
                lastComma = (baseOffset &+ index, line, lineStartOffset)
                index &+= 1
                guard isObject else {
                    mode = .element
                    continue
                }
                mode = .key
                fallthrough   // straight to the next key
            case .keyOrEnd, .key:
                skipWhitespace(bytes, &index, end)
                guard index < end else { break }
                let byte = bytes[index]
                if byte == ASCII.quote {
                    beginString(isKey: true, at: index)
                    index &+= 1
                    // A short key, whose closing quote is the first byte in the next eight (on
                    // x86-64, 24) that needs attention, is complete at once.
                    if let length = Self.firstByteNeedingAttention(bytes, at: index, end, vectors: scansWithVectors),
                       bytes[index &+ length] == ASCII.quote {
                        index &+= length &+ 1
                        return try finishString(endingAt: index)
                    }
                    // Straight into the key, without another turn of the mode switch.
                    if let token = try scanString(bytes, &index, end) { return token }
                    break
                }
                if byte == ASCII.closeBrace {
                    if mode == .key { try acceptTrailingComma() }
                    return closeContainer(isObject: true, &index)
                }
                throw fail(.unexpectedByte(byte, expected: mode == .key ? "a key" : "a key or '}'"), at: index)
            case .colon:
                skipWhitespace(bytes, &index, end)
                guard index < end else { break }
                guard bytes[index] == ASCII.colon else {
                    throw fail(.unexpectedByte(bytes[index], expected: "':'"), at: index)
                }
                mode = .value
                index &+= 1
                fallthrough   // straight to the value
            case .value, .element, .elementOrEnd:
                skipWhitespace(bytes, &index, end)
                guard index < end else { break }
                let byte = bytes[index]
                if byte == ASCII.closeBracket && mode != .value {
                    if mode == .element { try acceptTrailingComma() }
                    return closeContainer(isObject: false, &index)
                }
                if let token = try beginValue(byte, bytes, &index, end) { return token }
                continue
            case .number:
                if let token = try scanNumber(bytes, &index, end) { return token }
            case .literal:
                if let token = try scanLiteral(bytes, &index, end) { return token }
            case .afterValue:
                skipWhitespace(bytes, &index, end)
                guard index < end else { break }
                let byte = bytes[index]
                if options.allowsMultipleTopLevelValues && startsValue(byte) {
                    if let token = try beginValue(byte, bytes, &index, end) { return token }
                    continue
                }
                guard options.ignoresTrailingContent else { throw fail(.trailingContent(byte), at: index) }
                mode = .ignoringRest
                continue
            case .leadingProse:
                if skipProse(bytes, &index, end) { return try endOfBuffer(&index) }
            case .ignoringRest:
                index = end
            case .failed:
                throw failure!
            }
            if index == end { return try atEndOfBuffer(&index) }
        }
    }

    // MARK: - Whitespace and skipped text

    @inline(__always)
    private func skipWhitespace(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) {
        var i = index
        while i < end {
            let byte = bytes[i]
            // The common case first: no whitespace at all. Then a bitmap rather than a chain of
            // comparisons, which the compiler turns into an indirect jump (mispredicted often).
            if byte > ASCII.space || !ASCII.isWhitespace(byte) { break }
            i &+= 1
            if byte == ASCII.lineFeed {
                line &+= 1
                lineStartOffset = baseOffset &+ i
            }
            // Spaces after it (a line's indentation; rarely after `:`, where the next byte is
            // not a space): up to the first other byte, sixteen bytes per step on x86-64 (one
            // SSE2 mask: most indentation in one step; the pretty 90-day plan at 4 KB chunks +8%),
            // else eight, without a byte-by-byte tail: near the end the step reaches into the
            // buffer's padding (or bytes of an earlier chunk), so it stops at `end` instead.
            guard bytes[i] == ASCII.space else { continue }
            #if arch(x86_64) && canImport(_Builtin_intrinsics.intel) && !PLANSTREAM_PORTABLE_SIMD
            if scansWithVectors {
                var spaces: Int
                repeat {
                    spaces = Self.sse2LeadingSpaces(UnsafeRawPointer(bytes + i))
                    i &+= spaces
                } while spaces == 16 && i < end
                i = min(i, end)
                continue
            }
            #endif
            var others: UInt64
            repeat {
                others = UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                    ^ 0x2020_2020_2020_2020
                i &+= others.trailingZeroBitCount &>> 3   // 8 when all eight are spaces
            } while others == 0 && i < end
            i = min(i, end)
        }
        index = i
    }

    /// Lenient: skips prose and code fences up to the first `{` or `[` that is followed (after
    /// whitespace) by a byte that can continue JSON, so `[as requested]` or `{name}` in the prose
    /// is passed over. Returns `true` when it needs more input to decide. Out of line: it runs
    /// only before a lenient document, and inlined it shapes the scanner's hot code (its registers).
    @inline(never)
    private func skipProse(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) -> Bool {
        while index < end {
            let byte = bytes[index]
            if byte == ASCII.openBrace || byte == ASCII.openBracket {
                // Look ahead without consuming: the normal scan reads the bracket next.
                var ahead = max(index + 1, proseLookahead - baseOffset)
                while ahead < end && ASCII.isWhitespace(bytes[ahead]) { ahead += 1 }
                if ahead == end && !inputEnded {
                    proseLookahead = baseOffset + ahead
                    return true
                }
                proseLookahead = 0
                if ahead == end || continuesJSON(bytes[ahead], after: byte) {
                    mode = .value
                    return false
                }
            }
            index += 1
            if byte == ASCII.lineFeed {
                line += 1
                lineStartOffset = baseOffset + index
            }
        }
        return false
    }

    private func continuesJSON(_ byte: UInt8, after bracket: UInt8) -> Bool {
        if options.leadingProseEndsAtObject { return bracket == ASCII.openBrace && byte == ASCII.quote }
        return bracket == ASCII.openBrace
            ? byte == ASCII.quote || byte == ASCII.closeBrace
            : byte == ASCII.closeBracket || startsValue(byte)
    }

    // MARK: - Structure

    private func startsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case ASCII.openBrace, ASCII.openBracket, ASCII.quote, ASCII.minus, ASCII.zero...ASCII.nine,
             ASCII.lowerT, ASCII.lowerF, ASCII.lowerN:
            return true
        default:
            return false
        }
    }

    /// Starts the value whose first byte is `byte`; containers are complete tokens at once.
    @inline(__always)
    private func beginValue(_ byte: UInt8, _ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) throws(JSONParseError) -> JSONToken? {
        let offset = baseOffset &+ index
        if depth > 0 {
            if !levels[depth &- 1].isObject { levels[depth &- 1].index &+= 1 }
        } else {
            rootStartOffset = offset
            acceptedTrailingCommas.removeAll()
        }
        switch byte {
        case ASCII.quote:
            beginString(isKey: false, at: index)
            index &+= 1
            return nil
        case ASCII.openBrace, ASCII.openBracket:
            let isObject = byte == ASCII.openBrace
            try pushLevel(isObject: isObject, at: index)
            mode = isObject ? .keyOrEnd : .elementOrEnd
            index &+= 1
            return JSONToken(kind: isObject ? .objectStart : .arrayStart, offset: offset, length: 1)
        case ASCII.minus, ASCII.zero...ASCII.nine:
            tokenStart = index
            // The common case: an integer whose end is in the buffer is complete at once.
            if byte != ASCII.minus && byte != ASCII.zero {
                var i = index &+ 1
                while i < end && ASCII.isDigit(bytes[i]) { i &+= 1 }
                if i < end && bytes[i] != ASCII.dot && bytes[i] | 0x20 != ASCII.lowerE {
                    index = i
                    return try finishNumber(endingAt: i)
                }
            }
            numberPhase = byte == ASCII.minus ? .minus : byte == ASCII.zero ? .zero : .integer
            mode = .number
            index &+= 1
            return nil
        case ASCII.lowerT, ASCII.lowerF, ASCII.lowerN:
            tokenStart = index
            literalScan.kind = byte == ASCII.lowerT ? .true : byte == ASCII.lowerF ? .false : .null
            literalScan.matched = 1
            mode = .literal
            index &+= 1
            return nil
        default:
            let expected = mode == .elementOrEnd ? "a value or ']'" : "a value"
            throw fail(.unexpectedByte(byte, expected: expected), at: index)
        }
    }

    private func pushLevel(isObject: Bool, at index: Int) throws(JSONParseError) {
        guard depth < options.maximumDepth else {
            throw fail(.depthLimitExceeded(limit: options.maximumDepth), at: index)
        }
        if depth == levelCapacity {
            levels = Self.grow(levels, count: depth, capacity: &levelCapacity, toHold: depth + 1)
        }
        let offset = baseOffset + index
        (levels + depth).initialize(to: Level(
            isObject: isObject, index: -1, keyStart: keyByteCount, keyEnd: -1,
            keyHasEscapes: false, completeEnd: offset + 1))
        depth += 1
    }

    @inline(__always)
    private func closeContainer(isObject: Bool, _ index: inout Int) -> JSONToken {
        assert(depth > 0 && index < count, "closing a container that is not open")
        let offset = baseOffset &+ index
        depth &-= 1
        keyByteCount = levels[depth].keyStart
        (levels + depth).deinitialize(count: 1)
        index &+= 1
        valueCompleted(endingAt: offset &+ 1)
        return JSONToken(kind: isObject ? .objectEnd : .arrayEnd, offset: offset, length: 1)
    }

    /// Bookkeeping after any complete value: the parent's member is complete, or the document is.
    @inline(__always)
    private func valueCompleted(endingAt endOffset: Int) {
        if depth > 0 {
            levels[depth &- 1].completeEnd = endOffset
            mode = .commaOrEnd
        } else {
            valueCount &+= 1
            rootEndOffset = endOffset
            mode = .afterValue
        }
    }

    // MARK: - Strings

    @inline(__always)
    private func beginString(isKey: Bool, at index: Int) {
        tokenStart = index
        stringScan.isKey = isKey
        stringScan.hasEscapes = false
        mode = .string
    }

    /// Scans string content; returns the token at the closing quote, `nil` at the end of the buffer.
    ///
    /// Plain text goes by words, whole escapes and whole UTF-8 sequences at a time; what a chunk
    /// boundary cuts, or what is invalid, goes byte by byte through ``scanStringByteByByte(_:from:_:)``,
    /// which keeps the state between pushes and reports every error at its offset.
    private func scanString(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) throws(JSONParseError) -> JSONToken? {
        var i = index
        defer { index = i }
        // A sequence, escape or surrogate pair that the previous chunk cut: most often the rest of
        // a UTF-8 sequence (non-Latin text in small chunks), finished here without a call.
        if stringScan.isInsideConstruct {
            i = try continueUTF8Sequence(bytes, from: i, end)
            if stringScan.isInsideConstruct { i = try scanStringByteByByte(bytes, from: i, end) }
        }
        while i < end {
            // The common case: a run of printable ASCII other than quote and backslash, a word at
            // a time (sixteen bytes per step in a longer run), up to the byte that needs attention.
            if i &+ 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                let special = Self.bytesNeedingAttention(word)
                // Out of line for a longer run, so that a short string does not pay for the
                // vector constants.
                i = special != 0 ? i &+ (special.trailingZeroBitCount &>> 3)
                    : Self.endOfPlainRun(bytes, from: i &+ 8, to: end, vectors: scansWithVectors)
            } else {
                // Near the end of the buffer (a small chunk): four bytes in one step, widened to
                // a word whose zero high half flags its fifth byte, so the step stops there.
                if i &+ 4 <= end {
                    let word = UInt64(UInt32(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt32.self)))
                    i &+= Self.bytesNeedingAttention(word).trailingZeroBitCount &>> 3
                }
                while i < end && Self.isPlainStringByte(bytes[i]) { i &+= 1 }
            }
            guard i < end else { break }
            let byte = bytes[i]
            if byte == ASCII.quote {
                i &+= 1
                return try finishString(endingAt: i)
            }
            if byte == ASCII.backslash {
                stringScan.hasEscapes = true
                if let next = Self.endOfEscape(bytes, at: i, end) {
                    i = next
                } else {
                    // Cut by the end of the buffer, or invalid: the state machine decides.
                    stringScan.escape = .backslash
                    i = try scanStringByteByByte(bytes, from: i &+ 1, end)
                }
            } else if byte < 0x20 {
                throw fail(.unescapedControlCharacter(byte), at: i)
            } else {
                i = try scanNonASCII(bytes, at: i, end)
            }
        }
        if let limit = options.maximumStringLength, i - tokenStart - 1 > limit {
            throw fail(.stringTooLong(limit: limit), at: tokenStart + 1 + limit)
        }
        return nil
    }

    /// The byte-level state machine of a string: continues the UTF-8 sequence, escape or
    /// surrogate pair in progress from `start` until it is complete (returning the index after
    /// it) or the buffer ends (returning `end`, the state kept for the next push).
    @inline(never)
    private func scanStringByteByByte(_ bytes: UnsafePointer<UInt8>, from start: Int, _ end: Int) throws(JSONParseError) -> Int {
        var i = start
        while i < end {
            if stringScan.utf8Remaining != 0 {
                try continueUTF8Sequence(bytes[i], at: i)
            } else if stringScan.escape != .none {
                try scanEscapeByte(bytes[i], at: i)
            } else if stringScan.expectsLowSurrogate {
                guard bytes[i] == ASCII.backslash else { throw fail(.unpairedSurrogate, at: stringScan.highSurrogateIndex) }
                stringScan.escape = .backslash
            } else {
                break
            }
            i &+= 1
        }
        return i
    }

    /// The next continuation byte of the UTF-8 sequence in progress, or an error at its first byte.
    @inline(__always)
    private func continueUTF8Sequence(_ byte: UInt8, at i: Int) throws(JSONParseError) {
        guard byte >= stringScan.utf8Lower && byte <= stringScan.utf8Upper else {
            throw fail(.invalidUTF8, at: i - Int(stringScan.utf8Length - stringScan.utf8Remaining))
        }
        stringScan.utf8Remaining &-= 1
        stringScan.utf8Lower = 0x80
        stringScan.utf8Upper = 0xBF
    }

    /// Printable ASCII other than `"` and `\`: a byte a string holds as it is.
    @inline(__always)
    static func isPlainStringByte(_ byte: UInt8) -> Bool {
        byte &- 0x20 < 0x60 && byte != ASCII.quote && byte != ASCII.backslash
    }

    /// At a backslash: the index after its escape when the whole escape is in `bytes[..<end]` and
    /// valid — a `\uD800`–`\uDBFF` escape only together with the low half that must follow it —
    /// else `nil`. The state machine reads the same escapes and rejects the rest.
    @inline(__always)
    static func endOfEscape(_ bytes: UnsafePointer<UInt8>, at i: Int, _ end: Int) -> Int? {
        guard i &+ 2 <= end else { return nil }
        switch bytes[i &+ 1] {
        case ASCII.quote, ASCII.backslash, ASCII.slash, 0x62 /* b */, ASCII.lowerF, ASCII.lowerN,
             0x72 /* r */, ASCII.lowerT:
            return i &+ 2
        case ASCII.lowerU:
            guard i &+ 6 <= end, let value = unicodeEscapeValue(bytes + (i &+ 2)) else { return nil }
            switch value {
            case 0xD800...0xDBFF:
                guard i &+ 12 <= end, bytes[i &+ 6] == ASCII.backslash, bytes[i &+ 7] == ASCII.lowerU,
                      let low = unicodeEscapeValue(bytes + (i &+ 8)), low >= 0xDC00 && low <= 0xDFFF else { return nil }
                return i &+ 12
            case 0xDC00...0xDFFF:
                return nil
            default:
                return i &+ 6
            }
        default:
            return nil
        }
    }

    /// The value of the four hexadecimal digits at `digits`, or `nil`.
    @inline(__always)
    static func unicodeEscapeValue(_ digits: UnsafePointer<UInt8>) -> UInt32? {
        guard let a = ASCII.hexValue(digits[0]), let b = ASCII.hexValue(digits[1]),
              let c = ASCII.hexValue(digits[2]), let d = ASCII.hexValue(digits[3]) else { return nil }
        return a << 12 | b << 8 | c << 4 | d
    }

    /// The high bit set in each byte of `word` (little-endian) that is a control character, `"`,
    /// a backslash or non-ASCII. Only the lowest flagged byte is exact (borrows may flag bytes above it),
    /// which is all the scanner uses.
    @inlinable @inline(__always)
    package static func bytesNeedingAttention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)        // '"'
        let backslashes = word ^ (ones &* 0x5C)   // '\\'
        let controls = (word &- ones &* 0x20) & ~word
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        return (controls | zeroQuote | zeroBackslash | word) & highBits
    }

    /// The distance from `index` to the first byte that needs attention (see
    /// ``bytesNeedingAttention(_:)-(UInt64)``) among the next eight, or with `vectors` on x86-64 the
    /// next 24 (one SSE2 mask after the word); `nil` when none does or fewer bytes are left.
    @inline(__always)
    static func firstByteNeedingAttention(_ bytes: UnsafePointer<UInt8>, at index: Int, _ end: Int, vectors: Bool) -> Int? {
        guard index &+ 8 <= end else { return nil }
        let special = bytesNeedingAttention(UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)))
        if special != 0 { return special.trailingZeroBitCount &>> 3 }
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel) && !PLANSTREAM_PORTABLE_SIMD
        if index &+ 24 <= end && vectors {
            let next = sse2AttentionMask(UnsafeRawPointer(bytes + (index &+ 8)))
            if next != 0 { return 8 &+ next.trailingZeroBitCount }
        }
        #endif
        return nil
    }

    /// The index of the first byte in `bytes[start..<end]` that needs attention (see
    /// ``bytesNeedingAttention(_:)-(UInt64)``), or `end`; sixteen bytes at a time with `vectors`,
    /// else eight, and the last few one by one.
    @inline(never)
    static func endOfPlainRun(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, vectors: Bool) -> Int {
        var i = start
        while vectors && i &+ 16 <= end {
            #if arch(x86_64) && canImport(_Builtin_intrinsics.intel) && !PLANSTREAM_PORTABLE_SIMD
            let special = sse2AttentionMask(UnsafeRawPointer(bytes + i))
            if special != 0 { return i &+ special.trailingZeroBitCount }
            #else
            let (low, high) = bytesNeedingAttention(UnsafeRawPointer(bytes + i).loadUnaligned(as: SIMD16<UInt8>.self))
            if low != 0 { return i &+ (low.trailingZeroBitCount &>> 3) }
            if high != 0 { return i &+ 8 &+ (high.trailingZeroBitCount &>> 3) }
            #endif
            i &+= 16
        }
        while i &+ 8 <= end {
            let special = bytesNeedingAttention(UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)))
            if special != 0 { return i &+ (special.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < end && isPlainStringByte(bytes[i]) { i &+= 1 }
        return i
    }

    /// At a byte of 0x80 or above in a string: reads whole sequences, and the plain bytes between
    /// them — sixteen bytes at a time in a run of non-Latin text, else in one tight loop — and
    /// returns where it stopped. A sequence that is invalid or cut by the end of the buffer goes to
    /// the state machine instead, byte by byte, which rejects it or waits for its end. Out of line:
    /// most strings are ASCII.
    @inline(never)
    private func scanNonASCII(_ bytes: UnsafePointer<UInt8>, at i: Int, _ end: Int) throws(JSONParseError) -> Int {
        var next = i
        // Blocks only where bytes i + 2 to i + 5 are non-ASCII too (the next character is): an
        // accented letter, a dash or an emoji in Latin text is one sequence, cheaper alone.
        if scansWithVectors && i &+ 16 <= end
            && UnsafeRawPointer(bytes + (i &+ 2)).loadUnaligned(as: UInt32.self) & 0x8080_8080 == 0x8080_8080 {
            next = Self.endOfValidTextInBlocks(bytes, from: i, to: end)
        }
        next = Self.endOfValidText(bytes, from: next, to: end)
        // Stopped at an ASCII byte, or at a sequence cut by the end of the buffer (a model's
        // token often ends inside a character) or invalid: that one byte by byte, here, as the
        // state machine reads it.
        guard next < end && bytes[next] >= 0x80 else { return next }
        try beginUTF8Sequence(bytes[next], at: next)
        return try continueUTF8Sequence(bytes, from: next &+ 1, end)
    }

    /// Reads the UTF-8 sequence in progress from `start` until it is whole or the buffer ends,
    /// and returns the index after the bytes it read.
    @inline(__always)
    private func continueUTF8Sequence(_ bytes: UnsafePointer<UInt8>, from start: Int, _ end: Int) throws(JSONParseError) -> Int {
        var i = start
        while stringScan.utf8Remaining != 0 && i < end {
            try continueUTF8Sequence(bytes[i], at: i)
            i &+= 1
        }
        return i
    }

    /// The index of the first byte in `bytes[start..<end]` that is neither printable ASCII other
    /// than `"` and `\` nor part of a complete, valid UTF-8 sequence (the table of
    /// ``utf8Sequence(startingWith:)``, which the state machine reads too) — or `end`. It stops earlier at
    /// an ASCII byte that no sequence follows at once: the caller's word-at-a-time scan is faster there.
    @inline(__always)
    package static func endOfValidText(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end {
            let lead = bytes[i]
            if lead < 0x80 {
                // Back to the caller's scan, eight bytes at a time, unless a sequence follows at once.
                guard lead &- 0x20 < 0x60 && lead != ASCII.quote && lead != ASCII.backslash, i &+ 1 < end, bytes[i &+ 1] >= 0x80 else { return i }
                i &+= 1
                continue
            }
            if i &+ 8 <= end {
                // The common sequences in one test each: three bytes (CJK, Hangul, Indic; two at
                // a time) and two bytes (accented Latin, Greek, Cyrillic, Hebrew, Arabic). Lead and
                // continuation bits, table 3-7.
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
                if word & 0x00C0_C0F0 == 0x0080_80E0 && Self.secondByteFitsLead(word) {
                    let isPair = word & 0xC0C0_F000_0000 == 0x8080_E000_0000 && Self.secondByteFitsLead(word &>> 24)
                    i &+= isPair ? 6 : 3
                    continue
                }
                if word & 0xC0E0 == 0x80C0 && lead >= 0xC2 {
                    i &+= 2
                    continue
                }
            }
            guard let (length, lower, upper) = utf8Sequence(startingWith: lead), i &+ length <= end else { return i }
            let second = bytes[i &+ 1]
            guard second >= lower && second <= upper else { return i }
            if length >= 3 {
                guard bytes[i &+ 2] & 0xC0 == 0x80 else { return i }
                if length == 4 {
                    guard bytes[i &+ 3] & 0xC0 == 0x80 else { return i }
                }
            }
            i &+= length
        }
        return i
    }

    /// Whether the three-byte sequence whose lead is the low byte of `word` has its second byte (the
    /// next one, a continuation byte) in the lead's range: A0–BF after E0, 80–9F after ED, bit 5
    /// telling them apart (table 3-7); any after the other leads.
    @inline(__always)
    static func secondByteFitsLead(_ word: UInt64) -> Bool {
        let lead = UInt8(truncatingIfNeeded: word)
        guard lead == 0xE0 || lead == 0xED else { return true }
        return (lead == 0xE0) == (word & 0x2000 != 0)
    }

    /// ``bytesNeedingAttention(_:)-(UInt64)`` for sixteen bytes at once, lane by lane (no borrows
    /// between bytes, so every flag is exact), as two little-endian words: bytes 0–7, then 8–15.
    @inline(__always)
    static func bytesNeedingAttention(_ bytes: SIMD16<UInt8>) -> (UInt64, UInt64) {
        highBits(quotesBackslashesAndControls(bytes) | bytes)
    }

    /// The length of the UTF-8 sequence that `lead` starts, and the range its second byte must
    /// fall in (the lead narrows it: no overlong forms, surrogates or code points above U+10FFFF;
    /// Unicode 15, table 3-7; the other continuation bytes are 80–BF). `nil` for a byte that
    /// starts no sequence. The one table both UTF-8 paths of the string scan read.
    @inline(__always)
    static func utf8Sequence(startingWith lead: UInt8) -> (length: Int, lower: UInt8, upper: UInt8)? {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80, 0xBF)
        case 0xE0: return (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE, 0xEF: return (3, 0x80, 0xBF)
        case 0xED: return (3, 0x80, 0x9F)
        case 0xF0: return (4, 0x90, 0xBF)
        case 0xF1...0xF3: return (4, 0x80, 0xBF)
        case 0xF4: return (4, 0x80, 0x8F)
        default: return nil
        }
    }

    /// Sets the expected continuation bytes for a UTF-8 lead byte, or rejects it.
    @inline(__always)
    private func beginUTF8Sequence(_ lead: UInt8, at i: Int) throws(JSONParseError) {
        guard let sequence = Self.utf8Sequence(startingWith: lead) else { throw fail(.invalidUTF8, at: i) }
        stringScan.utf8Length = UInt8(truncatingIfNeeded: sequence.length)
        stringScan.utf8Remaining = stringScan.utf8Length &- 1
        stringScan.utf8Lower = sequence.lower
        stringScan.utf8Upper = sequence.upper
    }

    private func scanEscapeByte(_ byte: UInt8, at i: Int) throws(JSONParseError) {
        if stringScan.escape == .backslash {
            if stringScan.expectsLowSurrogate && byte != ASCII.lowerU { throw fail(.unpairedSurrogate, at: stringScan.highSurrogateIndex) }
            switch byte {
            case ASCII.quote, ASCII.backslash, ASCII.slash, 0x62 /* b */, ASCII.lowerF, ASCII.lowerN,
                 0x72 /* r */, ASCII.lowerT:
                stringScan.escape = .none
            case ASCII.lowerU:
                stringScan.escape = .unicode0
                stringScan.unicodeValue = 0
            default:
                throw fail(.invalidEscape(byte), at: i)
            }
            return
        }
        guard let digit = ASCII.hexValue(byte) else { throw fail(.invalidUnicodeEscape, at: i) }
        stringScan.unicodeValue = stringScan.unicodeValue << 4 | digit
        switch stringScan.escape {
        case .unicode0: stringScan.escape = .unicode1; return
        case .unicode1: stringScan.escape = .unicode2; return
        case .unicode2: stringScan.escape = .unicode3; return
        default: stringScan.escape = .none   // the fourth digit
        }
        let escapeOffset = i - 5
        switch stringScan.unicodeValue {
        case 0xD800...0xDBFF:
            if stringScan.expectsLowSurrogate { throw fail(.unpairedSurrogate, at: stringScan.highSurrogateIndex) }
            stringScan.expectsLowSurrogate = true
            stringScan.highSurrogateIndex = escapeOffset
        case 0xDC00...0xDFFF:
            if !stringScan.expectsLowSurrogate { throw fail(.unpairedSurrogate, at: escapeOffset) }
            stringScan.expectsLowSurrogate = false
        default:
            if stringScan.expectsLowSurrogate { throw fail(.unpairedSurrogate, at: stringScan.highSurrogateIndex) }
        }
    }

    @inline(__always)
    private func finishString(endingAt end: Int) throws(JSONParseError) -> JSONToken {
        if end &- tokenStart &- 2 > stringLengthLimit {
            throw fail(.stringTooLong(limit: stringLengthLimit), at: tokenStart + 1 + stringLengthLimit)
        }
        let offset = baseOffset &+ tokenStart
        let length = end &- tokenStart
        if stringScan.isKey {
            setKey(rawStart: tokenStart &+ 1, rawEnd: end &- 1)
            mode = .colon
            return JSONToken(kind: .key, offset: offset, length: length, hasEscapes: stringScan.hasEscapes)
        }
        valueCompleted(endingAt: offset &+ length)
        return JSONToken(kind: .string, offset: offset, length: length, hasEscapes: stringScan.hasEscapes)
    }

    /// Records the innermost object's current key (raw bytes `storage[rawStart..<rawEnd]`).
    @inline(__always)
    private func setKey(rawStart: Int, rawEnd: Int) {
        assert(depth > 0 && levels[depth &- 1].isObject, "a key outside an object")
        assert(rawStart >= 0 && rawStart <= rawEnd && rawEnd <= count, "key bytes outside the buffer")
        let level = levels + (depth &- 1)
        let keyStart = level.pointee.keyStart
        let length = rawEnd &- rawStart
        let keyEnd = keyStart &+ length
        // 16 bytes of room past the key, for the copy below.
        if keyEnd &+ 16 > keyByteCapacity { growKeyBytes(to: keyEnd &+ 16) }
        if length <= 16 && rawStart &+ 16 <= count {
            // Most keys are short: two word copies rather than a call (bytes past the key, still
            // in the buffer, land past `keyEnd`, where nothing reads them).
            let source = UnsafeRawPointer(storage + rawStart)
            let target = UnsafeMutableRawPointer(keyBytes + keyStart)
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        } else {
            (keyBytes + keyStart).update(from: storage + rawStart, count: length)
        }
        keyByteCount = keyEnd
        level.pointee.keyEnd = keyEnd
        level.pointee.keyHasEscapes = stringScan.hasEscapes
        level.pointee.index &+= 1
    }

    @inline(never)
    private func growKeyBytes(to needed: Int) {
        keyBytes = Self.grow(keyBytes, count: keyByteCount, capacity: &keyByteCapacity, toHold: needed)
    }

    // MARK: - Numbers and literals

    /// Scans number bytes; the number is complete at the first byte that cannot continue it.
    private func scanNumber(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) throws(JSONParseError) -> JSONToken? {
        var i = index
        defer { index = i }
        var phase = numberPhase
        defer { numberPhase = phase }
        while i < end {
            let byte = bytes[i]
            let isDigit = ASCII.isDigit(byte)
            switch phase {
            case .integer, .fraction, .exponent:
                if isDigit {
                    // The rest of the run of digits without a turn of the phase switch per byte.
                    i &+= 1
                    while i < end && ASCII.isDigit(bytes[i]) { i &+= 1 }
                    continue
                }
            case .minus:
                if isDigit { phase = byte == ASCII.zero ? .zero : .integer; i &+= 1; continue }
                throw fail(.unexpectedByte(byte, expected: "a digit"), at: i)
            case .zero:
                if isDigit { throw fail(.leadingZero, at: i) }
            case .dot:
                if isDigit { phase = .fraction; i &+= 1; continue }
                throw fail(.unexpectedByte(byte, expected: "a digit after '.'"), at: i)
            case .exponentMark:
                if isDigit { phase = .exponent; i &+= 1; continue }
                if byte == ASCII.plus || byte == ASCII.minus { phase = .exponentSign; i &+= 1; continue }
                throw fail(.unexpectedByte(byte, expected: "a digit or sign in the exponent"), at: i)
            case .exponentSign:
                if isDigit { phase = .exponent; i &+= 1; continue }
                throw fail(.unexpectedByte(byte, expected: "a digit in the exponent"), at: i)
            }
            // A byte that is not a digit, after a part that may end here.
            if byte == ASCII.dot && (phase == .zero || phase == .integer) {
                phase = .dot
                i &+= 1
                continue
            }
            if (byte == ASCII.lowerE || byte == ASCII.upperE) && phase != .exponent {
                phase = .exponentMark
                i &+= 1
                continue
            }
            return try finishNumber(endingAt: i)
        }
        if let limit = options.maximumStringLength, i - tokenStart > limit {
            throw fail(.stringTooLong(limit: limit), at: tokenStart + limit)
        }
        return nil
    }

    private func finishNumber(endingAt end: Int) throws(JSONParseError) -> JSONToken {
        let offset = baseOffset &+ tokenStart
        let length = end &- tokenStart
        if length > stringLengthLimit {
            throw fail(.stringTooLong(limit: stringLengthLimit), at: tokenStart + stringLengthLimit)
        }
        valueCompleted(endingAt: offset &+ length)
        return JSONToken(kind: .number, offset: offset, length: length)
    }

    private func scanLiteral(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) throws(JSONParseError) -> JSONToken? {
        let text: StaticString = literalScan.kind == .true ? "true" : literalScan.kind == .false ? "false" : "null"
        let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        while index < end && literalScan.matched < expected.count {
            let byte = bytes[index]
            guard byte == expected[literalScan.matched] else {
                throw fail(.unexpectedByte(byte, expected: "'\(text)'"), at: index)
            }
            literalScan.matched += 1
            index += 1
        }
        guard literalScan.matched == expected.count else { return nil }
        let offset = baseOffset + tokenStart
        valueCompleted(endingAt: offset + expected.count)
        return JSONToken(kind: literalScan.kind, offset: offset, length: expected.count)
    }

    // MARK: - End of buffer and end of input

    /// At the end of the pushed bytes: `nil` while more can come, tested here without a call.
    @inline(__always)
    private func atEndOfBuffer(_ index: inout Int) throws(JSONParseError) -> JSONToken? {
        if !inputEnded && !inputCutAtLimit { return nil }
        return try endOfBuffer(&index)
    }

    /// At the end of the pushed bytes: wait for more, or, after ``endInput()``, finish the document.
    private func endOfBuffer(_ index: inout Int) throws(JSONParseError) -> JSONToken? {
        if inputCutAtLimit, let limit = options.maximumTotalBytes {
            throw fail(.inputTooLarge(limit: limit), at: index)
        }
        guard inputEnded else { return nil }
        switch mode {
        case .number where numberPhase.isComplete:
            return try finishNumber(endingAt: index)
        case .afterValue, .ignoringRest:
            return nil
        case .value where depth == 0 && options.allowsMultipleTopLevelValues:
            return nil
        case .value where depth == 0, .leadingProse:
            throw fail(.noValue, at: index)
        default:
            throw fail(.unexpectedEndOfInput(expected: expectation), at: index)
        }
    }

    /// What the scanner waits for, in words, for an unexpected end of input.
    private var expectation: String {
        switch mode {
        case .value, .element: return "a value"
        case .elementOrEnd: return "a value or ']'"
        case .key: return "a key"
        case .keyOrEnd: return "a key or '}'"
        case .colon: return "':'"
        case .commaOrEnd: return levels[depth - 1].isObject ? "',' or '}'" : "',' or ']'"
        case .string: return stringScan.isKey ? "the end of the key" : "the end of the string"
        case .number: return "a digit"
        case .literal:
            return literalScan.kind == .true ? "'true'" : literalScan.kind == .false ? "'false'" : "'null'"
        default: return "more input"
        }
    }

    // MARK: - Errors

    /// Puts the parser in its failed state and returns the error for the byte at buffer `index`.
    @inline(never)
    func fail(_ reason: JSONParseError.Reason, at index: Int) -> JSONParseError {
        fail(reason, offset: baseOffset + index, line: line, lineStart: lineStartOffset)
    }

    /// A trailing comma is reported where the comma is, which may be on an earlier line.
    @inline(never)
    private func acceptTrailingComma() throws(JSONParseError) {
        guard options.allowsTrailingCommas else {
            throw fail(.trailingComma, offset: lastComma.offset, line: lastComma.line, lineStart: lastComma.lineStart)
        }
        acceptedTrailingCommas.append(lastComma.offset)
    }

    private func fail(_ reason: JSONParseError.Reason, offset: Int, line: Int, lineStart: Int) -> JSONParseError {
        let error = JSONParseError(reason: reason, offset: offset, line: line,
                                   column: offset - lineStart + 1, path: currentPath)
        failure = error
        mode = .failed
        return error
    }
}
