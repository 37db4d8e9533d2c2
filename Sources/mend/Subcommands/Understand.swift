// `mend understand --set SET TEXT`: how the assistant reads one line, as JSON.
import ArgumentParser
import Foundation
import MendCore

struct Understand: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how the assistant reads one line, as JSON.",
        discussion: #"Example: mend understand --set breach "I didn't cheat, but I lied about where I was""#
    )

    @Option(help: ArgumentHelp("The set to read against: role, breach, relationship, stage, feeling or yesno.", valueName: "set"))
    var set: String

    @Flag(help: "Add the words that decided it.")
    var explain = false

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    @Argument(help: "The line to read.")
    var text: [String]

    func validate() throws {
        if Catalog.sets[set] == nil {
            throw ValidationError("unknown set '\(set)'; use one of: \(Catalog.setOrder.joined(separator: ", "))")
        }
        if text.isEmpty { throw ValidationError("give the line to read, e.g. mend understand --set role \"he lied to me\"") }
    }

    func run() throws {
        let dir = try Locate.dialogs(flag: self.dialogs)
        guard Locate.isDirectory(dir) else { throw Failure(message: "no dialogs folder at \(dir); pass --dialogs DIR or set MEND_DIALOGS") }
        let loaded = DialogLoader.loadReading(directory: dir)
        if let first = loaded.errors.first {
            throw Failure(message: "the dialogs in \(dir) have \(loaded.errors.count) error(s); fix them first (mend validate \(dir)). First: \(first)")
        }
        let line = text.joined(separator: " ")
        let reading = loaded.understanding.read(line, set: set)
        let crisis = loaded.safety.check(line)
        var object: [(String, String)] = [
            ("set", json(set)),
            ("label", reading.label.map(json) ?? "null"),
            ("confidence", String(format: "%.2f", reading.confidence)),
            ("crisis", crisis.map { json($0.category.rawValue) } ?? "null"),
        ]
        if let crisis { object.append(("crisis_action", json(crisis.certain ? "interrupt" : "ask"))) }
        if explain { object.append(("why", "[" + reading.evidence.map(json).joined(separator: ",") + "]")) }
        print("{" + object.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }
}

/// A JSON string literal.
func json(_ s: String) -> String {
    let data = try? JSONEncoder().encode(s)
    return data.flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
}
