// The help-line table of dialogs/safety/helplines.yaml: loading, checking, and choosing lines for a region and a crisis.
import Foundation
import Yams

public struct HelpLine: Sendable, Equatable, Codable {
    public var region: String
    public var name: String
    /// How to reach it, each way starting with call, text or chat ("call 116 123"), joined for display.
    public var contact: String
    public var hours: String
    /// Who it is for, in the writer's words.
    public var audience: String
    /// self-harm, harm-others, abuse, emergency.
    public var categories: [String]
    public var verified: String
    public var source: String
    /// A line for children and young people: shown first to a minor, left out for adults in a crisis.
    public var youth: Bool = false
    /// Also for someone worried about their own violence.
    public var violence: Bool = false

    enum CodingKeys: String, CodingKey { case region, name, contact, hours, audience, categories, verified, source, youth, violence }

    /// Saved conversations from before `youth` and `violence` existed still read.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        region = try c.decode(String.self, forKey: .region)
        name = try c.decode(String.self, forKey: .name)
        contact = try c.decode(String.self, forKey: .contact)
        hours = try c.decodeIfPresent(String.self, forKey: .hours) ?? ""
        audience = try c.decodeIfPresent(String.self, forKey: .audience) ?? ""
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        verified = try c.decodeIfPresent(String.self, forKey: .verified) ?? ""
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        youth = try c.decodeIfPresent(Bool.self, forKey: .youth) ?? false
        violence = try c.decodeIfPresent(Bool.self, forKey: .violence) ?? false
    }

    /// `youth` and `violence` are written only when true, so older transcripts and their exports stay the same.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(region, forKey: .region)
        try c.encode(name, forKey: .name)
        try c.encode(contact, forKey: .contact)
        try c.encode(hours, forKey: .hours)
        try c.encode(audience, forKey: .audience)
        try c.encode(categories, forKey: .categories)
        try c.encode(verified, forKey: .verified)
        try c.encode(source, forKey: .source)
        if youth { try c.encode(youth, forKey: .youth) }
        if violence { try c.encode(violence, forKey: .violence) }
    }

    public init(region: String, name: String, contact: String, hours: String, audience: String, categories: [String],
                verified: String, source: String, youth: Bool = false, violence: Bool = false) {
        self.region = region
        self.name = name
        self.contact = contact
        self.hours = hours
        self.audience = audience
        self.categories = categories
        self.verified = verified
        self.source = source
        self.youth = youth
        self.violence = violence
    }
}

struct HelpLineTable {
    var lines: [HelpLine] = []
    var groups: [String: [String]] = [:]

    static let categories = ["self-harm", "harm-others", "abuse", "emergency"]
    static let ways = ["call", "text", "chat", "visit"]
    static let fields = ["region", "name", "reach", "hours", "for", "categories", "youth", "violence", "verified", "source"]

