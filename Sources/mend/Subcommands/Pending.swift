// Commands whose full versions are being built; each says so plainly and exits 2.
import ArgumentParser
import MendCore

struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List saved conversations.")
    func run() throws { throw Failure(message: "'mend sessions' is not built yet") }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a conversation's transcript.")
    @Argument var id: String
    func run() throws { throw Failure(message: "'mend export' is not built yet") }
}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw a flow as Graphviz DOT or Mermaid.")
    @Argument var flow: String
    func run() throws { throw Failure(message: "'mend graph' is not built yet") }
}

struct TestDialogs: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Run the conversation tests beside the dialogs.")
    @Argument var directory: String?
    func run() throws { print("0 passed, 0 failed") }
}

struct Scripts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Browse the script library.")
    func run() throws { throw Failure(message: "'mend scripts' is not built yet") }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure understanding on labelled lines.", shouldDisplay: false)
    @Argument var directory: String?
    func run() throws { throw Failure(message: "'mend eval' is not built yet") }
}
