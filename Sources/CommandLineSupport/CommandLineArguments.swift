/// The argument reader `planstream` and `plan-bench` share: positionals, `--flag`, and
/// `--option value` / `--option=value`, with typed accessors that turn a bad value into a
/// ``UsageError`` naming the option. (The package has no dependencies, so no swift-argument-parser.)
///
/// ```swift
/// let arguments = try CommandLineArguments(["plan.json", "--chunk-size", "4"], valued: ["chunk-size"], switches: [])
/// try arguments.count("chunk-size", default: 4096)   // 4
/// ```
package struct CommandLineArguments {
    private(set) package var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Reads `arguments`; `valued` names the options that take a value, `switches` the flags.
    /// An option given twice keeps both values (``strings(_:)``); the accessors read the last.
    package init(_ arguments: some Sequence<String>, valued: Set<String>, switches: Set<String>) throws(UsageError) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else {
                positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switches.contains(name), inlineValue == nil {
                flags.insert(name)
            } else if valued.contains(name) {
                guard let value = inlineValue ?? iterator.next() else { throw UsageError("--\(name) needs a value") }
                values[name, default: []].append(value)
            } else {
                throw UsageError("unknown option --\(name)")
            }
        }
    }

    package func flag(_ name: String) -> Bool { flags.contains(name) }

    package func string(_ name: String) -> String? { values[name]?.last }

    package func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// A non-negative integer option, or `defaultValue` when absent.
    package func count(_ name: String, default defaultValue: Int) throws(UsageError) -> Int {
        try number(name) ?? defaultValue
    }

    /// A number ≥ 0 (`Int`, `Double`, …), or `nil` when the option is absent.
    package func number<Number: LosslessStringConvertible & Comparable & Numeric>(_ name: String) throws(UsageError) -> Number? {
        guard let text = string(name) else { return nil }
        guard let value = Number(text), value >= 0 else { throw UsageError("--\(name) needs a number ≥ 0, not '\(text)'") }
        return value
    }

    /// A comma-separated list of integers ≥ 0 (`--chunks 1,64,0`), or `nil` when absent.
    package func counts(_ name: String) throws(UsageError) -> [Int]? {
        guard let text = string(name) else { return nil }
        var list: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Int(item), value >= 0 else { throw UsageError("--\(name): '\(item)' is not a number ≥ 0") }
            list.append(value)
        }
        return list
    }

    /// The single positional argument, or a usage error naming `what`.
    package func single(_ what: String) throws(UsageError) -> String {
        guard positionals.count == 1 else { throw UsageError("expected one \(what), got \(positionals.count)") }
        return positionals[0]
    }
}

/// A command line the tool cannot follow: printed with the usage, exit status 2.
package struct UsageError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
