// Turns one flow file (YAML) into a Flow, reporting every problem with its place.
import Yams

enum FlowLoader {
    static let flowKeys = ["flow", "role", "title", "start", "repair", "nodes"]
    static let nodeKeys = ["say", "when", "set", "point", "points", "script", "next", "choices", "read", "otherwise", "default",
                           "ask", "call", "then", "back", "end", "repair", "apology", "resources"]

    static func load(text: String, file: String, reader: YAMLReader) -> Flow? {
        // Plain (every scalar text; `reader.bool` reads true/false): several times faster, and flows are read at every start.
        guard let root = reader.parse(text, plain: true) else { return nil }
        guard let pairs = reader.mapping(root, what: "a flow file", allowed: flowKeys, required: ["flow", "start", "nodes"]) else { return nil }
        var id = "", title = "", start = "", role: Role?, repair: Bool?
        var nodes: [Node] = []
        for (key, keyNode, value) in pairs {
            switch key {
            case "flow":
                id = reader.string(value, what: "flow") ?? ""
                if !isIdentifier(id) { reader.error(value, "flow id '\(id)' should be lower-case words joined by '-'") }
            case "role":
                if let text = reader.string(value, what: "role") {
                    role = Role(rawValue: text)
                    if role == nil { reader.error(value, "unknown role '\(text)'; roles are: hurt, hurting") }
                }
            case "title": title = reader.string(value, what: "title") ?? ""
            case "start": start = reader.string(value, what: "start") ?? ""
            case "repair": repair = reader.bool(value, what: "repair")
            case "nodes":
                guard let named = reader.namedMapping(value, what: "nodes") else { break }
                for (nodeId, nodeKey, body) in named {
                    if !isIdentifier(nodeId) {
                        reader.error(nodeKey, "node id '\(nodeId)' should be lower-case words joined by '-'")
                    }
                    if let node = loadNode(id: nodeId, keyNode: nodeKey, body: body, reader: reader) {
                        nodes.append(node)
                    }
                }
            default: _ = keyNode
            }
        }
        let isRepair = repair ?? (role != nil)
        let marked = nodes.map { node -> Node in
            var node = node
            node.repair = node.repair || (isRepair && node.script != nil)
            return node
        }
        return Flow(id: id, role: role, title: title, start: start, nodes: marked, place: reader.place(root), repair: isRepair)
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" || $0 == "_" }
            && s.first!.isLetter
    }

