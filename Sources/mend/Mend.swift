// The `mend` command: a thin shell of subcommands over MendCore.
import ArgumentParser
import Foundation
import MendCore

@main
struct Mend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mend",
        abstract: "Talk through a breach of trust and leave with words you can say.",
        discussion: """
        Runs entirely on this machine. Nothing you type leaves it. mend is not therapy and not an \
        emergency service; type /resources in a conversation for help lines.
        """,
        subcommands: [Chat.self, Sessions.self, Export.self, Validate.self, Graph.self, TestDialogs.self,
                      Understand.self, CheckApology.self, Scripts.self, Eval.self, EvalSafety.self],
        defaultSubcommand: Chat.self
    )

    /// Exit codes per INTERFACE.md: usage problems are 2 with one line on stderr, not ArgumentParser's 64.
    static func main() {
        do {
            // The program's name is left out by index (removing it would make the runtime look up a conformance).
            if let quick = Understand.quick(CommandLine.arguments, from: 1) {
                try Understand.respond(set: quick.set, line: quick.line, explain: quick.explain, dialogs: quick.dialogs, thenExit: true)
                return
            }
            var command = try parseAsRoot(resumeDefaulted(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as Failure {
            Terminal.error(failure.message)
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
            Terminal.error("\(message) (see 'mend --help')")
            Foundation.exit(2)
        }
    }
}

/// `--resume` may stand alone (the latest conversation): give it the value "latest" so the parser sees one.
func resumeDefaulted(_ args: [String]) -> [String] {
    var out: [String] = []
    for (i, arg) in args.enumerated() {
        out.append(arg)
        if arg == "--resume" && (i + 1 == args.count || args[i + 1].hasPrefix("-")) { out.append("latest") }
    }
    return out
}

/// An error with a one-line message a user can act on, and the exit status it means.
struct Failure: Error {
    var message: String
    var code: Int32 = 2
}
