// Crisis language and help lines (a first, phrase-based detector).
import Foundation

public enum CrisisCategory: String, Sendable, Codable, CaseIterable {
    case selfHarm = "self-harm"
    case harmOthers = "harm-others"
    case abuse
}

/// What the safety check found in one line.
public struct CrisisReading: Sendable, Equatable, Codable {
    public var category: CrisisCategory
    /// False when the line is ambiguous: the assistant asks one calm question instead of interrupting.
    public var certain: Bool
    public var evidence: [String]
    /// The user says they used violence themselves (accountability, not repair).
    public var violenceByUser: Bool
    public init(category: CrisisCategory, certain: Bool, evidence: [String] = [], violenceByUser: Bool = false) {
        self.category = category
        self.certain = certain
        self.evidence = evidence
        self.violenceByUser = violenceByUser
    }
}

public struct HelpLine: Sendable, Equatable, Codable {
    public var region: String
    public var name: String
    public var contact: String
    public var hours: String
    public var audience: String
    public var categories: [String]
    public var verified: String
    public var source: String
}

public struct Safety: Sendable {
    public var phrases: [CrisisCategory: [String]]
    public var helpLines: [HelpLine]

    public init(phrases: [CrisisCategory: [String]] = [:], helpLines: [HelpLine] = []) {
        self.phrases = phrases
        self.helpLines = helpLines
    }

    static func load(directory: URL, diagnostics: inout [Diagnostic]) -> Safety {
        var safety = Safety()
        let crisisURL = directory.appendingPathComponent("crisis.yaml")
        let file = displayPath(crisisURL)
        if let text = readText(crisisURL, file: file, diagnostics: &diagnostics) {
            let reader = YAMLReader(file: file)
            if let root = reader.parse(text) {
                for (key, keyNode, value) in reader.namedMapping(root, what: "crisis.yaml") ?? [] {
                    guard let category = CrisisCategory(rawValue: key) else {
                        reader.error(keyNode, "unknown crisis category '\(key)'; categories are: self-harm, harm-others, abuse")
                        continue
                    }
                    safety.phrases[category] = reader.strings(value, what: "phrases").map { $0.lowercased() }
                }
            }
            diagnostics += reader.diagnostics
        }
        let linesURL = directory.appendingPathComponent("helplines.yaml")
        let linesFile = displayPath(linesURL)
        if let text = readText(linesURL, file: linesFile, diagnostics: &diagnostics) {
            let reader = YAMLReader(file: linesFile)
            if let root = reader.parse(text) {
                for item in reader.sequence(root, what: "helplines.yaml") {
                    guard let fields = reader.mapping(item, what: "a help line", allowed: ["region", "name", "contact", "hours", "for", "categories", "verified", "source"], required: ["region", "name", "contact", "categories", "verified", "source"]) else { continue }
                    var line = HelpLine(region: "", name: "", contact: "", hours: "", audience: "", categories: [], verified: "", source: "")
                    for (k, _, v) in fields {
                        switch k {
                        case "region": line.region = reader.string(v, what: k) ?? ""
                        case "name": line.name = reader.string(v, what: k) ?? ""
                        case "contact": line.contact = reader.string(v, what: k) ?? ""
                        case "hours": line.hours = reader.string(v, what: k) ?? ""
                        case "for": line.audience = reader.string(v, what: k) ?? ""
                        case "categories": line.categories = reader.strings(v, what: k)
                        case "verified": line.verified = reader.string(v, what: k) ?? ""
                        case "source": line.source = reader.string(v, what: k) ?? ""
                        default: break
                        }
                    }
                    safety.helpLines.append(line)
                }
            }
            diagnostics += reader.diagnostics
        }
        return safety
    }

    /// Checks one line; nil when it should pass.
    public func check(_ text: String) -> CrisisReading? {
        let lower = " " + text.lowercased() + " "
        for category in CrisisCategory.allCases {
            if let hit = phrases[category]?.first(where: { lower.contains($0) }) {
                return CrisisReading(category: category, certain: true, evidence: [hit])
            }
        }
        return nil
    }

    /// The user says they are under 18.
    public func isMinor(_ text: String) -> Bool { false }

    /// The help lines for a region and category; the international fallback (and `fallback` true) when the region has none.
    public func lines(region: String?, category: CrisisCategory?, minor: Bool, usesViolence: Bool) -> (lines: [HelpLine], fallback: Bool) {
        let regional = helpLines.filter { $0.region == (region ?? "") }
        let fallback = regional.isEmpty
        let chosen = fallback ? helpLines.filter { $0.region == "INTL" } : regional
        guard let category else { return (chosen, fallback) }
        return (chosen.filter { $0.categories.contains(category.rawValue) || $0.categories.contains("emergency") || $0.categories.contains("all") }, fallback)
    }
}
