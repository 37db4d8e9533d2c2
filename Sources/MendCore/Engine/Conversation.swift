// A conversation: the engine's states over time (so /back is a pop), the kept scripts, and the commands.
import Foundation

/// A slash command typed in a conversation.
public enum Command: Sendable, Equatable {
    case help, back, restart, role(String?), scripts, save, export(format: String?, path: String?), resources, quit
    case unknown(String)

    /// Every command, for completion and help. The words a user types are the interface (INTERFACE.md).
    public static let names = ["/help", "/role", "/back", "/restart", "/scripts", "/save", "/export", "/resources", "/quit"]

    /// Parses a line that starts with "/"; nil when it is not a command.
    public static func parse(_ line: String) -> Command? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/"), trimmed.count > 1 else { return nil }
        let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        switch parts[0].lowercased() {
        case "/help", "/?": return .help
        case "/back", "/undo": return .back
        case "/restart": return .restart
        case "/role": return .role(rest)
        case "/scripts": return .scripts
        case "/save": return .save
        case "/resources", "/help-lines": return .resources
        case "/quit", "/exit", "/bye": return .quit
        case "/export":
            let words = rest?.split(separator: " ", maxSplits: 1).map(String.init) ?? []
            let formats = ["md", "json", "txt", "html"]
            if let first = words.first, formats.contains(first.lowercased()) {
                return .export(format: first.lowercased(), path: words.count > 1 ? words[1] : nil)
            }
            return .export(format: nil, path: rest)
        default: return .unknown(parts[0])
        }
    }
}

/// What one line produced: what to show, what to write to the log, and whether the shell has work to do.
public struct Turn: Sendable {
    public var outputs: [Output] = []
    public var events: [LogEvent] = []
    public var quit = false
    public var export: (format: String?, path: String?)?
}

public struct Conversation: Sendable {
    public let engine: Engine
    /// States after each answered step; the last is the present. `/back` pops.
    public private(set) var history: [State]
    public private(set) var kept: [GivenScript] = []

    public init(engine: Engine, seed: UInt64, region: String?) {
        self.engine = engine
        var state = State(seed: seed)
        state.slots["region"] = region
        history = [state]
    }

    /// Continues from saved states (the last is the present).
    public init(engine: Engine, history: [State], kept: [GivenScript]) {
        self.engine = engine
        self.history = history.isEmpty ? [State()] : history
        self.kept = kept
    }

    public var state: State { history[history.count - 1] }

    public mutating func begin(role: Role?) -> Turn {
        let (next, outputs) = engine.step(state, .begin(role: role))
        history[history.count - 1] = next
        var turn = Turn(outputs: outputs)
        turn.events.append(LogEvent(type: .assistant, outputs: outputs))
        turn.events.append(LogEvent(type: .state, state: next, depth: history.count))
        return turn
    }

    /// Words for rebuilding trust: an apology, or a script from a repair node of any flow.
    func isRepair(_ script: GivenScript) -> Bool {
        script.topic == "apology" || engine.dialogs.flows.values.contains { flow in flow.node(script.node)?.repair == true }
    }

    /// Handles one line the user typed: a command or an answer.
    public mutating func handle(_ line: String) -> Turn {
        var turn = Turn()
        turn.events.append(LogEvent(type: .user, text: line))
        guard let command = Command.parse(line) else {
            apply(.input(line), into: &turn, undoable: true)
            return turn
        }
        let messages = engine.dialogs.messages
        let words = engine.dialogs.words
        func notice(_ key: String) {
            turn.outputs.append(.notice(words.render(messages.text(key, variant: state.turn), slots: state.slots)))
        }
        switch command {
        case .help: apply(.help, into: &turn, undoable: false)
        case .resources: apply(.showResources, into: &turn, undoable: false)
        case .restart: apply(.restart, into: &turn, undoable: true)
        case let .role(text): apply(.switchRole(text), into: &turn, undoable: true)
        case .back:
            if history.count > 1 {
                var gone = history.removeLast()
                // A reply that was not understood asked the same question again: going back skips those, so each
                // /back reaches another question.
                while history.count > 1, history[history.count - 1].stack == gone.stack, history[history.count - 1].clarify?.set == gone.clarify?.set,
                      history[history.count - 1].ended == gone.ended {
                    let same = history.removeLast()
                    for key in State.safetyKeys where gone.slots[key] == nil { gone.slots[key] = same.slots[key] }
                }
                // What the user disclosed about their safety is not undone by going back a step.
                for key in State.safetyKeys where gone.slots[key] != nil { history[history.count - 1].slots[key] = gone.slots[key] }
                turn.events.append(LogEvent(type: .undo))
                notice("undone")
                turn.outputs += replay(state)
                turn.events.append(LogEvent(type: .state, state: state, depth: history.count))
            } else {
                notice("nothing-to-undo")
            }
        case .save:
            if let last = state.given.last {
                if !kept.contains(last) { kept.append(last) }
                turn.events.append(LogEvent(type: .kept, script: last))
                notice("script-saved")
            } else {
                notice("no-script-to-save")
            }
        case .scripts:
            // After abuse, words for rebuilding trust kept earlier are set aside here (the export still holds them).
            let unsafe = state.slots["unsafe"] == "yes"
            let shown = unsafe ? kept.filter { !isRepair($0) } : kept
            if kept.isEmpty {
                notice("no-scripts-kept")
            } else {
                if !shown.isEmpty {
                    notice("scripts-kept")
                    turn.outputs += shown.map { .script($0) }
                }
                if shown.count < kept.count { notice(state.slots["violence"] == "yes" ? "scripts-set-aside-violence" : "scripts-set-aside") }
            }
        case let .export(format, path):
            turn.export = (format, path)
        case .quit:
            turn.quit = true
        case let .unknown(name):
            let hint = closest(name, in: Command.names).map { " Did you mean \($0)?" } ?? ""
            turn.outputs.append(.notice("\(name) is not a command.\(hint) Type /help to see what you can do."))
        }
        // Commands that step the engine logged their outputs already; the others log theirs here, once.
        if !turn.outputs.isEmpty && !turn.events.contains(where: { $0.type == .assistant }) {
            turn.events.append(LogEvent(type: .assistant, outputs: turn.outputs))
        }
        return turn
    }

    private mutating func apply(_ event: Event, into turn: inout Turn, undoable: Bool) {
        let (next, outputs) = engine.step(state, event)
        if undoable && next != state {
            history.append(next)
        } else {
            history[history.count - 1] = next
        }
        turn.outputs += outputs
        for case let .crisis(reading) in outputs { turn.events.append(LogEvent(type: .crisis, crisis: reading)) }
        turn.events.append(LogEvent(type: .assistant, outputs: outputs))
        turn.events.append(LogEvent(type: .state, state: next, depth: history.count))
    }

    /// What to show after /back or a resume: the question the user is now at, asked again.
    public func replay(_ state: State) -> [Output] {
        guard let frame = state.current, let node = engine.dialogs.node(frame) else { return [] }
        var out: [Output] = node.say.map { .say(engine.dialogs.words.render($0.text, slots: state.slots)) }
        if let clarify = state.clarify {
            out.append(.choices(clarify.labels.map { engine.dialogs.understanding.title(of: $0, in: clarify.set) }))
        } else if case let .choices(choices, _) = node.action {
            out.append(.choices(choices.map { engine.dialogs.words.render($0.text.text, slots: state.slots) }))
        }
        return out
    }
}
