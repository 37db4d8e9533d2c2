// Loading `dialogs/understanding/`: language.yaml and one file per set, checked with file:line:column diagnostics.
import Foundation
import Yams

extension Understanding {
    /// Cue tiers a writer uses, and the weight of each. `decisive` outweighs two strong cues of another label.
    static let tiers: [(key: String, weight: Double)] = [("decisive", 3), ("strong", 2), ("cues", 1), ("weak", 0.4)]

    static func load(directory: URL, diagnostics: inout [Diagnostic]) -> Understanding {
        var understanding = Understanding()
        understanding.language = loadLanguage(directory.appendingPathComponent("language.yaml"), diagnostics: &diagnostics)
        var vocabulary: Set<String> = []
        var relationshipNouns: Set<String> = []
        for set in Catalog.setOrder {
            let url = directory.appendingPathComponent("\(set).yaml")
            let file = displayPath(url)
            guard let text = readText(url, file: file, diagnostics: &diagnostics) else { continue }
            let reader = YAMLReader(file: file)
            defer { diagnostics += reader.diagnostics }
            guard let root = reader.parse(text, plain: true),
                  let pairs = reader.mapping(root, what: "an understanding file", allowed: ["set", "threshold", "fallback", "negated", "also", "over", "over-needs", "cover-ups", "cover-words", "cover-refs", "frames", "labels", "grammar", "others"], required: ["set", "labels"]) else { continue }
            var data = SetData()
            /// Where each phrase was first listed, to report one phrase under two labels.
            var seen: [String: (label: String, line: Int, text: String)] = [:]
            for (key, keyNode, value) in pairs {
                switch key {
                case "set":
                    if let name = reader.string(value, what: "set"), name != set {
                        reader.error(value, "this file is for the set '\(set)' (its name) but says 'set: \(name)'")
                    }
                case "threshold":
                    if let t = number(value, reader: reader, what: "threshold") {
                        if t <= 0 || t >= 1 { reader.error(value, "threshold should be between 0 and 1, like 0.5") } else { data.threshold = t }
                    }
                case "others":
                    if let w = number(value, reader: reader, what: "others") {
                        if w < 0 || w > 1 { reader.error(value, "others should be between 0 and 1, like 0.25") } else { data.others = w }
                    }
                case "fallback":
                    if let w = number(value, reader: reader, what: "fallback") {
                        if w <= 0 || w >= 1 { reader.error(value, "fallback should be between 0 and 1, like 0.4") } else { data.fallback = w }
                    }
                case "negated":
                    for (from, fromNode, to) in reader.namedMapping(value, what: "negated") ?? [] {
                        let labels = Catalog.sets[set] ?? []
                        guard labels.contains(from) else { reader.error(fromNode, "'\(from)' is not a label of the set '\(set)'"); continue }
                        if let target = reader.string(to, what: "negated label") {
                            if labels.contains(target) { data.negated[from] = target } else { reader.error(to, "'\(target)' is not a label of the set '\(set)'") }
                        }
                    }
                case "over":
                    // The main act takes the weight of lesser ones found with it: an affair lied about is the affair.
                    let labels = Catalog.sets[set] ?? []
                    for (main, mainNode, lesser) in reader.namedMapping(value, what: "over") ?? [] {
                        guard labels.contains(main) else { reader.error(mainNode, "'\(main)' is not a label of the set '\(set)'"); continue }
                        for item in reader.sequence(lesser, what: "labels under '\(main)'") {
                            guard let other = reader.string(item, what: "a label") else { continue }
                            if !labels.contains(other) || other == main {
                                reader.error(item, "'\(other)' is not another label of the set '\(set)'")
                            } else if data.over.contains(where: { $0.main == other && $0.lesser.contains(main) }) {
                                reader.error(item, "'\(main)' and '\(other)' are each listed over the other; keep one")
                            } else {
                                data.addOver(main, other)
                            }
                        }
                    }
                case "over-needs":
                    // A main act that takes over only with more weight of its own than a strong cue.
                    let labels = Catalog.sets[set] ?? []
                    for (main, mainNode, need) in reader.namedMapping(value, what: "over-needs") ?? [] {
                        guard labels.contains(main) else { reader.error(mainNode, "'\(main)' is not a label of the set '\(set)'"); continue }
                        if let w = number(need, reader: reader, what: "over-needs") { data.overNeeds[main] = w }
                    }
                case "cover-ups":
                    for item in reader.sequence(value, what: "cover-ups") {
                        guard let label = reader.string(item, what: "a label") else { continue }
                        if (Catalog.sets[set] ?? []).contains(label) { data.coverUps.insert(label) } else { reader.error(item, "'\(label)' is not a label of the set '\(set)'") }
                    }
                case "frames":
                    for item in reader.sequence(value, what: "frames") {
                        guard let fields = reader.mapping(item, what: "a frame", allowed: ["label", "first", "then", "unless", "echo", "weight"], required: ["label", "first"]) else { continue }
                        var frame = Frame(label: "", weight: 2)
                        for (k, _, v) in fields {
                            switch k {
                            case "label":
                                guard let label = reader.string(v, what: "label") else { continue }
                                if (Catalog.sets[set] ?? []).contains(label) { frame.label = label } else { reader.error(v, "'\(label)' is not a label of the set '\(set)'") }
                            case "weight":
                                if let w = number(v, reader: reader, what: "weight") { if w > 0 { frame.weight = w } else { reader.error(v, "weight should be above 0, like 2") } }
                            default:
                                let phrases = reader.strings(v, what: k)
                                if k == "echo" {
                                    frame.texts.echo = phrases
                                    frame.echo = Set(phrases.flatMap { understanding.language.phrase($0) })
                                    continue
                                }
                                if k == "unless" {
                                    for (item, phrase) in zip(reader.sequence(v, what: k), phrases) where understanding.language.phrase(phrase).count != 1 {
                                        reader.error(item, "'\(phrase)' should be one word: any of these words between the two parts breaks the frame")
                                    }
                                    frame.texts.unless = phrases
                                    frame.unless = Set(phrases.flatMap { understanding.language.phrase($0) })
                                    continue
                                }
                                if k == "first" { frame.texts.first = phrases } else { frame.texts.then = phrases }
                                for phrase in phrases {
                                    let words = understanding.language.phrase(phrase)
                                    guard let head = words.first else { continue }
                                    vocabulary.formUnion(surfaceWords(phrase))
                                    let cue = Cue(words: words, label: frame.label, weight: 1, text: phrase.lowercased())
                                    if k == "first" { frame.first[head, default: []].append(cue) } else { frame.then[head, default: []].append(cue) }
                                }
                            }
                        }
                        if frame.then.isEmpty && frame.echo == nil { reader.error(item, "a frame needs 'then' (what contradicts the claim) or 'echo' (someone else doing what was claimed)"); continue }
                        if !frame.label.isEmpty { data.frames.append(frame) }
                    }
                case "cover-refs":
                    data.coverRefs = Set(reader.strings(value, what: "cover-refs").flatMap { understanding.language.phrase($0) })
                case "cover-words":
                    data.coverWords = Set(reader.strings(value, what: "cover-words").flatMap { understanding.language.phrase($0) })
                case "also":
                    for item in reader.sequence(value, what: "also") {
                        guard let other = reader.string(item, what: "a set") else { continue }
                        if Catalog.sets[other] == nil || other == set {
                            reader.error(item, "'\(other)' is not another set; use some of: \(Catalog.setOrder.filter { $0 != set }.joined(separator: ", "))")
                        } else {
                            data.also.append(other)
                        }
                    }
                case "grammar":
                    if set == "role" {
                        understanding.grammar = loadGrammar(value, reader: reader, language: understanding.language, vocabulary: &vocabulary)
                    } else {
                        reader.error(keyNode, "only role.yaml has a grammar section")
                    }
                default:
                    for (id, idNode, body) in reader.namedMapping(value, what: "labels") ?? [] {
                        let allowedLabels = Catalog.sets[set] ?? []
                        if !allowedLabels.contains(id) {
                            let hint = closest(id, in: allowedLabels).map { " (did you mean '\($0)'?)" } ?? ""
                            reader.error(idNode, "'\(id)' is not a label of the set '\(set)'\(hint); CONTENT.md lists: \(allowedLabels.joined(separator: ", "))")
                            continue
                        }
                        guard let fields = reader.mapping(body, what: "label '\(id)'", allowed: ["title", "examples"] + tiers.map(\.key), required: ["title"]) else { continue }
                        var label = Label(id: id, title: id)
                        for (k, _, v) in fields {
                            if k == "title" { label.title = reader.string(v, what: "title") ?? id; continue }
                            for item in reader.sequence(v, what: k) {
                                guard let phrase = reader.string(item, what: "a \(k == "examples" ? "example" : "cue")") else { continue }
                                let words = understanding.language.phrase(phrase)
                                if words.isEmpty { reader.error(item, "this \(k == "examples" ? "example" : "cue") has no words"); continue }
                                if words.first == "*" || words.last == "*" { reader.error(item, "'*' stands for words inside a phrase; it cannot start or end one"); continue }
                                // Examples and cues are kept apart: a whole line and a cue may share words.
                                if k != "examples" { vocabulary.formUnion(surfaceWords(phrase)) }
                                let key = (k == "examples" ? "example: " : "cue: ") + words.joined(separator: " ")
                                if let earlier = seen[key] {
                                    if earlier.label != id {
                                        reader.error(item, "'\(phrase)' is listed under two labels: '\(earlier.label)' (line \(earlier.line)) and '\(id)'; keep it under one")
                                    } else if earlier.text == phrase.lowercased() {
                                        reader.warning(item, "'\(phrase)' is already listed under '\(id)' (line \(earlier.line))")
                                    }
                                    continue
                                }
                                seen[key] = (id, item.mark?.line ?? 1, phrase.lowercased())
                                if k == "examples" {
                                    data.examples[words.joined(separator: " ")] = id
                                } else {
                                    let weight = tiers.first { $0.key == k }?.weight ?? 1
                                    data.cues[words[0], default: []].append(Cue(words: words, label: id, weight: weight, text: phrase.lowercased()))
                                    if set == "relationship", words.count == 1 { relationshipNouns.insert(words[0]) }
                                }
                            }
                        }
                        data.labels.append(label)
                    }
                    for id in Catalog.sets[set] ?? [] where !data.labels.contains(where: { $0.id == id }) {
                        reader.error(value, "the label '\(id)' of the set '\(set)' is missing")
                    }
                }
            }
            understanding.data[set] = data
        }
        // Anyone named by a relationship word ("my wife", "his boss") can be the one who did it.
        understanding.grammar.third.formUnion(relationshipNouns)
        vocabulary.formUnion(understanding.language.replace.keys)
        understanding.language.index(vocabulary: WordList(vocabulary))
        understanding.indexWords()
        return understanding
    }

