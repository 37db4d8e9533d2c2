// `mend eval-safety`: crisis detection measured on labelled lines (not built yet).
import ArgumentParser
import MendCore

struct EvalSafety: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval-safety", abstract: "Measure crisis detection on labelled lines.", shouldDisplay: false)
    @Argument var directory: String?
    func run() throws { throw Failure(message: "'mend eval-safety' is not built yet") }
}
