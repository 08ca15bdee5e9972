import Foundation

/// The `planstream` command line. Exit codes: 0 success, 1 invalid or incomplete input, 2 usage or I/O.
@main
enum PlanStreamCommand {
    static let usage = """
        usage:
        \(ReplayCommand.usage)
        \(ParserCommands.usage)
        \(PlanCommands.usage)
        \(RelayCommand.usage)
        \(StreamCommand.usage)
        """

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let rest = Array(arguments.dropFirst())
        do {
            let status: Int32
            switch arguments.first {
            case "validate": status = try ParserCommands.validate(rest)
            case "events": status = try ParserCommands.events(rest)
            case "plan": status = try PlanCommands.plan(rest)
            case "repair": status = try PlanCommands.repair(rest)
            case "replay": status = try ReplayCommand.run(rest)
            case "relay": status = try RelayCommand.run(rest)
            case "stream": status = try await StreamCommand.run(rest)
            case "help", "--help", "-h":
                print(usage)
                status = 0
            default:
                print(usage, to: &standardError)
                status = 2
            }
            exit(status)
        } catch {
            print("planstream: \(error)", to: &standardError)
            exit(2)
        }
    }
}
