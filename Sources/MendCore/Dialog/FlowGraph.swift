// A flow drawn as a graph (Graphviz DOT or Mermaid), so a writer can see its shape.

public enum FlowGraph {
    public enum Format: String, Sendable, CaseIterable { case dot, mermaid }

    /// One arrow: from a node to a node of this flow or `flow.node` elsewhere, with what takes it.
    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: String
        /// A call returns; drawn dashed.
        public var call: Bool
    }

    /// The nodes (id, short excerpt of what it says) and arrows of a flow.
    public static func parts(of flow: Flow) -> (nodes: [(id: String, text: String)], edges: [Edge]) {
        var edges: [Edge] = []
        func name(_ t: Target) -> String { t.flow.map { $0 == flow.id ? t.node : "\($0).\(t.node)" } ?? t.node }
        for node in flow.nodes {
            for branch in node.when { edges.append(Edge(from: node.id, to: name(branch.target), label: "if " + branch.condition.source, call: false)) }
            switch node.action {
            case let .next(t): edges.append(Edge(from: node.id, to: name(t), label: "next", call: false))
            case let .choices(choices, _):
                for c in choices { edges.append(Edge(from: node.id, to: name(c.target), label: c.label.map { "\(c.text.text) [\($0)]" } ?? c.text.text, call: false)) }
                if let otherwise = node.otherwise { edges.append(Edge(from: node.id, to: name(otherwise), label: "otherwise", call: false)) }
                if let fallback = node.fallback { edges.append(Edge(from: node.id, to: name(fallback), label: "default", call: false)) }
            case let .ask(ask):
                for (label, t) in ask.routes.sorted(by: { $0.key < $1.key }) { edges.append(Edge(from: node.id, to: name(t), label: "\(ask.set ?? ask.slot) = \(label)", call: false)) }
                if let next = ask.next { edges.append(Edge(from: node.id, to: name(next), label: "answer: \(ask.slot)", call: false)) }
            case let .call(flowId, then):
                edges.append(Edge(from: node.id, to: flowId, label: "call", call: true))
                if let then { edges.append(Edge(from: node.id, to: name(then), label: "then", call: false)) }
            case let .checkApology(slot, next): edges.append(Edge(from: node.id, to: name(next), label: "apology clean: \(slot)", call: false))
            case .back: edges.append(Edge(from: node.id, to: "(back)", label: "back", call: false))
            case .end: edges.append(Edge(from: node.id, to: "(end)", label: "end", call: false))
            }
        }
        let nodes = flow.nodes.map { ($0.id, excerpt($0.say.first?.text ?? "")) }
        return (nodes, edges)
    }

    static func excerpt(_ text: String, limit: Int = 40) -> String {
        let flat = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    public static func render(_ flow: Flow, format: Format) -> String {
        let (nodes, edges) = parts(of: flow)
        let known = Set(nodes.map(\.id))
        let outside = Array(Set(edges.map(\.to)).subtracting(known)).sorted()
        switch format {
        case .dot:
            func q(_ s: String) -> String {
                "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
            var out = ["digraph \(q(flow.id)) {", "  rankdir=TB;", "  node [shape=box, style=rounded, fontname=\"Helvetica\"];",
                       "  labelloc=t; label=\(q(flow.title.isEmpty ? flow.id : flow.title));"]
            for n in nodes {
                let style = n.id == flow.start ? ", penwidth=2" : ""
                out.append("  \(q(n.id)) [label=\(q(n.text.isEmpty ? n.id : n.id + "\n" + n.text).replacingOccurrences(of: "\n", with: "\\n"))\(style)];")
            }
            for o in outside { out.append("  \(q(o)) [shape=ellipse, style=dashed];") }
            for e in edges {
                out.append("  \(q(e.from)) -> \(q(e.to)) [label=\(q(excerpt(e.label, limit: 32)))\(e.call ? ", style=dashed" : "")];")
            }
            out.append("}")
            return out.joined(separator: "\n") + "\n"
        case .mermaid:
            // Mermaid ids must be plain; labels go in quotes with '#quot;' for a quote.
            var ids: [String: String] = [:]
            func id(_ s: String) -> String {
                if let v = ids[s] { return v }
                let v = "n\(ids.count)"
                ids[s] = v
                return v
            }
            func q(_ s: String) -> String {
                let safe = s.replacingOccurrences(of: "#", with: "#35;").replacingOccurrences(of: "\"", with: "#quot;")
                    .replacingOccurrences(of: "|", with: "#124;").replacingOccurrences(of: "<", with: "#lt;").replacingOccurrences(of: ">", with: "#gt;")
                return "\"" + safe.replacingOccurrences(of: "\n", with: "<br/>") + "\""
            }
            var out = ["flowchart TD"]
            for n in nodes { out.append("  \(id(n.id))[\(q(n.text.isEmpty ? n.id : n.id + "\n" + n.text))]") }
            for o in outside { out.append("  \(id(o))([\(q(o))])") }
            for e in edges {
                let arrow = e.call ? "-.->" : "-->"
                out.append("  \(id(e.from)) \(arrow)|\(q(excerpt(e.label, limit: 32)))| \(id(e.to))")
            }
            return out.joined(separator: "\n") + "\n"
        }
    }
}

import Foundation
