// `mend scripts` (not built yet: says so and exits 2).
import ArgumentParser
import MendCore

struct Scripts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Browse the script library.")
    func run() throws { throw Failure(message: "'mend scripts' is not built yet") }
}