    /// ISO 3166-1 alpha-2 codes, plus the table's own INTL (anywhere) and any group it defines.
    static let isoRegions: Set<String> = Set("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD \
    CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF \
    GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA \
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI \
    SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI \
    VN VU WF WS YE YT ZA ZM ZW
    """.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })

    static func load(url: URL, diagnostics: inout [Diagnostic]) -> HelpLineTable {
        var table = HelpLineTable()
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return table }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text, plain: true),
              let pairs = reader.mapping(root, what: "helplines.yaml", allowed: ["groups", "lines"], required: ["lines"]) else { return table }
        var linesNode: Yams.Node?
        for (key, _, value) in pairs {
            if key == "lines" { linesNode = value; continue }
            for (name, nameNode, codes) in reader.namedMapping(value, what: "groups") ?? [] {
                if isoRegions.contains(name) || name == "INTL" { reader.error(nameNode, "the group '\(name)' has the name of a region; pick another") }
                var members: [String] = []
                for code in reader.sequence(codes, what: "the group '\(name)'") {
                    guard let c = reader.string(code, what: "a region code") else { continue }
                    if isoRegions.contains(c) { members.append(c) } else { reader.error(code, "'\(c)' is not a two-letter region code (ISO 3166, upper case, e.g. GB)") }
                }
                table.groups[name] = members
            }
        }
        var seen: Set<String> = []
        for item in reader.sequence(linesNode, what: "lines") {
            guard let fields = reader.mapping(item, what: "a help line", allowed: fields,
                                              required: ["region", "name", "reach", "hours", "for", "categories", "verified", "source"]) else { continue }
            var line = HelpLine(region: "", name: "", contact: "", hours: "", audience: "", categories: [], verified: "", source: "")
            for (key, _, value) in fields {
                switch key {
                case "region":
                    line.region = reader.string(value, what: key) ?? ""
                    if !(isoRegions.contains(line.region) || line.region == "INTL" || table.groups[line.region] != nil) {
                        let known = Array(isoRegions) + ["INTL"] + Array(table.groups.keys)
                        let hint = closest(line.region.uppercased(), in: known).map { " (did you mean '\($0)'?)" } ?? ""
                        reader.error(value, "unknown region code '\(line.region)'\(hint); use a two-letter ISO code such as GB, INTL for anywhere, or a group defined under 'groups'")
                    }
                case "name": line.name = reader.string(value, what: key) ?? ""
                case "reach":
                    var ways: [String] = []
                    let items: [Yams.Node] = { if case .sequence = value { return reader.sequence(value, what: "reach") } else { return [value] } }()
                    for way in items {
                        guard let w = reader.string(way, what: "a way to reach it") else { continue }
                        let first = w.split(separator: " ").first.map { $0.lowercased() } ?? ""
                        if !HelpLineTable.ways.contains(first) {
                            reader.error(way, "'\(w)' should start with how to reach it: call, text, chat or visit (e.g. 'call 116 123')")
                        }
                        ways.append(w)
                    }
                    line.contact = ways.joined(separator: "; ")
                case "hours": line.hours = reader.string(value, what: key) ?? ""
                case "for": line.audience = reader.string(value, what: key) ?? ""
                case "categories":
                    line.categories = reader.strings(value, what: key)
                    let items: [Yams.Node] = { if case .sequence = value { return reader.sequence(value, what: key) } else { return [value] } }()
                    for (i, c) in line.categories.enumerated() where !categories.contains(c) {
                        let hint = closest(c, in: categories).map { " (did you mean '\($0)'?)" } ?? ""
                        reader.error(i < items.count ? items[i] : value, "unknown category '\(c)'\(hint); categories are: \(categories.joined(separator: ", "))")
                    }
                    if line.categories.isEmpty { reader.error(value, "a help line needs at least one category") }
                case "youth": line.youth = reader.bool(value, what: key) ?? false
                case "violence": line.violence = reader.bool(value, what: key) ?? false
                case "verified":
                    line.verified = reader.string(value, what: key) ?? ""
                    if !isDate(line.verified) { reader.error(value, "verified should be the date it was last checked, as YYYY-MM-DD (e.g. 2026-11-22), not '\(line.verified)'") }
                case "source":
                    line.source = reader.string(value, what: key) ?? ""
                    if line.source.trimmingCharacters(in: .whitespaces).isEmpty { reader.error(value, "source should say where the number was checked (the service's own page)") }
                default: break
                }
            }
            let identity = line.region + "/" + line.name
            if !line.name.isEmpty && !seen.insert(identity).inserted { reader.error(item, "'\(line.name)' is listed twice for \(line.region)") }
            table.lines.append(line)
        }
        if !table.lines.contains(where: { $0.region == "INTL" }) {
            reader.error(linesNode ?? root, "the table needs at least one line with region INTL: it is what a user of an unknown region sees")
        }
        return table
    }

    /// A real calendar date written YYYY-MM-DD.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1 else { return false }
        let days = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1] && y >= 2000
    }
}

extension Safety {
    /// The regions the table knows (its own codes and its groups' members), not counting INTL.
    public var knownRegions: Set<String> {
        var result = Set(helpLines.map(\.region)).subtracting(["INTL"])
        for (name, members) in groups where result.contains(name) { result.formUnion(members) }
        return result
    }

    /// The help lines for a region and category, and `fallback` true when the region is unknown and only
    /// the lines that work anywhere are shown. A line of one region is never offered in another.
    public func lines(region: String?, category: CrisisCategory?, minor: Bool, usesViolence: Bool) -> (lines: [HelpLine], fallback: Bool) {
        let code = region?.uppercased() ?? ""
        let homes = [code] + groups.filter { $0.value.contains(code) }.map(\.key)
        var chosen = helpLines.filter { homes.contains($0.region) }
        let fallback = chosen.isEmpty
        // A region with no line for this crisis still gets the lines that work anywhere.
        let hasCrisisLine = chosen.contains { !$0.categories.allSatisfy { $0 == "emergency" } }
        if fallback || !hasCrisisLine { chosen += helpLines.filter { $0.region == "INTL" } }
        guard let category else { return (minor ? chosen.filter(\.youth) + chosen.filter { !$0.youth } : chosen, fallback) }
        var fitting = chosen.filter { line in
            if line.categories.contains("emergency") { return true }
            guard line.categories.contains(category.rawValue) else { return false }
            if line.youth && !minor { return false }
            if usesViolence && !line.violence { return false }
            return true
        }
        if minor {
            // Youth lines first, then the rest; a child in any crisis gets them.
            let youth = chosen.filter(\.youth)
            fitting = youth + fitting.filter { !$0.youth }
        }
        // Emergency numbers last, after the lines to talk to.
        // The services made for this kind of crisis before the general ones (a stable sort on how many kinds each serves).
        let talk = fitting.filter { !$0.categories.contains("emergency") }.enumerated()
            .sorted { ($0.element.youth && minor ? 0 : 1, $0.element.categories.count, $0.offset) < ($1.element.youth && minor ? 0 : 1, $1.element.categories.count, $1.offset) }
            .map(\.element)
        let emergency = fitting.filter { $0.categories.contains("emergency") }
        return (talk + emergency, fallback)
    }
}
