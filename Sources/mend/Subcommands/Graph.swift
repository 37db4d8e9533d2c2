// `mend graph` (not built yet: says so and exits 2).
import ArgumentParser
import MendCore

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw a flow as Graphviz DOT or Mermaid.")
    @Argument var flow: String
    func run() throws { throw Failure(message: "'mend graph' is not built yet") }
}