    /// A number written in a plainly parsed file.
    static func number(_ node: Yams.Node, reader: YAMLReader, what: String) -> Double? {
        guard let text = reader.string(node, what: what) else { return nil }
        guard let value = Double(text) else {
            reader.error(node, "\(what) should be a number")
            return nil
        }
        return value
    }

    /// The words of a phrase as typed, for the typo index (which corrects only towards the longer ones).
    static func surfaceWords(_ phrase: String) -> [String] {
        phrase.lowercased().utf8.split { $0 < 97 || $0 > 122 }.filter { $0.count >= 3 }.map { String(decoding: $0, as: UTF8.self) }
    }

    static func loadLanguage(_ url: URL, diagnostics: inout [Diagnostic]) -> Language {
        var language = Language()
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return language }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        let keys = ["replace", "typos", "contractions", "is-words", "negators", "negation-scope", "not-negating", "contrast", "clause-contrast", "hedges", "fillers", "known", "participles"]
        guard let root = reader.parse(text, plain: true), let pairs = reader.mapping(root, what: "language.yaml", allowed: keys) else { return language }
        func words(_ s: String) -> [String] { s.lowercased().split(separator: " ").map(String.init) }
        for (key, _, value) in pairs {
            switch key {
            case "replace", "typos", "contractions":
                for (from, fromNode, to) in reader.namedMapping(value, what: key) ?? [] {
                    guard let target = reader.string(to, what: "what '\(from)' stands for") else { continue }
                    let from = from.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
                    switch key {
                    case "replace": language.replace[from] = words(target)
                    case "typos":
                        if target.contains(" ") { reader.error(to, "a typo is fixed to one word; use 'replace' for more") }
                        language.typos[from] = target.lowercased()
                    default:
                        if !from.hasPrefix("'") && !from.hasPrefix("n'") { reader.error(fromNode, "a contraction ending starts with an apostrophe, like \"'re\" or \"n't\"") }
                        language.contractions.append((from, target.lowercased()))
                    }
                }
            case "negation-scope":
                if let n = number(value, reader: reader, what: key), n >= 1 { language.negationScope = Int(n) } else { reader.error(value, "negation-scope should be a number of words, like 3") }
            default:
                let list = reader.strings(value, what: key).map { $0.lowercased() }
                switch key {
                case "is-words": language.isWords = Set(list)
                case "negators": language.negators = Set(list)
                case "contrast": language.contrast = Set(list)
                case "clause-contrast": language.clauseContrast = Set(list)
                case "fillers": language.fillers = Set(list)
                case "known": language.known = WordList(list)
                case "participles": language.participles = Set(list)
                default: break
                }
                if key == "not-negating" || key == "hedges" {
                    // Phrases are normalised after the single-word lists are in.
                    continue
                }
            }
        }
        // Longer endings first, so "n't" is tried before "'t" would be.
        language.contractions.sort { $0.0.count > $1.0.count }
        for (key, _, value) in pairs where key == "not-negating" || key == "hedges" {
            let phrases = reader.strings(value, what: key).map { language.phrase($0) }.filter { !$0.isEmpty }
            if key == "hedges" { language.hedges = phrases } else { language.notNegating = phrases }
        }
        return language
    }

    static func loadGrammar(_ node: Yams.Node, reader: YAMLReader, language: Language, vocabulary: inout Set<String>) -> RoleGrammar {
        var grammar = RoleGrammar()
        let keys = ["acts", "first-person", "third-person", "first-possessive", "third-possessive", "first-object", "third-object", "passive", "prepositions", "discovery", "reach", "experiencer", "states", "determiners", "openers", "agent-markers", "guilt", "reporting", "unaware", "victim-states", "coordinators", "copulas", "participles", "pronouns", "mutual", "subordinators", "accusing", "denials", "owning"]
        for (key, _, value) in reader.mapping(node, what: "grammar", allowed: keys, required: ["acts", "first-person", "third-person"]) ?? [] {
            if key == "reach" {
                if let n = number(value, reader: reader, what: key), n >= 1 { grammar.reach = Int(n) }
                continue
            }
            let phrases = reader.strings(value, what: key).map { language.phrase($0) }.filter { !$0.isEmpty }
            let singles = Set(phrases.compactMap { $0.count == 1 ? $0[0] : nil })
            switch key {
            case "acts", "discovery", "unaware", "accusing", "denials", "owning":
                for (p, text) in zip(phrases, reader.strings(value, what: key)) {
                    let cue = Cue(words: p, label: key, weight: 1, text: text.lowercased())
                    switch key {
                    case "acts": grammar.acts[p[0], default: []].append(cue)
                    case "unaware": grammar.unaware[p[0], default: []].append(cue)
                    case "accusing": grammar.accusing[p[0], default: []].append(cue)
                    case "denials": grammar.denials[p[0], default: []].append(cue)
                    case "owning": grammar.owning[p[0], default: []].append(cue)
                    default: grammar.discovery[p[0], default: []].append(cue)
                    }
                }
                for s in reader.strings(value, what: key) { vocabulary.formUnion(surfaceWords(s)) }
            case "first-person": grammar.first = singles
            case "third-person": grammar.third = singles
            case "first-possessive": grammar.firstPossessive = singles
            case "third-possessive": grammar.thirdPossessive = singles
            case "first-object": grammar.firstObject = singles
            case "third-object": grammar.thirdObject = singles
            case "prepositions": grammar.prepositions = singles
            case "experiencer": grammar.experiencer = singles
            case "states": grammar.states = singles
            case "determiners": grammar.determiners = singles
            case "openers": grammar.openers = singles
            case "agent-markers": grammar.agentMarkers = singles
            case "guilt": grammar.guilt = singles
            case "reporting": grammar.reporting = singles
            case "victim-states": grammar.victimStates = singles
            case "coordinators": grammar.coordinators = singles
            case "copulas": grammar.copulas = singles
            case "participles": grammar.participles = singles
            case "pronouns": grammar.pronouns = singles
            case "mutual": grammar.mutual = singles
            case "subordinators": grammar.subordinators = singles
            default: grammar.passive = singles
            }
        }
        return grammar
    }
}
