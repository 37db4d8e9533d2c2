// Checks a loaded dialogs folder as a whole: links, reachability, sets and labels, slots, roles, points.
import Foundation

enum Validator {
    /// Slots the engine fills itself, so any template may use them.
    static let engineSlots: Set<String> = ["role", "region", "crisis", "crisis_sure", "minor", "unsafe", "violence"]

    static func check(_ dialogs: Dialogs) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func error(_ place: Place, _ message: String) {
            out.append(Diagnostic(file: place.file, line: place.line, column: place.column, severity: .error, message: message))
        }
        func warning(_ place: Place, _ message: String) {
            out.append(Diagnostic(file: place.file, line: place.line, column: place.column, severity: .warning, message: message))
        }

        for role in Role.allCases where dialogs.flow(for: role) == nil {
            let place = Place(file: dialogs.directory + "/flows", line: 1, column: 1)
            error(place, "no flow for the role '\(role.rawValue)': add a flow file with 'role: \(role.rawValue)'")
        }
        for role in Role.allCases {
            let flows = dialogs.flows.values.filter { $0.role == role }.sorted { $0.place.file < $1.place.file }
            for extra in flows.dropFirst() {
                error(extra.place, "a second flow for the role '\(role.rawValue)' (the first is in \(flows[0].place.file))")
            }
        }
        if dialogs.flows["start"] == nil {
            error(Place(file: dialogs.directory + "/flows", line: 1, column: 1), "no 'start' flow: the conversation needs one to ask the role")
        }

        let knownPoints = Set(dialogs.points.map(\.id))
        var covered: Set<String> = []

