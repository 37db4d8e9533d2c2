// `mend scripts`: browse the script library from the shell, by role and topic.
import ArgumentParser
import MendCore

struct Scripts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Browse the script library.",
        discussion: "Lists each script's topic, role, advice point, when to use it, and its variants. Words in [brackets] are filled in from the conversation."
    )

    @Option(help: ArgumentHelp("Only scripts for this role (shared scripts are shown for both).", valueName: "hurt|hurting"))
    var role: Role?

    @Option(help: ArgumentHelp("Only scripts on this topic.", valueName: "topic"))
    var topic: String?

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    func run() throws {
        let dialogs = try Locate.loadDialogs(flag: self.dialogs)
        let all = ScriptLibrary.scripts(in: dialogs)
        let topics = ScriptLibrary.topics(all)
        if let topic, !topics.contains(topic) {
            throw Failure(message: "no topic '\(topic)'; topics are: \(topics.joined(separator: ", "))")
        }
        let chosen = ScriptLibrary.filter(all, role: role, topic: topic)
        for (index, script) in chosen.enumerated() {
            if index > 0 { Terminal.write("") }
            let points = script.points.isEmpty ? "" : " · " + script.points.joined(separator: ", ")
            Terminal.write(Terminal.paint(Terminal.inert("\(script.topic) · \(script.role)\(points) (\(script.flow).\(script.node))"), "1"))
            Terminal.write(Terminal.wrap(Terminal.inert("when: " + ScriptLibrary.readable(script.when)), indent: "  ", hanging: "        "))
            for (n, variant) in script.variants.enumerated() {
                Terminal.write(Terminal.wrap(Terminal.inert(ScriptLibrary.readable(variant)), indent: "  \(n + 1). ", hanging: "     "))
            }
        }
        let variants = chosen.reduce(0) { $0 + $1.variants.count }
        Terminal.write("")
        Terminal.write("\(chosen.count) script(s), \(variants) variant(s)")
    }
}
