// `mend graph FLOW`: a flow as Graphviz DOT or Mermaid, for writers to see its shape.
import ArgumentParser
import Foundation
import MendCore

extension FlowGraph.Format: ExpressibleByArgument {}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a flow as Graphviz DOT or Mermaid.",
        discussion: "e.g. mend graph hurting | dot -Tsvg > hurting.svg"
    )

    @Argument(help: "The flow's id (e.g. hurt, hurting, start).")
    var flow: String

    @Option(help: "dot or mermaid.")
    var format: FlowGraph.Format = .dot

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    func run() throws {
        let loaded = try Locate.loadDialogs(flag: dialogs)
        guard let found = loaded.flows[flow] else {
            throw Failure(message: "no flow called '\(flow)'; flows: \(loaded.flows.keys.sorted().joined(separator: ", "))")
        }
        print(FlowGraph.render(found, format: format), terminator: "")
    }
}
