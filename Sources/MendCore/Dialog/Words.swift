// Filling `{slot}` holes: slot values, word forms from words.yaml, fallbacks and optional [segments].
import Yams

/// Word forms for slot values, e.g. relationship/partner/your → "your partner". Read from `dialogs/words.yaml`.
public struct Words: Sendable, Equatable {
    /// slot → value → form → text
    public var forms: [String: [String: [String: String]]]

    public init(forms: [String: [String: [String: String]]] = [:]) { self.forms = forms }

    static func load(text: String, reader: YAMLReader) -> Words {
        guard let root = reader.parse(text, plain: true), let slots = reader.namedMapping(root, what: "words.yaml") else { return Words() }
        var forms: [String: [String: [String: String]]] = [:]
        for (slot, _, values) in slots {
            for (value, _, formsNode) in reader.namedMapping(values, what: "the values of '\(slot)'") ?? [] {
                for (form, _, text) in reader.namedMapping(formsNode, what: "the forms of '\(slot).\(value)'") ?? [] {
                    forms[slot, default: [:]][value, default: [:]][form] = reader.string(text, what: "a word form")
                }
            }
        }
        return Words(forms: forms)
    }

    /// Every form name a slot offers (for the validator).
    public func formNames(of slot: String) -> Set<String> {
        Set((forms[slot] ?? [:]).values.flatMap { $0.keys })
    }
}

/// One `{...}` hole: a chain of alternatives, the first that resolves wins.
public struct Hole: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case slot(String, form: String?)
        case literal(String)
    }
    public var parts: [Part]

    /// The slots a hole reads.
    public var slots: [String] {
        parts.compactMap { if case let .slot(name, _) = $0 { return name } else { return nil } }
    }
    /// True when the last alternative is a literal, so it always resolves.
    public var alwaysResolves: Bool {
        if case .literal = parts.last { return true }
        return false
    }
}

/// A parsed template: text, holes, and optional segments that vanish when a hole inside cannot be filled.
public indirect enum Piece: Sendable, Equatable {
    case text(String)
    case hole(Hole)
    case optional([Piece])
}

public enum TemplateParser {
    /// Parses `Hello {name|"you"}[, your {relationship.noun}]`. Throws a message with the column on a malformed hole.
    public static func parse(_ text: String) -> Result<[Piece], TemplateError> {
        var stack: [[Piece]] = [[]]
        var buffer = ""
        var chars = Array(text)
        var i = 0
        func flush() {
            if !buffer.isEmpty { stack[stack.count - 1].append(.text(buffer)); buffer = "" }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && i + 1 < chars.count {
                buffer.append(chars[i + 1]); i += 2; continue
            }
            if c == "{" {
                guard let close = chars[i...].firstIndex(of: "}") else {
                    return .failure(TemplateError(column: i, message: "'{' is never closed with '}'"))
                }
                let inner = String(chars[(i + 1)..<close])
                flush()
                switch parseHole(inner) {
                case let .success(hole): stack[stack.count - 1].append(.hole(hole))
                case let .failure(e): return .failure(TemplateError(column: i, message: e.message))
                }
                i = close + 1
                continue
            }
            if c == "[" { flush(); stack.append([]); i += 1; continue }
            if c == "]" {
                guard stack.count > 1 else { return .failure(TemplateError(column: i, message: "']' has no '[' before it")) }
                flush()
                let inner = stack.removeLast()
                if holes(inner).isEmpty {
                    // Brackets with no hole inside are just brackets ("[path]" in help text).
                    stack[stack.count - 1].append(.text("[" + plain(inner) + "]"))
                } else {
                    stack[stack.count - 1].append(.optional(inner))
                }
                i += 1
                continue
            }
            buffer.append(c)
            i += 1
        }
        if stack.count > 1 { return .failure(TemplateError(column: chars.count, message: "'[' is never closed with ']'")) }
        flush()
        chars.removeAll()
        return .success(stack[0])
    }

    static func parseHole(_ inner: String) -> Result<Hole, TemplateError> {
        var parts: [Hole.Part] = []
        for raw in inner.split(separator: "|", omittingEmptySubsequences: false) {
            let alt = raw.trimmingCharacters(in: .whitespaces)
            if alt.hasPrefix("\"") && alt.hasSuffix("\"") && alt.count >= 2 {
                parts.append(.literal(String(alt.dropFirst().dropLast())))
                continue
            }
            let bits = alt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(bits.count), bits.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } }) else {
                return .failure(TemplateError(column: 0, message: "'{\(inner)}' is not a slot: write {slot}, {slot.form} or {slot|\"fallback\"}"))
            }
            parts.append(.slot(bits[0], form: bits.count == 2 ? bits[1] : nil))
        }
        return parts.isEmpty ? .failure(TemplateError(column: 0, message: "empty '{}'")) : .success(Hole(parts: parts))
    }

    static func plain(_ pieces: [Piece]) -> String {
        pieces.map { piece -> String in
            switch piece {
            case let .text(t): return t
            case .hole: return ""
            case let .optional(inner): return "[" + plain(inner) + "]"
            }
        }.joined()
    }

    /// Every hole in a parsed template, including those inside optional segments, with whether it is optional.
    public static func holes(_ pieces: [Piece], optional: Bool = false) -> [(Hole, Bool)] {
        pieces.flatMap { piece -> [(Hole, Bool)] in
            switch piece {
            case .text: return []
            case let .hole(h): return [(h, optional)]
            case let .optional(inner): return holes(inner, optional: true)
            }
        }
    }
}

public struct TemplateError: Error, Sendable, Equatable {
    public var column: Int
    public var message: String
}

extension Words {
    /// Fills a template from slots. Unknown holes outside optional segments become empty.
    public func render(_ text: String, slots: [String: String]) -> String {
        guard case let .success(pieces) = TemplateParser.parse(text) else { return text }
        return capitalised(tidy(render(pieces, slots: slots) ?? ""))
    }

    /// A sentence whose opening segment was dropped ("[{name}, ]when you ...") still starts with a capital.
    func capitalised(_ s: String) -> String {
        guard let first = s.first, first.isLowercase else { return s }
        return first.uppercased() + s.dropFirst()
    }

    func resolve(_ hole: Hole, slots: [String: String]) -> String? {
        for part in hole.parts {
            switch part {
            case let .literal(s): return s
            case let .slot(name, form):
                guard let value = slots[name], !value.isEmpty else { continue }
                if let form {
                    if let text = forms[name]?[value]?[form] { return text }
                    continue
                }
                return forms[name]?[value]?["name"] ?? value
            }
        }
        return nil
    }

    /// nil when a hole could not be filled (so an enclosing optional segment is dropped).
    func render(_ pieces: [Piece], slots: [String: String]) -> String? {
        var out = ""
        var missing = false
        for piece in pieces {
            switch piece {
            case let .text(s): out += s
            case let .hole(h):
                if let v = resolve(h, slots: slots) { out += v } else { missing = true }
            case let .optional(inner):
                out += render(inner, slots: slots) ?? ""
            }
        }
        return missing ? nil : out
    }

    /// Removes doubled spaces and a space before punctuation left by dropped segments.
    func tidy(_ s: String) -> String {
        var result = ""
        for c in s {
            if c == " " && result.hasSuffix(" ") { continue }
            if ",.;:!?".contains(c) && result.hasSuffix(" ") { result.removeLast() }
            result.append(c)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}

import Foundation
