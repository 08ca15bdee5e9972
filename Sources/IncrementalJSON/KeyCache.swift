/// The keys a tree builder met recently, so that a key the document repeats (every day of a plan
/// has `"title"`) is made a `String` once, not once per object. Keys of up to 16 bytes without
/// escapes are cached, compared as two words; a hit costs a few instructions, a miss one `String`.
struct KeyCache {
    private struct Entry {
        var words: (UInt64, UInt64)
        var count: Int
        var key: String
    }

    private static var slotCount: Int { 64 }
    /// Allocated at the first key: a builder of a scalar needs none.
    private var slots: [Entry?] = []

    /// The key whose raw bytes (between the quotes) are `raw`.
    mutating func key(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) -> String {
        guard !hasEscapes, raw.count <= 16, !raw.isEmpty else {
            return JSONStringDecoding.decode(raw, hasEscapes: hasEscapes)
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: raw) }
        let mixed = (words.0 ^ words.1 &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        // Two ways per set: two keys that share a set and alternate (in every activity) both
        // stay. The first way keeps the first key; later ones take turns in the second.
        let slot = Int(truncatingIfNeeded: mixed >> 58) & (Self.slotCount - 2)
        if slots.isEmpty { slots = [Entry?](repeating: nil, count: Self.slotCount) }
        if let entry = slots[slot], entry.count == raw.count, entry.words == words { return entry.key }
        if let entry = slots[slot + 1], entry.count == raw.count, entry.words == words { return entry.key }
        let key = String(decoding: raw, as: UTF8.self)
        slots[slots[slot] == nil ? slot : slot + 1] = Entry(words: words, count: raw.count, key: key)
        return key
    }
}
