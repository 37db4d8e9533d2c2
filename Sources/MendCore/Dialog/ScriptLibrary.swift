// The script library: every script the flows can hand over, with its role, points and when-line, for browsing.

/// One script as written in a flow, before any slot is filled.
public struct LibraryScript: Sendable, Equatable {
    public var topic: String
    /// "hurt", "hurting", or "both" for a shared sub-flow.
    public var role: String
    public var flow: String
    public var node: String
    public var points: [String]
    public var when: String
    public var variants: [String]
}

public enum ScriptLibrary {
    /// Every script in the dialogs: role flows first (hurt, hurting), then shared flows; nodes in file order.
    public static func scripts(in dialogs: Dialogs) -> [LibraryScript] {
        let order: (Flow) -> (Int, String) = { flow in
            switch flow.role {
            case .hurt: return (0, flow.id)
            case .hurting: return (1, flow.id)
            case nil: return (2, flow.id)
            }
        }
        let flows = dialogs.flows.values.sorted { order($0) < order($1) }
        return flows.flatMap { flow in
            flow.nodes.compactMap { node -> LibraryScript? in
                guard let script = node.script else { return nil }
                return LibraryScript(topic: script.topic, role: flow.role?.rawValue ?? "both", flow: flow.id, node: node.id,
                                     points: node.points, when: script.when.text, variants: script.variants.map(\.text))
            }
        }
    }

    /// The topics in library order, each once.
    public static func topics(_ scripts: [LibraryScript]) -> [String] {
        var seen: Set<String> = []
        return scripts.map(\.topic).filter { seen.insert($0).inserted }
    }

    /// Scripts for a role (shared ones count for both roles) and a topic; nil means any.
    public static func filter(_ scripts: [LibraryScript], role: Role?, topic: String?) -> [LibraryScript] {
        scripts.filter { script in
            (role == nil || script.role == role!.rawValue || script.role == "both") && (topic == nil || script.topic == topic)
        }
    }

    /// A template as a writer would read it unfilled: `{name}` -> `[name]`, `{breach.did-me|"..."}` -> `[breach]`.
    public static func readable(_ template: String) -> String {
        guard case let .success(pieces) = TemplateParser.parse(template) else { return template }
        return readable(pieces)
    }

    static func readable(_ pieces: [Piece]) -> String {
        pieces.map { piece -> String in
            switch piece {
            case let .text(s): return s
            case let .optional(inner): return readable(inner)
            case let .hole(hole):
                if let slot = hole.slots.first { return "[\(slot)]" }
                if case let .literal(s)? = hole.parts.first { return s }
                return ""
            }
        }.joined()
    }
}
