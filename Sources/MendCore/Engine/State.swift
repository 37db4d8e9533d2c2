// The engine's value types: where the conversation is, what it knows, what comes in and what goes out.

/// A place in a flow. The stack's last frame is where the conversation is.
public struct Frame: Sendable, Equatable, Hashable, Codable {
    public var flow: String
    public var node: String
    public init(flow: String, node: String) {
        self.flow = flow
        self.node = node
    }
}

/// A script handed to the user: the words, filled in, and when to use them.
public struct GivenScript: Sendable, Equatable, Codable {
    public var topic: String
    public var text: String
    public var when: String
    public var node: String
    public var points: [String]
    public init(topic: String, text: String, when: String, node: String, points: [String]) {
        self.topic = topic
        self.text = text
        self.when = when
        self.node = node
        self.points = points
    }
}

/// The assistant did not understand an answer and offered the set's labels as numbered choices.
public struct Clarify: Sendable, Equatable, Codable {
    public var set: String
    public var labels: [String]
    public var misses: Int
}

/// Everything the engine knows at one moment. A value: `/back` is "use the previous one".
public struct State: Sendable, Equatable, Codable {
    /// What safety learned, which neither /back nor /restart undoes: someone is unsafe, used violence, is young,
    /// described control, or has taken something.
    public static let safetyKeys = ["unsafe", "violence", "minor", "control", "urgent"]
    public var stack: [Frame] = []
    public var slots: [String: String] = [:]
    public var clarify: Clarify?
    /// Misses on the current choice question, so a second one gets a gentler word.
    public var misses: Int = 0
    public var given: [GivenScript] = []
    public var ended: Bool = false
    /// Picks script variants; fixed per conversation so replays agree.
    public var seed: UInt64 = 0
    public var turn: Int = 0
    /// Nodes entered, for "what was covered".
    public var points: [String] = []
    /// The last line that told what happened (it filled a set by the way), for a question skipped because
    /// that line already answered it: its words are still kept and retold.
    public var told: String?

    public init(seed: UInt64 = 0) { self.seed = seed }

    public var current: Frame? { stack.last }
    public var role: Role? { slots["role"].flatMap(Role.init(rawValue:)) }
}

public enum Event: Sendable, Equatable {
    /// Begin at the role question, or straight at a role's flow.
    case begin(role: Role?)
    /// A line the user typed (not a command).
    case input(String)
    case restart
    /// `/role`, with an optional role name or description.
    case switchRole(String?)
    case showResources
    case help
}

/// What the engine asks the terminal (or a test) to show.
public enum Output: Sendable, Equatable, Codable {
    case say(String)
    case choices([String])
    case script(GivenScript)
    case helpLines([HelpLine], region: String?)
    case apology([ApologyFlag])
    case notice(String)
    /// For the transcript: how a line was read.
    case understood(Reading)
    /// For the transcript: crisis language noticed.
    case crisis(CrisisReading)
    case ended
}
