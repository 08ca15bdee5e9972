// Equality and hashing without recursion: Swift's synthesized ones recurse once per level, and a
// tree's depth comes from its input (up to JSONValue.maximumDepth).

extension JSONValue {
    /// Whether two trees are equal: the same kinds, scalars and members (objects in any order).
    /// Cost: O(size), iterative.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        var pending = [(lhs, rhs)]
        while let (left, right) = pending.popLast() {
            switch (left, right) {
            case (.null, .null):
                continue
            case (.bool(let a), .bool(let b)):
                if a != b { return false }
            case (.number(let a), .number(let b)):
                if a != b { return false }
            case (.string(let a), .string(let b)):
                if a != b { return false }
            case (.array(let a), .array(let b)):
                guard a.count == b.count else { return false }
                pending.append(contentsOf: zip(a, b))
            case (.object(let a), .object(let b)):
                guard a.count == b.count else { return false }
                for (key, value) in a {
                    guard let other = b[key] else { return false }
                    pending.append((value, other))
                }
            default:
                return false
            }
        }
        return true
    }

    /// Hashes the tree consistently with ``==(_:_:)`` (an object's members in any order).
    /// Cost: O(size), iterative: each container's hash is built from its children's, bottom-up.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(Self.treeHash(self))
    }

    /// The hash of a whole tree, computed in post-order with an explicit stack.
    private static func treeHash(_ root: JSONValue) -> Int {
        enum Step {
            case visit(JSONValue)
            /// Combine the last `count` results into an array's hash.
            case array(count: Int)
            /// Combine the last `keys.count` results, one per key, into an object's hash.
            case object(keys: [String])
        }
        var steps: [Step] = [.visit(root)]
        var results: [Int] = []
        while let step = steps.popLast() {
            switch step {
            case .visit(let value):
                var hasher = Hasher()
                switch value {
                case .null: hasher.combine(0)
                case .bool(let bool): hasher.combine(1); hasher.combine(bool)
                case .number(let number): hasher.combine(2); hasher.combine(number)
                case .string(let string): hasher.combine(3); hasher.combine(string)
                case .array(let elements):
                    steps.append(.array(count: elements.count))
                    steps.append(contentsOf: elements.reversed().lazy.map(Step.visit))
                    continue
                case .object(let members):
                    steps.append(.object(keys: members.keys))
                    steps.append(contentsOf: members.reversed().lazy.map { Step.visit($0.value) })
                    continue
                }
                results.append(hasher.finalize())
            case .array(let count):
                var hasher = Hasher()
                hasher.combine(4)
                hasher.combine(count)
                for element in results.suffix(count) { hasher.combine(element) }
                results.removeLast(count)
                results.append(hasher.finalize())
            case .object(let keys):
                // Order-independent, as the members are: a commutative sum of per-member hashes.
                var sum = 0
                for (key, valueHash) in zip(keys, results.suffix(keys.count)) {
                    var member = Hasher()
                    member.combine(key)
                    member.combine(valueHash)
                    sum &+= member.finalize()
                }
                results.removeLast(keys.count)
                var hasher = Hasher()
                hasher.combine(5)
                hasher.combine(keys.count)
                hasher.combine(sum)
                results.append(hasher.finalize())
            }
        }
        return results[0]
    }
}
