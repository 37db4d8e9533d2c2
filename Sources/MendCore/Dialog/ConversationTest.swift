// Conversation tests beside the dialogs: plain-text transcripts (`*.convo`) replayed through `Conversation`.
import Foundation

/// One `.convo` file: a header (role, region, seed) and the lines the user types with what must come back.
public struct ConversationTest: Sendable {
    public enum Check: Sendable {
        /// `< text`: a line of the assistant's answer contains it (in order within the answer).
        case says(String)
        /// `<~ regex`: a line of the answer matches it.
        case matches(String)
        /// `<! text`: no line of the answer contains it.
        case never(String)
        /// `? slot is value`: a condition on what the conversation knows, as in a flow's `when`.
        case knows(Condition)
        /// `@ flow.node` or `@ node`: where the conversation is now.
        case at(String)
        /// `+ point`: the advice point has been given by now.
        case covered(String)
    }
    public enum Step: Sendable {
        case type(String, line: Int)
        case check(Check, line: Int, source: String)
    }

    public var file: String
    public var title: String?
    public var role: Role?
    public var region: String?
    public var seed: UInt64 = 0
    public var steps: [Step] = []

    static let headerKeys = ["title", "role", "region", "seed"]

    /// Parses a test file; every problem is a diagnostic with its line and column.
    public static func parse(_ text: String, file: String) -> (ConversationTest, [Diagnostic]) {
        var test = ConversationTest(file: file)
        var problems: [Diagnostic] = []
        func problem(_ line: Int, _ column: Int, _ message: String) {
            problems.append(Diagnostic(file: file, line: line, column: column, message: message))
        }
        let reader = YAMLReader(file: file)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = line.count - line.drop { $0 == " " || $0 == "\t" }.count
            // The marker is the run of <, >, ~, !, ?, @, + at the start; the text follows one space.
            let marker = String(trimmed.prefix { "<>~!?@+".contains($0) })
            let rest = String(trimmed.dropFirst(marker.count))
            let body = rest.hasPrefix(" ") ? String(rest.dropFirst()) : rest
            let column = indent + 1
            if marker.isEmpty {
                guard let colon = trimmed.firstIndex(of: ":") else {
                    problem(number, column, "a line starts with '>' (what the user types), '<', '<~', '<!' (what the assistant says), '?', '@' or '+', or is a header 'key: value'")
                    continue
                }
                let key = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                guard test.steps.isEmpty else {
                    problem(number, column, "the header ('\(key): ...') goes before the conversation starts")
                    continue
                }
                switch key {
                case "title": test.title = value
                case "role":
                    guard let role = Role(rawValue: value) else {
                        problem(number, column + key.count + 2, "unknown role '\(value)'; roles are: hurt, hurting")
                        continue
                    }
                    test.role = role
                case "region": test.region = value.uppercased()
                case "seed":
                    guard let seed = UInt64(value) else {
                        problem(number, column + key.count + 2, "the seed should be a whole number, e.g. 'seed: 3'")
                        continue
                    }
                    test.seed = seed
                default:
                    let hint = closest(key, in: headerKeys).map { " (did you mean '\($0)'?)" } ?? ""
                    problem(number, column, "unknown header '\(key)'\(hint); headers: \(headerKeys.joined(separator: ", "))")
                }
                continue
            }
            if !rest.isEmpty && !rest.hasPrefix(" ") {
                problem(number, column + marker.count, "put one space after '\(marker)'")
                continue
            }
            let check: Check
            switch marker {
            case ">":
                test.steps.append(.type(body, line: number))
                continue
            case "<": check = .says(body)
            case "<~":
                do { _ = try NSRegularExpression(pattern: body) } catch {
                    problem(number, column + 3, "'\(body)' is not a regular expression")
                    continue
                }
                check = .matches(body)
            case "<!": check = .never(body)
            case "?":
                let node = Yams.Node.scalar(.init(body, .implicit, .plain, nil))
                guard let condition = FlowLoader.condition(node, reader: reader) else {
                    problem(number, column + 2, "a check reads '? slot is value', '? slot is not value' or '? slot is known'")
                    continue
                }
                check = .knows(condition)
            case "@": check = .at(body)
            case "+": check = .covered(body)
            default:
                problem(number, column, "unknown marker '\(marker)'; markers: >, <, <~, <!, ?, @, +")
                continue
            }
            if body.isEmpty && marker != "<!" {
                problem(number, column, "'\(marker)' needs some text after it")
                continue
            }
            test.steps.append(.check(check, line: number, source: line.trimmingCharacters(in: .whitespaces)))
        }
        if test.steps.isEmpty { problem(1, 1, "no conversation in this file: add '> what the user types' and '< what the assistant says'") }
        return (test, problems)
    }

    /// Why a test failed: where, what was expected, and the assistant's lines around it.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var expected: String
        /// The user's line this answer came after, with its line number (nil for the opening).
        public var after: (text: String, line: Int)?
        /// The assistant's lines of that answer, and the index of the first one not matched yet.
        public var actual: [String]
        public var cursor: Int
        public var forbidden: Bool

        public static func == (a: Failure, b: Failure) -> Bool { a.description == b.description }

        /// A diff-like report: the lines that matched, `-` what was expected, `+` what came instead.
        public var description: String {
            var out = ["FAIL \(file):\(line)"]
            if let after { out.append("    > \(after.text)    (line \(after.line))") } else { out.append("    (the opening, before anything was typed)") }
            if forbidden {
                for (i, text) in actual.enumerated() {
                    out.append(i == cursor ? "    - \(expected)" : "      \(text)")
                    if i == cursor { out.append("    + \(text)") }
                }
                return out.joined(separator: "\n")
            }
            for (i, text) in actual.enumerated() where i < cursor { out.append("      \(text)") }
            out.append("    - \(expected)")
            if cursor < actual.count {
                out.append("    + \(actual[cursor])")
                for text in actual[(cursor + 1)...] { out.append("      \(text)") }
            } else {
                out.append("    + (nothing more was said)")
            }
            return out.joined(separator: "\n")
        }
    }

    /// Replays the conversation; nil when every check held, else the first failure.
    public func run(with dialogs: Dialogs) -> Failure? {
        var conversation = Conversation(engine: Engine(dialogs: dialogs), seed: seed, region: region)
        let opening = conversation.begin(role: role)
        var lines = PlainLines.lines(opening.outputs, messages: dialogs.messages)
        var cursor = 0
        var after: (text: String, line: Int)?
        func fail(_ line: Int, _ expected: String, cursor: Int, forbidden: Bool = false) -> Failure {
            Failure(file: file, line: line, expected: expected, after: after, actual: lines, cursor: cursor, forbidden: forbidden)
        }
        for step in steps {
            switch step {
            case let .type(text, line):
                let turn = conversation.handle(text)
                lines = PlainLines.lines(turn.outputs, messages: dialogs.messages)
                cursor = 0
                after = (text, line)
            case let .check(check, line, source):
                switch check {
                case let .says(text):
                    guard let found = lines[cursor...].firstIndex(where: { $0.contains(text) }) else { return fail(line, text, cursor: cursor) }
                    cursor = found + 1
                case let .matches(pattern):
                    let regex = try? NSRegularExpression(pattern: pattern)
                    guard let found = lines[cursor...].firstIndex(where: { l in
                        regex?.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)) != nil
                    }) else { return fail(line, "/\(pattern)/", cursor: cursor) }
                    cursor = found + 1
                case let .never(text):
                    if let found = lines.firstIndex(where: { !text.isEmpty && $0.contains(text) } ) {
                        return fail(line, "(must not say) \(text)", cursor: found, forbidden: true)
                    }
                    if text.isEmpty && !lines.isEmpty { return fail(line, "(must say nothing)", cursor: 0, forbidden: true) }
                case let .knows(condition):
                    if !condition.holds(in: conversation.state.slots) {
                        let slots = conversation.state.slots.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                        return Failure(file: file, line: line, expected: source, after: after, actual: ["(known: \(slots))"], cursor: 0, forbidden: false)
                    }
                case let .at(place):
                    let frame = conversation.state.current
                    let here = frame.map { "\($0.flow).\($0.node)" } ?? "(nowhere)"
                    if !(here == place || frame?.node == place) {
                        return Failure(file: file, line: line, expected: source, after: after, actual: ["@ \(here)"], cursor: 0, forbidden: false)
                    }
                case let .covered(point):
                    if !conversation.state.points.contains(point) {
                        let given = conversation.state.points.joined(separator: ", ")
                        return Failure(file: file, line: line, expected: source, after: after, actual: ["(points given: \(given.isEmpty ? "none" : given))"], cursor: 0, forbidden: false)
                    }
                }
            }
        }
        return nil
    }
}

