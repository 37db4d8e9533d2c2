// The JSON export: every event with its time, undone steps marked, answers with the labels they were read as.
import Foundation

/// The document `mend export --format json` writes. Schema "mend-transcript", version 1 (README "Saved data").
struct ExportJSON: Encodable {
    static let version = 1

    struct Damage: Encodable {
        var file: String
        var line: Int
        var reason: String
    }

    /// One output, flattened: `kind` says which fields are present.
    struct Out: Encodable {
        var kind: String
        var text: String?
        var items: [String]?
        var script: GivenScript?
        var lines: [HelpLine]?
        var region: String?
        var flags: [ApologyFlag]?
        var reading: Reading?
        var crisis: CrisisReading?

        init(_ output: Output) {
            switch output {
            case let .say(t): kind = "say"; text = t
            case let .notice(t): kind = "notice"; text = t
            case let .choices(c): kind = "choices"; items = c
            case let .script(s): kind = "script"; script = s
            case let .helpLines(l, r): kind = "help-lines"; lines = l; region = r
            case let .apology(f): kind = "apology"; flags = f
            case let .understood(r): kind = "understood"; reading = r
            case let .crisis(c): kind = "crisis"; crisis = c
            case .ended: kind = "ended"
            }
        }
    }

    struct Event: Encodable {
        var n: Int
        var type: String
        var time: String?
        var undone: Bool
        var text: String?
        var understood: [Reading]?
        var outputs: [Out]?
        var node: String?
        var depth: Int?
        var state: State?
        var script: GivenScript?
        var crisis: CrisisReading?
        var role: String?
        var fingerprint: String?
        var logVersion: Int?
        var from: String?
        var damage: String?
        var movedBack: Bool?
    }

    var format = "mend-transcript"
    var version = ExportJSON.version
    var id: String
    var started: String?
    var role: String?
    var damage: Damage?
    var answers: Int
    var kept: [GivenScript]
    var events: [Event]

    init(_ source: ExportSource) {
        let t = source.transcript
        id = source.id
        started = t.start?.time
        role = t.finalState?.slots["role"] ?? t.start?.role
        damage = source.damage.map { Damage(file: $0.file, line: $0.line, reason: $0.reason) }
        answers = t.answers
        kept = t.kept
        // The labels an answer was read as come in the assistant events of the same turn.
        var understoodFor: [Int: [Reading]] = [:]
        for entry in t.entries where entry.kind != .opening && entry.kind != .resumed {
            if let first = entry.events.first, !entry.understood.isEmpty { understoodFor[first] = entry.understood }
        }
        events = t.events.enumerated().map { i, e in
            Event(n: i + 1, type: e.type.rawValue, time: e.time, undone: t.undoneEvents.contains(i), text: e.text,
                  understood: e.type == .user ? (understoodFor[i] ?? []) : nil,
                  outputs: e.outputs.map { $0.map(Out.init) },
                  node: e.state?.current.map { $0.flow + "." + $0.node }, depth: e.depth, state: e.state,
                  script: e.script, crisis: e.crisis, role: e.role, fingerprint: e.fingerprint, logVersion: e.version,
                  from: e.from, damage: e.damage, movedBack: e.movedBack)
        }
    }

    static func render(_ source: ExportSource) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(ExportJSON(source)) else { return "{}\n" }
        return escapeInvisible(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// JSON already escapes C0 controls; DEL, C1 controls and bidi overrides are escaped too, so that
    /// printing the file on a terminal can never run an escape sequence.
    static func escapeInvisible(_ json: String) -> String {
        var out = ""
        for scalar in json.unicodeScalars {
            switch scalar.value {
            case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
