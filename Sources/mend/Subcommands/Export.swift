// `mend export` (not built yet: says so and exits 2).
import ArgumentParser
import MendCore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a conversation's transcript.")
    @Argument var id: String
    func run() throws { throw Failure(message: "'mend export' is not built yet") }
}
