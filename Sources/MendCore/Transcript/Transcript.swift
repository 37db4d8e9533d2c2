// A saved conversation read as turns: who said what, which steps /back undid, what was kept, where it stands.
import Foundation

/// The log's events grouped into turns, with the history `/back` needs rebuilt from the state snapshots.
public struct Transcript: Sendable {
    /// One line the user typed and what came back (or, first, the greeting; or a resume marker).
    public struct Entry: Sendable, Equatable {
        /// `course`: a command that changes the conversation's course (/restart, /role, /resources), shown but not an answer.
        public enum Kind: Sendable, Equatable { case opening, answer, course, command, resumed }
        public var kind: Kind
        public var time: String?
        public var text: String?
        public var outputs: [Output] = []
        public var crisis: [CrisisReading] = []
        public var kept: [GivenScript] = []
        /// A later `/back` (or a resume at an earlier step) took this step back.
        public var undone = false
        /// Indices into `events` of what belongs to this entry.
        public var events: [Int] = []

        /// How each answer was read, for the JSON export.
        public var understood: [Reading] { outputs.compactMap { if case let .understood(r) = $0 { return r } else { return nil } } }

        /// Shown in a transcript for people: the greeting, answers, and the commands that change course.
        public var shown: Bool { !undone && kind != .command }
    }

    public let events: [LogEvent]
    public private(set) var entries: [Entry] = []
    /// The states `/back` can return to; the last is where the conversation stands.
    public private(set) var history: [State] = []
    public private(set) var kept: [GivenScript] = []
    /// Per event index: whether a later `/back` undid it (the JSON export marks these).
    public private(set) var undoneEvents: Set<Int> = []

    public var start: LogEvent? { events.first { $0.type == .start } }
    public var finalState: State? { history.last }
    /// The fingerprint of the dialogs last used with this conversation.
    public var fingerprint: String? { events.last { $0.fingerprint != nil }?.fingerprint }
    /// Answers that still stand (commands and undone steps are not counted).
    public var answers: Int { entries.filter { $0.kind == .answer && !$0.undone }.count }

    public init(events: [LogEvent]) {
        self.events = events
        // owner[k] is the entry whose answer made history step k+1, so a pop below it marks it undone.
        var owner: [Int?] = []
        for (index, event) in events.enumerated() {
            switch event.type {
            case .start:
                continue
            case .user:
                let kind: Entry.Kind
                switch Command.parse(event.text ?? "") {
                case nil: kind = .answer
                case .restart?, .role?, .resources?: kind = .course
                default: kind = .command
                }
                entries.append(Entry(kind: kind, time: event.time, text: event.text, events: [index]))
                continue
            case .resume:
                entries.append(Entry(kind: .resumed, time: event.time, events: [index]))
                continue
            default:
                break
            }
            if entries.isEmpty { entries.append(Entry(kind: .opening, time: event.time)) }
            let current = entries.count - 1
            entries[current].events.append(index)
            switch event.type {
            case .assistant:
                entries[current].outputs += event.outputs ?? []
            case .crisis:
                if let c = event.crisis { entries[current].crisis.append(c) }
            case .kept:
                if let script = event.script {
                    entries[current].kept.append(script)
                    if !kept.contains(script) { kept.append(script) }
                }
            case .undo:
                if event.depth == nil, history.count > 1 { pop(to: history.count - 1, &owner) }
            case .state:
                guard let state = event.state else { break }
                let depth = event.depth ?? (history.isEmpty ? 1 : history.count + (state != history.last ? 1 : 0))
                if depth <= 0 { break }
                if depth < history.count { pop(to: depth, &owner) }
                if depth > history.count {
                    while history.count < depth - 1 { history.append(state); owner.append(nil) }
                    history.append(state)
                    owner.append([.answer, .course].contains(entries[current].kind) ? current : nil)
                } else {
                    history[depth - 1] = state
                }
            default:
                break
            }
        }
        for entry in entries where entry.undone { undoneEvents.formUnion(entry.events) }
    }

    /// Takes history back to `depth` steps, marking the answers that made the later ones undone.
    private mutating func pop(to depth: Int, _ owner: inout [Int?]) {
        guard depth < history.count else { return }
        for k in depth..<owner.count { if let e = owner[k] { entries[e].undone = true } }
        owner.removeLast(owner.count - depth)
        history.removeLast(history.count - depth)
    }
}