/// The assistant's outputs as the plain lines a terminal without colour shows (what tests compare against).
public enum PlainLines {
    public static func lines(_ outputs: [Output], messages: Messages) -> [String] {
        var out: [String] = []
        func add(_ text: String, indent: String = "") {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) { out.append(indent + line) }
        }
        for output in outputs {
            switch output {
            case let .say(text), let .notice(text): add(text)
            case let .choices(choices):
                for (i, c) in choices.enumerated() { add(c, indent: "  \(i + 1). ") }
            case let .script(script):
                add(messages.text("script-given"))
                add("“" + script.text + "”", indent: "    ")
                add(script.when, indent: "    ")
            case let .helpLines(lines, _):
                for line in lines {
                    var text = "\(line.name): \(line.contact)"
                    if !line.hours.isEmpty { text += " (\(line.hours))" }
                    if !line.audience.isEmpty { text += " - \(line.audience)" }
                    add(text, indent: "  * ")
                }
            case let .apology(flags):
                for flag in flags {
                    add(flag.quote.isEmpty ? flag.why : "\"\(flag.quote)\": \(flag.why)", indent: "  - ")
                    add(flag.better, indent: "    ")
                }
            case .understood, .crisis, .ended:
                break
            }
        }
        return out
    }
}

/// A run of many test files: the failures, the malformed files, and the counts.
public struct ConversationTestRun: Sendable {
    public var passed: [String] = []
    public var failures: [ConversationTest.Failure] = []
    public var malformed: [Diagnostic] = []
    public var summary: String { "\(passed.count) passed, \(failures.count) failed" }

    /// Finds `*.convo` files under a folder (sorted), or takes one file.
    public static func files(at path: String) -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return [] }
        if !isDir.boolValue { return [path] }
        let names = (FileManager.default.subpaths(atPath: path) ?? []).filter { $0.hasSuffix(".convo") }.sorted()
        return names.map { (path as NSString).appendingPathComponent($0) }
    }

    public static func run(files: [String], with dialogs: Dialogs) -> ConversationTestRun {
        var result = ConversationTestRun()
        for file in files {
            let shown = displayPath(URL(fileURLWithPath: file))
            guard let text = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
                result.malformed.append(Diagnostic(file: shown, line: 1, column: 1, message: "cannot read this file as UTF-8 text"))
                continue
            }
            let (test, problems) = ConversationTest.parse(text, file: shown)
            if !problems.isEmpty {
                result.malformed += problems
                continue
            }
            if let failure = test.run(with: dialogs) { result.failures.append(failure) } else { result.passed.append(shown) }
        }
        return result
    }
}

import Yams
