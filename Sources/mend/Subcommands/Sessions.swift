// `mend sessions` (not built yet: says so and exits 2).
import ArgumentParser
import MendCore

struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List saved conversations.")
    func run() throws { throw Failure(message: "'mend sessions' is not built yet") }
}