    static func target(_ node: Yams.Node?, what: String, reader: YAMLReader) -> Target? {
        guard let node, let text = reader.string(node, what: what) else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            return Target(flow: parts[0], node: parts[1], place: reader.place(node))
        }
        return Target(flow: nil, node: text, place: reader.place(node))
    }

    static func templates(_ node: Yams.Node?, what: String, reader: YAMLReader) -> [Template] {
        guard let node else { return [] }
        switch node {
        case let .scalar(s): return [Template(s.string, place: reader.place(node))]
        case let .sequence(seq):
            return seq.compactMap { item in reader.string(item, what: what).map { Template($0, place: reader.place(item)) } }
        default:
            reader.error(node, "\(what) should be text or a list of texts")
            return []
        }
    }

    static func fills(_ node: Yams.Node?, reader: YAMLReader) -> [String: String] {
        var result: [String: String] = [:]
        for (key, _, value) in reader.namedMapping(node, what: "set") ?? [] {
            result[key] = reader.string(value, what: "the value of '\(key)'")
        }
        return result
    }

    /// `stage is stuck or considering-leaving`, `name is known`, `name is unknown`, `feeling is not angry`.
    static func condition(_ node: Yams.Node, reader: YAMLReader) -> Condition? {
        guard let text = reader.string(node, what: "if") else { return nil }
        let words = text.split(separator: " ").map(String.init)
        guard words.count >= 3, words[1] == "is" else {
            reader.error(node, "a condition reads '<slot> is <value>', '<slot> is not <value>' or '<slot> is known'; got '\(text)'")
            return nil
        }
        var rest = Array(words.dropFirst(2))
        var negated = false
        if rest.first == "not" { negated = true; rest.removeFirst() }
        if rest == ["known"] { return Condition(slot: words[0], negated: negated, values: [], source: text, place: reader.place(node)) }
        if rest == ["unknown"] { return Condition(slot: words[0], negated: !negated, values: [], source: text, place: reader.place(node)) }
        var values: [String] = []
        for (index, word) in rest.enumerated() {
            if index % 2 == 1 {
                if word != "or" {
                    reader.error(node, "join values with 'or' in '\(text)'")
                    return nil
                }
            } else {
                values.append(word)
            }
        }
        guard !values.isEmpty else {
            reader.error(node, "the condition '\(text)' names no value")
            return nil
        }
        return Condition(slot: words[0], negated: negated, values: values, source: text, place: reader.place(node))
    }

    static func loadNode(id: String, keyNode: Yams.Node, body: Yams.Node, reader: YAMLReader) -> Node? {
        guard let pairs = reader.mapping(body, what: "node '\(id)'", allowed: nodeKeys) else { return nil }
        var node = Node(id: id, place: reader.place(keyNode), when: [], fills: [:], say: [], points: [], script: nil, action: .end, repair: false)
        var next: Target?, then: Target?, choices: [Choice]?, read: String?, ask: Ask?, call: String?
        var ends = false, goesBack = false, apology: String?
        var actionKeys: [(String, Yams.Node)] = []
        for (key, keyNode, value) in pairs {
            switch key {
            case "say": node.say = templates(value, what: "say", reader: reader)
            case "set": node.fills = fills(value, reader: reader)
            case "point", "points": node.points = reader.strings(value, what: key)
            case "repair": node.repair = reader.bool(value, what: "repair") ?? false
            case "resources": node.resources = reader.bool(value, what: "resources") ?? false
            case "when":
                for item in reader.sequence(value, what: "when") {
                    guard let parts = reader.mapping(item, what: "a 'when' branch", allowed: ["if", "go"], required: ["if", "go"]) else { continue }
                    let cond = parts.first { $0.key == "if" }.flatMap { condition($0.value, reader: reader) }
                    let go = parts.first { $0.key == "go" }.flatMap { target($0.value, what: "go", reader: reader) }
                    if let cond, let go { node.when.append(Branch(condition: cond, target: go)) }
                }
            case "script": node.script = script(value, reader: reader)
            case "next": next = target(value, what: "next", reader: reader); actionKeys.append((key, keyNode))
            case "then": then = target(value, what: "then", reader: reader)
            case "read": read = reader.string(value, what: "read")
            case "otherwise": node.otherwise = target(value, what: "otherwise", reader: reader)
            case "default": node.fallback = target(value, what: "default", reader: reader)
            case "choices": choices = loadChoices(value, reader: reader); actionKeys.append((key, keyNode))
            case "ask": ask = loadAsk(value, reader: reader); actionKeys.append((key, keyNode))
            case "call": call = reader.string(value, what: "call"); actionKeys.append((key, keyNode))
            case "end": ends = reader.bool(value, what: "end") ?? false; actionKeys.append((key, keyNode))
            case "back": goesBack = reader.bool(value, what: "back") ?? false; actionKeys.append((key, keyNode))
            case "apology": apology = reader.string(value, what: "apology"); actionKeys.append((key, keyNode))
            default: break
            }
        }
        // `next` goes with `call` and `apology` as their continuation; otherwise one way forward per node.
        let primary = actionKeys.filter { !($0.0 == "next" && (call != nil || apology != nil)) }
        if primary.count > 1 {
            reader.error(primary[1].1, "node '\(id)' has both '\(primary[0].0)' and '\(primary[1].0)'; a node moves on in one way")
        }
        if let choices {
            node.action = .choices(choices, read: read)
        } else if let ask {
            node.action = .ask(ask)
        } else if let call {
            node.action = .call(flow: call, then: next ?? then)
        } else if let apology {
            guard let next else {
                reader.error(keyNode, "node '\(id)' checks an apology but has no 'next' to go to once it is clean")
                return node
            }
            node.action = .checkApology(slot: apology, next: next)
        } else if let next {
            node.action = .next(next)
        } else if goesBack {
            node.action = .back
        } else if ends {
            node.action = .end
        } else {
            reader.error(keyNode, "node '\(id)' has no way forward: give it 'next', 'choices', 'ask', 'call', 'back' or 'end: true'")
            node.action = .end
        }
        if node.otherwise != nil && choices == nil {
            reader.error(keyNode, "node '\(id)' has 'otherwise' without 'choices'")
        }
        if node.fallback != nil && choices == nil {
            reader.error(keyNode, "node '\(id)' has 'default' without 'choices'")
        }
        if read != nil && choices == nil {
            reader.error(keyNode, "node '\(id)' has 'read' without 'choices'; put 'read' inside 'ask' instead")
        }
        return node
    }

    static func loadChoices(_ value: Yams.Node, reader: YAMLReader) -> [Choice] {
        var result: [Choice] = []
        for item in reader.sequence(value, what: "choices") {
            guard let parts = reader.mapping(item, what: "a choice", allowed: ["text", "go", "label", "set", "means"], required: ["text", "go"]) else { continue }
            var text: Template?, go: Target?, label: String?, fill: [String: String] = [:], means: [String] = []
            for (key, _, v) in parts {
                switch key {
                case "text": text = reader.string(v, what: "text").map { Template($0, place: reader.place(v)) }
                case "go": go = target(v, what: "go", reader: reader)
                case "label": label = reader.string(v, what: "label")
                case "set": fill = fills(v, reader: reader)
                case "means": means = reader.strings(v, what: "means")
                default: break
                }
            }
            if let text, let go { result.append(Choice(text: text, label: label, target: go, fills: fill, means: means)) }
        }
        if result.isEmpty { reader.error(value, "a choices list needs at least one choice") }
        return result
    }

    static func loadAsk(_ value: Yams.Node, reader: YAMLReader) -> Ask? {
        guard let parts = reader.mapping(value, what: "ask", allowed: ["read", "slot", "keep", "also", "routes", "next", "optional", "trim", "unless", "retell", "name", "expect", "anywhere", "kept", "again", "first-person", "said-to-them", "trim-end"]) else { return nil }
        var ask = Ask(set: nil, slot: "", keep: nil, also: [], routes: [:], next: nil, optional: false)
        for (key, _, v) in parts {
            switch key {
            case "read": ask.set = reader.string(v, what: "read")
            case "slot": ask.slot = reader.string(v, what: "slot") ?? ""
            case "keep": ask.keep = reader.string(v, what: "keep")
            case "also": ask.also = reader.strings(v, what: "also")
            case "optional": ask.optional = reader.bool(v, what: "optional") ?? false
            case "trim": ask.trim = reader.strings(v, what: "trim")
            case "unless": ask.unless = reader.strings(v, what: "unless")
            case "retell": ask.retell = reader.string(v, what: "retell")
            case "name": ask.name = reader.bool(v, what: "name") ?? false
            case "anywhere": ask.anywhere = reader.strings(v, what: "anywhere")
            case "kept": ask.kept = reader.string(v, what: "kept").map { Template($0, place: reader.place(v)) }
            case "again": ask.again = reader.string(v, what: "again").map { Template($0, place: reader.place(v)) }
            case "first-person": ask.firstPerson = reader.bool(v, what: "first-person") ?? false
            case "said-to-them": ask.saidToThem = reader.bool(v, what: "said-to-them") ?? false
            case "trim-end": ask.trimEnd = reader.strings(v, what: "trim-end")
            case "expect":
                guard let parts = reader.mapping(v, what: "expect", allowed: ["read", "instead", "say"], required: ["read", "instead", "say"]) else { break }
                var set = "", instead = "", say: Template?
                for (k, _, value) in parts {
                    switch k {
                    case "read": set = reader.string(value, what: "read") ?? ""
                    case "instead": instead = reader.string(value, what: "instead") ?? ""
                    default: say = reader.string(value, what: "say").map { Template($0, place: reader.place(value)) }
                    }
                }
                if let say { ask.expect = Expectation(set: set, instead: instead, say: say) }
            case "next": ask.next = target(v, what: "next", reader: reader)
            case "routes":
                for (label, labelNode, t) in reader.namedMapping(v, what: "routes") ?? [] {
                    ask.routes[label] = target(t, what: "route", reader: reader)
                    ask.routePlaces[label] = reader.place(labelNode)
                }
            default: break
            }
        }
        if ask.slot.isEmpty {
            if let set = ask.set { ask.slot = set } else {
                reader.error(value, "ask needs 'read: <set>' or 'slot: <name>' to know where the answer goes")
                return nil
            }
        }
        if ask.next == nil {
            reader.error(value, "ask needs 'next': where to go after the answer (or when it stays unclear)")
        }
        return ask
    }

    static func script(_ value: Yams.Node, reader: YAMLReader) -> ScriptTemplate? {
        guard let parts = reader.mapping(value, what: "script", allowed: ["topic", "when", "say"], required: ["topic", "when", "say"]) else { return nil }
        var topic = "", when: Template?, variants: [Template] = []
        for (key, _, v) in parts {
            switch key {
            case "topic": topic = reader.string(v, what: "topic") ?? ""
            case "when": when = reader.string(v, what: "when").map { Template($0, place: reader.place(v)) }
            case "say": variants = templates(v, what: "say", reader: reader)
            default: break
            }
        }
        guard let when, !variants.isEmpty else { return nil }
        return ScriptTemplate(topic: topic, when: when, variants: variants)
    }
}
