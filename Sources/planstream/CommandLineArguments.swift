/// A minimal reader for `planstream`'s arguments: positionals, `--flag` and `--option value`.
/// (The package has no dependencies, so no swift-argument-parser.)
struct CommandLineArguments {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var positionals: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    private var repeated: [String: [String]] = [:]

    /// Reads `arguments`; `valued` names the options that take a value, `switches` the flags.
    init(_ arguments: some Sequence<String>, valued: Set<String>, switches: Set<String>) throws {
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
                guard let value = inlineValue ?? iterator.next() else {
                    throw UsageError(description: "--\(name) needs a value")
                }
                options[name] = value
                repeated[name, default: []].append(value)
            } else {
                throw UsageError(description: "unknown option --\(name)")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func string(_ name: String) -> String? { options[name] }

    func strings(_ name: String) -> [String] { repeated[name] ?? [] }

    /// A non-negative integer option, or `defaultValue` when absent.
    func count(_ name: String, default defaultValue: Int) throws -> Int {
        guard let text = options[name] else { return defaultValue }
        guard let value = Int(text), value >= 0 else {
            throw UsageError(description: "--\(name) needs a non-negative integer, not '\(text)'")
        }
        return value
    }

    /// The single positional argument, or a usage error naming `what`.
    func single(_ what: String) throws -> String {
        guard positionals.count == 1 else {
            throw UsageError(description: "expected one \(what), got \(positionals.count)")
        }
        return positionals[0]
    }
}
