// One line of a saved conversation's log.
import Foundation

/// An event in a conversation's append-only log. Every field but `type` is optional; see README "Saved data".
public struct LogEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case start, user, assistant, state, undo, kept, crisis, resume
    }
    public var type: Kind
    public var time: String?
    public var text: String?
    public var outputs: [Output]?
    public var state: State?
    public var script: GivenScript?
    public var crisis: CrisisReading?
    public var role: String?
    public var fingerprint: String?
    public var version: Int?
    /// On `state`: how many steps `/back` could pop after this one (the history's length).
    public var depth: Int?
    /// On `resume`: the conversation this file continues, when it is a recovered copy of a damaged one.
    public var from: String?
    /// On `resume`: where the damaged file stopped being readable, as `file:line`.
    public var damage: String?
    /// On `resume`: the step it picked up at is an earlier one, because the dialogs changed.
    public var movedBack: Bool?

    public init(type: Kind, time: String? = nil, text: String? = nil, outputs: [Output]? = nil, state: State? = nil,
                script: GivenScript? = nil, crisis: CrisisReading? = nil, role: String? = nil, fingerprint: String? = nil,
                version: Int? = nil, depth: Int? = nil, from: String? = nil, damage: String? = nil, movedBack: Bool? = nil) {
        self.type = type
        self.time = time
        self.text = text
        self.outputs = outputs
        self.state = state
        self.script = script
        self.crisis = crisis
        self.role = role
        self.fingerprint = fingerprint
        self.version = version
        self.depth = depth
        self.from = from
        self.damage = damage
        self.movedBack = movedBack
    }

    /// The log format's version, written on every `start` event.
    public static let formatVersion = 1
}