        for flow in dialogs.flows.values.sorted(by: { $0.place.file < $1.place.file }) {
            var ids: Set<String> = []
            for node in flow.nodes { ids.insert(node.id) }
            if !ids.contains(flow.start) {
                error(flow.place, "the start node '\(flow.start)' does not exist in flow '\(flow.id)'")
            }
            func checkTarget(_ t: Target?) {
                guard let t else { return }
                let flowId = t.flow ?? flow.id
                guard let target = dialogs.flows[flowId] else {
                    error(t.place, "no flow called '\(flowId)'")
                    return
                }
                if target.node(t.node) == nil {
                    let hint = closest(t.node, in: target.nodes.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
                    error(t.place, "no node called '\(t.node)' in flow '\(flowId)'\(hint)")
                }
            }
            func checkSet(_ set: String, at place: Place) -> Bool {
                guard Catalog.sets[set] != nil else {
                    error(place, "'\(set)' is not a set; CONTENT.md's sets are: \(Catalog.setOrder.joined(separator: ", "))")
                    return false
                }
                return true
            }
            func checkLabel(_ label: String, set: String, at place: Place) {
                guard let labels = Catalog.sets[set] else { return }
                if !labels.contains(label) && label != "default" {
                    let hint = closest(label, in: labels).map { " (did you mean '\($0)'?)" } ?? ""
                    error(place, "'\(label)' is not a label of the set '\(set)'\(hint); labels: \(labels.joined(separator: ", "))")
                }
            }

            for node in flow.nodes {
                for point in node.points {
                    covered.insert(point)
                    if !knownPoints.contains(point) { error(node.place, "node '\(node.id)' marks the point '\(point)', which points.yaml does not list") }
                }
                for branch in node.when {
                    checkTarget(branch.target)
                    if Catalog.sets[branch.condition.slot] != nil {
                        for value in branch.condition.values { checkLabel(value, set: branch.condition.slot, at: branch.condition.place) }
                    }
                }
                for (slot, value) in node.fills where Catalog.sets[slot] != nil && !value.isEmpty {
                    checkLabel(value, set: slot, at: node.place)
                }
                switch node.action {
                case let .next(t): checkTarget(t)
                case let .choices(choices, read):
                    if let read, checkSet(read, at: node.place) {
                        for c in choices { if let l = c.label { checkLabel(l, set: read, at: c.target.place) } }
                    } else if choices.contains(where: { $0.label != nil }) && read == nil {
                        error(node.place, "node '\(node.id)' gives its choices labels but has no 'read: <set>'")
                    }
                    // A phrase that means two choices of one node could pick either: the writer must choose.
                    var claimed: [String: String] = [:]
                    for c in choices {
                        let shown = c.text.text
                        for phrase in c.means + dialogs.replies.phrases(for: c.text.text, understanding: dialogs.understanding) {
                            let plain = dialogs.understanding.plainWords(phrase).joined(separator: " ")
                            if let other = claimed[plain], other != shown {
                                error(c.target.place, "'\(phrase)' means both '\(other)' and '\(c.text.text)' in node '\(node.id)'")
                            }
                            claimed[plain] = shown
                        }
                    }
                    if let otherwise = node.otherwise { checkTarget(otherwise) }
                    if let fallback = node.fallback { checkTarget(fallback) }
                    for c in choices {
                        checkTarget(c.target)
                        for (slot, value) in c.fills where Catalog.sets[slot] != nil && !value.isEmpty {
                            checkLabel(value, set: slot, at: c.target.place)
                        }
                    }
                case let .ask(ask):
                    if let set = ask.set, checkSet(set, at: node.place) {
                        for (label, t) in ask.routes { checkLabel(label, set: set, at: ask.routePlaces[label] ?? t.place) }
                    } else if ask.set == nil && !ask.routes.isEmpty {
                        error(node.place, "node '\(node.id)' routes by label but reads no set")
                    }
                    for set in ask.also { _ = checkSet(set, at: node.place) }
                    if let e = ask.expect { _ = checkSet(e.set, at: e.say.place); _ = checkSet(e.instead, at: e.say.place) }
                    ask.routes.values.forEach { checkTarget($0) }
                    checkTarget(ask.next)
                case let .call(flowId, then):
                    if dialogs.flows[flowId] == nil { error(node.place, "node '\(node.id)' calls '\(flowId)', which is not a flow") }
                    checkTarget(then)
                case let .checkApology(_, next): checkTarget(next)
                case .back, .end: break
                }
                // Templates: well formed, forms known.
                var templates = node.say
                if let s = node.script { templates += s.variants + [s.when] }
                if case let .choices(choices, _) = node.action { templates += choices.map(\.text) }
                if case let .ask(ask) = node.action { templates += [ask.kept, ask.again, ask.expect?.say].compactMap { $0 } }
                for t in templates {
                    switch TemplateParser.parse(t.text) {
                    case let .failure(e): error(t.place, e.message)
                    case let .success(pieces):
                        for (hole, _) in TemplateParser.holes(pieces) {
                            for case let .slot(name, form?) in hole.parts where !dialogs.words.formNames(of: name).contains(form) {
                                error(t.place, "words.yaml has no form '\(form)' for the slot '\(name)'")
                            }
                        }
                    }
                }
            }

            // Reachability within the flow, from its start and from every entry other flows use.
            var entries: Set<String> = [flow.start]
            for other in dialogs.flows.values {
                for n in other.nodes { for t in targets(of: n) where (t.flow ?? other.id) == flow.id { entries.insert(t.node) } }
            }
            if flow.id == "safety" { entries.formUnion(["start", "repair-blocked"]) }
            let reached = reachable(flow, from: entries)
            for node in flow.nodes where !reached.contains(node.id) {
                warning(node.place, "node '\(node.id)' cannot be reached from the start of flow '\(flow.id)'")
            }
        }

        out += slotProblems(dialogs)

        for point in dialogs.points where !covered.contains(point.id) {
            warning(point.place, "no node covers the advice point '\(point.id)' (\(point.title)); mark one with 'point: \(point.id)'")
        }
        if let safety = dialogs.flows["safety"] {
            for id in ["start", "repair-blocked"] where safety.node(id) == nil {
                error(safety.place, "the safety flow needs a node called '\(id)'")
            }
        } else {
            error(Place(file: dialogs.directory + "/flows", line: 1, column: 1), "no 'safety' flow: crisis language needs somewhere to go")
        }
        return out
    }

