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
        try Understand.respond(set: set, line: text.joined(separator: " "), explain: explain, dialogs: dialogs)
    }

    /// The plain form `mend understand --set SET [--explain] [--dialogs DIR] TEXT...`, read without the
    /// argument parser so the command starts fast; nil for anything else (the parser then explains).
    /// `from`: where the arguments start in `arguments`.
    static func quick(_ arguments: [String], from start: Int = 0) -> (set: String, line: String, explain: Bool, dialogs: String?)? {
        guard start < arguments.count, arguments[start] == "understand" else { return nil }
        // Indices and plain concatenation: generic slices and `joined` would make the runtime look up conformances.
        var set: String?, dialogs: String?, explain = false, line = "", words = 0
        var i = start + 1
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            switch arg {
            case "--set", "--dialogs":
                guard i < arguments.count else { return nil }
                if arg == "--set" { set = arguments[i] } else { dialogs = arguments[i] }
                i += 1
            case "--explain": explain = true
            default:
                if arg.hasPrefix("--set=") { set = String(arg.dropFirst(6)) } else if arg.hasPrefix("--dialogs=") { dialogs = String(arg.dropFirst(10)) } else if arg.hasPrefix("-") { return nil } else {
                    if words > 0 { line += " " }
                    line += arg
                    words += 1
                }
            }
        }
        guard let set, Catalog.setOrder.contains(set), words > 0 else { return nil }
        return (set, line, explain, dialogs)
    }

    /// `thenExit` ends the process right after printing, sparing the time to free what was loaded.
    static func respond(set: String, line: String, explain: Bool, dialogs: String?, thenExit: Bool = false) throws {
        let dir = try Locate.dialogs(flag: dialogs)
        guard Locate.isDirectory(dir) else { throw Failure(message: "no dialogs folder at \(dir); pass --dialogs DIR or set MEND_DIALOGS") }
        // The role reader also uses the breach cues as acts; a line a set's rules have no word for is read
        // for feeling too (a feeling put another way is not a breach).
        let sets: Set<String> = set == "role" ? ["role", "breach", "feeling"] : [set, "feeling"]
        Locate.sayWhenTeaching(dialogs: dir)
        let loaded = DialogLoader.loadReading(directory: dir, cache: Locate.cache(), sets: sets, line: line, read: [set, "feeling"])
        if let first = loaded.errors.first {
            throw Failure(message: "the dialogs in \(dir) have \(loaded.errors.count) error(s); fix them first (mend validate \(dir)). First: \(first)")
        }
        let reading = loaded.understanding.read(line, set: set, asked: true)
        let crisis = loaded.safety.check(line)
        // Plain concatenation (no tuples, `map` or `joined`): each generic use costs the runtime a look-up at start.
        func list(_ texts: [String]) -> String {
            var out = "["
            for (i, text) in texts.enumerated() {
                if i > 0 { out += "," }
                out += json(text)
            }
            return out + "]"
        }
        var object = "{\"set\":" + json(set) + ",\"label\":" + (reading.label.map(json) ?? "null")
            + ",\"confidence\":" + twoDecimals(reading.confidence) + ",\"crisis\":" + (crisis.map { json($0.category.rawValue) } ?? "null")
        if let crisis { object += ",\"crisis_action\":" + json(crisis.certain ? "interrupt" : "ask") }
        if explain { object += ",\"why\":" + list(reading.evidence) }
        if explain, let crisis { object += ",\"crisis_why\":" + list(crisis.evidence) }
        // Written whole with write(2), not print: print takes its items as `Any` and asks the runtime how each one
        // prints. Nothing else has gone to standard output, so no buffered text can come after it.
        var bytes = Array((object + "}\n").utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes = bytes.dropFirst(n)
        }
        if thenExit {
            fflush(nil)
            Foundation.exit(0)
        }
    }
}

/// "0.82": like `String(format: "%.2f")` for a confidence (0 to 1, already rounded), without Foundation's formatter.
func twoDecimals(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let part = hundredths % 100
    return "\(hundredths / 100).\(part < 10 ? "0" : "")\(part)"
}

/// A JSON string literal, written as Foundation's JSONEncoder writes one (`"`, `\\` and `/` escaped, the control
/// characters as `\b \t \n \f \r` or `\u00xx`, everything else as it is), without starting the encoder.
func json(_ s: String) -> String {
    var out: [UInt8] = [34]
    out.reserveCapacity(s.utf8.count + 2)
    let hex = Array("0123456789abcdef".utf8)
    for b in s.utf8 {
        switch b {
        case 34, 47, 92: out += [92, b]
        case 8: out += [92, 98]
        case 9: out += [92, 116]
        case 10: out += [92, 110]
        case 12: out += [92, 102]
        case 13: out += [92, 114]
        case 0..<32: out += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
        default: out.append(b)
        }
    }
    out.append(34)
    return String(decoding: out, as: UTF8.self)
}
