// `mend eval` (not built yet: says so and exits 2).
import ArgumentParser
import MendCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure understanding on labelled lines.", shouldDisplay: false)
    @Argument var directory: String?
    func run() throws { throw Failure(message: "'mend eval' is not built yet") }
}