    static func targets(of node: Node) -> [Target] {
        var result = node.when.map(\.target) + (node.otherwise.map { [$0] } ?? []) + (node.fallback.map { [$0] } ?? [])
        switch node.action {
        case let .next(t): result.append(t)
        case let .choices(cs, _): result += cs.map(\.target)
        case let .ask(a): result += Array(a.routes.values) + (a.next.map { [$0] } ?? [])
        case let .call(_, then): result += then.map { [$0] } ?? []
        case let .checkApology(_, next): result.append(next)
        case .back, .end: break
        }
        return result
    }

    static func reachable(_ flow: Flow, from entries: Set<String>) -> Set<String> {
        var seen: Set<String> = []
        var queue = Array(entries)
        while let id = queue.popLast() {
            guard !seen.contains(id), let node = flow.node(id) else { continue }
            seen.insert(id)
            for t in targets(of: node) where t.flow == nil || t.flow == flow.id { queue.append(t.node) }
        }
        return seen
    }

    /// Slots a node fills once it is done (its `set`, its question's answer, its choices' `set`).
    static func fills(of node: Node) -> Set<String> {
        var result = Set(node.fills.keys)
        switch node.action {
        case let .ask(a):
            result.insert(a.slot)
            if let k = a.keep { result.insert(k) }
            if let r = a.retell { result.insert(r) }
            result.formUnion(a.also)
        case let .choices(cs, read):
            for c in cs { result.formUnion(c.fills.keys) }
            if let read { result.insert(read) }
        case let .checkApology(slot, _): result.insert(slot)
        default: break
        }
        return result
    }

    /// A `{slot}` in a script that no earlier step can fill, found by flowing "may be filled" sets along the edges.
    static func slotProblems(_ dialogs: Dialogs) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var everywhere = engineSlots
        for flow in dialogs.flows.values { for n in flow.nodes { everywhere.formUnion(fills(of: n)) } }
        let startFills: Set<String> = dialogs.flows["start"].map { Set($0.nodes.flatMap { fills(of: $0) }) } ?? []
        for flow in dialogs.flows.values {
            // Sub-flows can be called from anywhere: assume what any flow can fill. Role flows start from the role question.
            let initial = flow.role != nil ? engineSlots.union(startFills) : everywhere
            var filled: [String: Set<String>] = [flow.start: initial]
            var queue = [flow.start]
            var visits = 0
            while let id = queue.popLast(), visits < 100_000 {
                visits += 1
                guard let node = flow.node(id), let before = filled[id] else { continue }
                let after = before.union(fills(of: node))
                for t in targets(of: node) where t.flow == nil || t.flow == flow.id {
                    let old = filled[t.node]
                    let new = (old ?? after).union(after)
                    if old != new { filled[t.node] = new; queue.append(t.node) }
                }
            }
            for node in flow.nodes {
                guard let script = node.script, let known = filled[node.id] else { continue }
                for t in script.variants + [script.when] {
                    guard case let .success(pieces) = TemplateParser.parse(t.text) else { continue }
                    for (hole, optional) in TemplateParser.holes(pieces) where !optional && !hole.alwaysResolves {
                        if !hole.slots.contains(where: { known.contains($0) }) {
                            out.append(Diagnostic(file: t.place.file, line: t.place.line, column: t.place.column, severity: .error,
                                                  message: "the script uses {\(hole.slots.joined(separator: "|"))}, but no step before node '\(node.id)' fills it; add a fallback like {\(hole.slots[0])|\"...\"}"))
                        }
                    }
                }
            }
        }
        return out
    }
}
