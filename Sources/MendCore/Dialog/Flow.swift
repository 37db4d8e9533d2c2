// The flow model: named nodes that say things, ask, offer choices, hand over scripts, call sub-flows and end.

/// The two people `mend` talks with.
public enum Role: String, Sendable, Codable, CaseIterable {
    case hurt, hurting
}

/// The closed label lists of CONTENT.md. They are the program's interface (`mend understand`, the JSON
/// transcript), so they are fixed here; everything a writer tunes about them lives in `dialogs/`.
public enum Catalog {
    public static let sets: [String: [String]] = [
        "role": ["hurt", "hurting"],
        "breach": ["lie", "broken-promise", "emotional-neglect", "secrecy", "disloyalty", "infidelity", "mental-health"],
        "relationship": ["partner", "friend", "family", "coworker"],
        "stage": ["just-happened", "repairing", "stuck", "considering-leaving"],
        "feeling": ["angry", "sad", "confused", "scared", "numb", "guilty", "hopeful"],
        "yesno": ["yes", "no", "unsure"],
    ]
    public static let setOrder = ["role", "breach", "relationship", "stage", "feeling", "yesno"]
    public static let crisisCategories = ["self-harm", "harm-others", "abuse"]
}

/// A text with `{slot}` holes, kept with where it was written.
public struct Template: Sendable, Equatable {
    public var text: String
    public var place: Place
    public init(_ text: String, place: Place) {
        self.text = text
        self.place = place
    }
}

/// A condition on slots, written `stage is stuck or considering-leaving`, `name is known`, `feeling is not angry`.
public struct Condition: Sendable, Equatable {
    public var slot: String
    public var negated: Bool
    /// Empty means "is known" (any value).
    public var values: [String]
    public var source: String
    public var place: Place

    public func holds(in slots: [String: String]) -> Bool {
        let value = slots[slot]
        let matches: Bool
        if values.isEmpty {
            matches = value != nil && value != ""
        } else {
            matches = value.map { values.contains($0) } ?? false
        }
        return negated ? !matches : matches
    }
}

/// Where to go next: a node of this flow, or `flow.node` / `flow` in another.
public struct Target: Sendable, Equatable, Hashable {
    public var flow: String?
    public var node: String
    public var place: Place

    public static func == (a: Target, b: Target) -> Bool { a.flow == b.flow && a.node == b.node }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(flow)
        hasher.combine(node)
    }
}

public struct Branch: Sendable, Equatable {
    public var condition: Condition
    public var target: Target
}

public struct Choice: Sendable, Equatable {
    public var text: Template
    /// The label of the node's `read` set that this choice stands for, so free text can pick it.
    public var label: String?
    public var target: Target
    /// Slots this choice fills, e.g. `{role: hurt}`.
    public var fills: [String: String]
    /// Phrases that mean this choice in free text ("checking his phone" for the doubt topic).
    public var means: [String] = []
}

/// What a free-text answer should speak of, and what to say when it speaks of something else instead.
public struct Expectation: Sendable, Equatable {
    public var set: String
    public var instead: String
    public var say: Template
}

/// A free-text question.
public struct Ask: Sendable, Equatable {
    /// The CONTENT.md set the answer is read against, or nil to keep the words as they are.
    public var set: String?
    /// The slot that receives the label (or the words).
    public var slot: String
    /// Another slot that keeps the user's own words, when `set` is given.
    public var keep: String?
    /// Other sets that the same answer may also fill when it says so clearly.
    public var also: [String]
    /// Label → where to go.
    public var routes: [String: Target]
    /// Where each route's label was written, for diagnostics.
    public var routePlaces: [String: Place] = [:]
    /// Where to go otherwise (and after a second miss).
    public var next: Target?
    /// A text answer may be skipped with "skip" or an empty line when true.
    public var optional: Bool
    /// Openings dropped from a text answer so a script can quote it ("I will call" -> "call").
    public var trim: [String] = []
    /// Openings that mean the answer is not this slot's kind ("my ..." is not a first name); the slot stays empty.
    public var unless: [String] = []
    /// A slot that receives what the person did, retold as "you ..." (dialogs/understanding/retell.yaml),
    /// when the answer says it plainly enough; emptied otherwise.
    public var retell: String?
    /// An answer that reads as `instead` (a feeling) and says nothing of `set` (what was done) is asked
    /// about once more with `say`: "i feel awful" is not what they did.
    public var expect: Expectation?
    /// The answer is a person's name: openings trimmed ("his name is"), capitalised, a few words at most.
    public var name = false
    /// Openings that mark this question's answer when it is typed earlier, at a choice ("I will ..." at "Go on"):
    /// the sentence from the opening on fills the slot (trimmed as an answer here is), and `kept` says so.
    public var anywhere: [String] = []
    /// Said back when `anywhere` took the answer at a choice.
    public var kept: Template?
    /// Said once when the answer opens with an `unless` word ("it just came out" where a promise was asked).
    public var again: Template?
    /// The answer is what the user did, said by them: "told the boss" is kept as "I told the boss".
    public var firstPerson = false
    /// The answer will be said to the person it is about: "I lied to my wife" is kept as "I lied to you".
    public var saidToThem = false
    /// Endings dropped from the answer, as `trim` drops openings: "be honest from now on" where the script already
    /// says "From now on, I will".
    public var trimEnd: [String] = []
}

public struct ScriptTemplate: Sendable, Equatable {
    public var topic: String
    public var when: Template
    public var variants: [Template]
}

/// What a node does after it has spoken.
public enum Action: Sendable, Equatable {
    case next(Target)
    case choices([Choice], read: String?)
    case ask(Ask)
    case call(flow: String, then: Target?)
    /// Hand control back to the flow that called this one (or end when none did).
    case back
    case end
    /// Let the user draft an apology, check it, and come back until it is clean.
    case checkApology(slot: String, next: Target)
}

public struct Node: Sendable, Equatable {
    public var id: String
    public var place: Place
    public var when: [Branch]
    public var fills: [String: String]
    public var say: [Template]
    public var points: [String]
    public var script: ScriptTemplate?
    public var action: Action
    /// Repair content, never shown to someone who disclosed abuse.
    public var repair: Bool
    /// Show the help lines (for the crisis noticed, or all) after the words.
    public var resources: Bool = false
    /// With choices: where to go when a reply cannot be read as any of them, instead of asking again
    /// (a safety question takes an unclear answer as "not sure").
    public var otherwise: Target?
    /// With choices: where a second reply that picks none of them goes, so nobody is asked a third time. Without it
    /// the engine goes where every choice goes, if they agree, else takes the first choice.
    public var fallback: Target?
}

public struct Flow: Sendable, Equatable {
    public var id: String
    public var role: Role?
    public var title: String
    public var start: String
    /// Nodes in file order.
    public var nodes: [Node]
    public var place: Place
    /// A flow made of repair content (default true for role flows).
    public var repair: Bool

    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }
}
