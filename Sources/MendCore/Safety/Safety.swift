// Crisis detection: reading a line for self-harm, harm to others or abuse, from the patterns in dialogs/safety/crisis.yaml.
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
    /// The signs of control the line describes (crisis.yaml `abuse: control`: watching, money, cutting off...), nil when none.
    public var control: [String]?
    public init(category: CrisisCategory, certain: Bool, evidence: [String] = [], violenceByUser: Bool = false, control: [String]? = nil) {
        self.category = category
        self.certain = certain
        self.evidence = evidence
        self.violenceByUser = violenceByUser
        self.control = control
    }
}

/// The detector's knowledge, compiled from crisis.yaml.
struct CrisisRules: Sendable {
    /// `aimed`: harm-others said of means or a plan that the line first seemed to aim at the user ("saving my pills, but
    /// not for me, for her"): it interrupts, and it outranks the self-harm it follows.
    /// `control`: one sign of control (its `sign`), asked about alone; two different signs in one line interrupt.
    /// `plan`: a time or a place ("tonight", "i know where he lives"): never alone; beside a harm-others question it interrupts.
    enum Kind: String, Sendable { case byUser = "by-user", interrupt, ask, aimed, control, plan }
    struct Rule: Sendable {
        var category: CrisisCategory
        var kind: Kind
        var pattern: CrisisPattern
        /// The sign of control a `control` rule names; empty for the other kinds.
        var sign = ""
    }
    var normaliser = Normaliser()
    var matcher = PatternMatcher(slots: [:], gapStops: [])
    var idioms: [CrisisPattern] = []
    var negations: [CrisisPattern] = []
    var negationUndo: [CrisisPattern] = []
    var negationWindow = 4
    var past: [CrisisPattern] = []
    var present: [CrisisPattern] = []
    /// Words that hold a present marker and yet say it is over ("never again", "i still feel terrible about it"):
    /// a present marker inside one of them does not count.
    var calm: [CrisisPattern] = []
    /// A clause that looks back on what came before it ("that was 12 years ago"): the hurts told before it are past.
    var lookingBack: [CrisisPattern] = []
    var rules: [Rule] = []
    var minor: [CrisisPattern] = []
    /// Joke markers: a certain reading becomes a question.
    var soften: [CrisisPattern] = []
}

public struct Safety: Sendable {
    var rules = CrisisRules()
    /// Concept frames from frames.yaml, read beside the patterns (CrisisFrames.swift).
    var frames = CrisisFrames()
    /// A reader learned from example lines (dialogs/safety/examples), heard only where the patterns and
    /// frames found nothing, and then only as one calm question.
    var learned = LearnedReader()
    /// Its learned.yaml: how lines become features and how sure it must be (none: it never speaks).
    var learnedSettings = LearnedSettings()
    public var helpLines: [HelpLine]
    /// Region groups from helplines.yaml, e.g. EU -> [FR, DE, ...].
    public var groups: [String: [String]]

    public init(helpLines: [HelpLine] = [], groups: [String: [String]] = [:]) {
        self.helpLines = helpLines
        self.groups = groups
    }

    /// `cache`: where a compiled copy of the crisis rules may be kept (CompiledCrisis.swift); `helpLines`: false skips helplines.yaml.
    /// `line`: only this line will be checked, so only what it can use is decoded from a compiled copy.
    public static func load(directory: URL, cache: CacheFolder? = nil, helpLines: Bool = true, line: String? = nil, diagnostics: inout [Diagnostic]) -> Safety {
        load(path: directory.path, cache: cache, helpLines: helpLines, line: line, diagnostics: &diagnostics)
    }

    /// `load(directory:...)` for a folder given as a path: a warm start for one line makes no URL.
    static func load(path: String, cache: CacheFolder? = nil, helpLines: Bool = true, line: String? = nil, diagnostics: inout [Diagnostic]) -> Safety {
        // For one line, the learned reader needs nothing of the patterns: it loads on a thread of its own beside them.
        final class Learned: @unchecked Sendable {
            var safety = Safety()
            var diagnostics: [Diagnostic] = []
        }
        let learned = Learned()
        let beside = line.map { _ in Beside { learned.safety.learn(path: path, cache: cache, partial: true, diagnostics: &learned.diagnostics) } }
        var safety = Safety()
        var partial = false
        if let line, let quick = forLine(line, path: path, cache: cache) {
            safety = quick
            partial = true
        } else {
            let directory = URL(fileURLWithPath: path, isDirectory: true)
            // The patterns and the frames are independent until the one adopts the other: the frames load on a second thread.
            let frames = Held(CrisisFrames()), framesDiagnostics = Held<[Diagnostic]>([])
            let beside = Beside { frames.value = CrisisFrames.load(url: directory.appendingPathComponent("frames.yaml"), cache: cache, diagnostics: &framesDiagnostics.value) }
            safety.rules = CrisisRules.load(url: directory.appendingPathComponent("crisis.yaml"), cache: cache, diagnostics: &diagnostics)
            beside.wait()
            diagnostics += framesDiagnostics.value
            safety.adopt(frames.value)
        }
        if let beside {
            beside.wait()
            safety.learned = learned.safety.learned
            safety.learnedSettings = learned.safety.learnedSettings
            diagnostics += learned.diagnostics
        } else {
            safety.learn(path: path, cache: cache, partial: partial, diagnostics: &diagnostics)
        }
        guard helpLines else { return safety }
        let table = HelpLineTable.load(url: URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent("helplines.yaml"), diagnostics: &diagnostics)
        safety.helpLines = table.lines
        safety.groups = table.groups
        return safety
    }

    /// For one line, from kept copies only, reading only what that line can use; nil when a copy is missing or
    /// damaged (then the whole load compiles and reports as usual). A copy is kept only when compiling reported
    /// nothing, so there is nothing to report here. Patterns and frames share the normaliser, so: the frames'
    /// spelling and the words the line can ask about first, then the patterns, then the frames the line's plain words reach.
    static func forLine(_ line: String, path dir: String, cache: CacheFolder?) -> Safety? {
        guard let framesCopy = CompiledCopy.kept("frames", format: CrisisFrames.compiledFormat, files: [CompiledCopy.path(dir, "frames.yaml")], cache: cache),
              let crisisCopy = CompiledCopy.kept("crisis", format: CrisisRules.compiledFormat, files: [CompiledCopy.path(dir, "crisis.yaml")], cache: cache) else { return nil }
        // The copies are read in place: they stay mapped until the line's part of them is decoded.
        let decoded: (CrisisRules, CrisisFrames)? = withExtendedLifetime((framesCopy, crisisCopy)) {
            guard var partial = CrisisFrames.Partial(framesCopy.bytes[...], asked: Normaliser.asked(line)),
                  let rules = CrisisRules.decode(crisisCopy.bytes[...], line: line, frames: partial.frames),
                  let frames = partial.complete(tokens: rules.normaliser.plain(line).tokens) else { return nil }
            return (rules, frames)
        }
        guard let (rules, frames) = decoded else { return nil }
        var safety = Safety()
        safety.rules = rules
        safety.adopt(frames)
        return safety
    }

    // MARK: reading a line

    struct Hit {
        var rule: CrisisRules.Rule
        var range: Range<Int>
        var words: String
    }

    /// A line as both readers see it, made once per line: its plain words (spelling mended), the set of
    /// them, and the same words with idioms set aside.
    struct PlainedLine {
        var plain: [String]
        var words: Set<String>
        var framed: [String]
    }

    func plained(_ text: String) -> PlainedLine {
        let plain = rules.normaliser.plain(text).tokens
        let words = Set(plain)
        var tokens = plain
        for idiom in rules.idioms where rules.matcher.couldMatch(idiom.pieces, words: words, tokens: tokens) {
            for range in rules.matcher.allMatches(idiom.pieces, in: tokens) {
                for i in range { tokens[i] = PlainLine.sentenceEnd }
            }
        }
        return PlainedLine(plain: plain, words: words, framed: tokens)
    }

    /// `plained` for many lines at once (the examples the learned reader is taught from), each line the same
    /// as `plained` makes it, only faster: each distinct word is spelled and mended once, and an idiom is tried
    /// only on lines holding a word its first word can be (the same test `couldMatch` makes, answered from an index)
    /// and holding every word it needs.
    func plainedAll(_ texts: [String]) -> [PlainedLine] {
        // The idioms each word may open: by its exact first word, or by a stem (`kill*`) it starts with.
        var byWord: [String: [Int]] = [:]
        var byStem: [(stem: String, idiom: Int)] = []
        var always: [Int] = []
        for (i, idiom) in rules.idioms.enumerated() {
            guard let first = idiom.pieces.lazy.compactMap({ piece -> (Set<String>, [String])? in
                if case let .word(set, prefixes) = piece { return (set, prefixes) }
                return nil
            }).first else { always.append(i); continue }
            for word in first.0 { byWord[word, default: []].append(i) }
            for stem in first.1 { byStem.append((stem, i)) }
        }
        // The words an idiom cannot match without (its words outside options, groups and slots): an idiom one of
        // them is missing from can match nowhere in the line, so it is not tried at all.
        let needs: [[(words: Set<String>, stems: [String])]] = rules.idioms.map { idiom in
            idiom.pieces.compactMap { piece in
                if case let .word(set, prefixes) = piece { return (set, prefixes) }
                return nil
            }
        }
        func canMatch(_ i: Int, words: Set<String>) -> Bool {
            needs[i].allSatisfy { need in
                !need.words.isDisjoint(with: words) || need.stems.contains { stem in words.contains { $0.hasPrefix(stem) } }
            }
        }
        var opened: [String: [Int]] = [:]
        func idioms(openedBy word: String) -> [Int] {
            if let known = opened[word] { return known }
            let found = (byWord[word] ?? []) + byStem.filter { word.hasPrefix($0.stem) }.map(\.idiom)
            opened[word] = found
            return found
        }
        var known: [String: [String]] = [:]
        var tried = [Bool](repeating: false, count: rules.idioms.count)
        return texts.map { text in
            let plain = rules.normaliser.plain(text, known: &known)
            let words = Set(plain.tokens)
            // Any idiom `couldMatch` can let through, in the order of the idioms; the few found are then tested as `plained` does.
            var candidates = always
            for word in words { candidates += idioms(openedBy: word) }
            candidates = candidates.filter { i in
                if tried[i] { return false }
                tried[i] = true
                return true
            }
            for i in candidates { tried[i] = false }
            candidates.sort()
            var tokens = plain.tokens
            for i in candidates where rules.matcher.couldMatch(rules.idioms[i].pieces, words: words, tokens: tokens) && canMatch(i, words: words) {
                for range in rules.matcher.allMatches(rules.idioms[i].pieces, in: tokens) {
                    for j in range { tokens[j] = PlainLine.sentenceEnd }
                }
            }
            return PlainedLine(plain: plain.tokens, words: words, framed: tokens)
        }
    }

    /// Checks one line; nil when it should pass.
    public func check(_ text: String) -> CrisisReading? {
        let line = plained(text)
        return combined(patternReading(line), line) ?? learnedReading(line)
    }

    /// What the learned reader makes of a line: a calm question when it is sure enough, else nothing.
    func learnedReading(_ line: PlainedLine) -> CrisisReading? {
        guard let (label, probability, why, ordinary) = learned.read(learnedFeatures(line), besides: "none"), probability >= learnedSettings.thresholds["crisis"] ?? 2,
              // How likely the category must be beside "none" (1: at least as likely).
              probability >= (learnedSettings.thresholds["against-ordinary"] ?? 0) * ordinary,
              let category = CrisisCategory(rawValue: label), holdsRiskWord(line) else { return nil }
        return CrisisReading(category: category, certain: false, evidence: ["learned \(Int(probability * 100))%: " + why.joined(separator: ", ")])
    }

    /// Whether the line holds a word of learned.yaml's `risk-words` ("whats the weather like today lol" holds none,
    /// so the learned reader keeps quiet on it). True when there is no such list.
    func holdsRiskWord(_ line: PlainedLine) -> Bool {
        let risk = learnedSettings.risk
        guard !risk.isEmpty else { return true }
        return line.plain.contains { word in
            risk.contains { $0.hasSuffix("*") ? word.hasPrefix($0.dropLast()) : word == $0 }
        }
    }

    func learnedFeatures(_ line: PlainedLine) -> [String] {
        LearnedReader.features(line.framed, negated: LearnedReader.negation(line.framed, negators: learnedSettings.negators), function: learnedSettings.function)
    }

    /// Loads the learned reader of `learned.yaml`, if the folder has one. `partial`: the rules hold only what one
    /// line can use (read from kept copies), so teaching, if needed, reads the rules whole first.
    mutating func learn(path: String, cache: CacheFolder?, partial: Bool, diagnostics: inout [Diagnostic]) {
        let categories = Set(CrisisCategory.allCases.map(\.rawValue) + ["none"])
        guard let settings = LearnedSettings.load(folder: path, keys: ["crisis", "against-ordinary"], cache: cache, kind: "settings-learned-crisis", diagnostics: &diagnostics) else { return }
        learnedSettings = settings
        var reading = self
        learned = LearnedReader.load("learned-crisis", settings: settings, depends: [CompiledCopy.path(path, "crisis.yaml"), CompiledCopy.path(path, "frames.yaml")], cache: cache, checked: !partial,
                                     diagnostics: &diagnostics) { found in
            Teaching.starting()
            // Read for one line, the rules hold only what that line can use: the examples are read with all of them.
            if partial {
                var unused: [Diagnostic] = []
                let directory = URL(fileURLWithPath: path, isDirectory: true)
                reading.rules = CrisisRules.load(url: directory.appendingPathComponent("crisis.yaml"), cache: cache, diagnostics: &unused)
                reading.adopt(CrisisFrames.load(url: directory.appendingPathComponent("frames.yaml"), cache: cache, diagnostics: &unused))
            }
            var lines = ExampleLines.load(settings.exampleFiles, layout: .crisis(categories: categories), diagnostics: &found)
            let sets = Dictionary(uniqueKeysWithValues: Catalog.sets.map { ($0.key, Set($0.value)) })
            for example in ExampleLines.load(settings.ordinaryFiles, layout: .understanding(labels: sets), diagnostics: &found) {
                lines.append(ExampleLine(set: nil, label: "none", text: example.text, place: example.place))
            }
            // Each line's features depend on that line alone: the second half is worked out on a second thread.
            let features = Beside.inHalves(lines.map(\.text)) { texts in reading.plainedAll(texts).map { reading.learnedFeatures($0) } }
            return LearnedReader.train(zip(lines, features).map { ($0.label, $1) }, epochs: settings.epochs)
        }
    }

    /// Whether the line carries a joke marker ("lol", "jk"), which turns an interruption into a question.
    func joking(_ line: PlainedLine) -> Bool {
        rules.soften.contains { rules.matcher.firstMatch($0.pieces, in: line.plain) != nil }
    }

    /// What the patterns alone make of a line.
    func patternReading(_ text: String) -> CrisisReading? { patternReading(plained(text)) }

    func patternReading(_ line: PlainedLine) -> CrisisReading? {
        let hits = self.hits(line)
        let order: [CrisisCategory] = [.selfHarm, .abuse, .harmOthers]
        func rank(_ h: Hit) -> (Int, Int) {
            (h.rule.kind == .ask || h.rule.kind == .control ? 1 : 0, order.firstIndex(of: h.rule.category) ?? 9)
        }
        // An `aimed` rule never stands alone ("I stayed for them, not for me" is no crisis): it only turns means read
        // as self-harm towards someone else. Nor does a `plan` (a time or a place): it only sharpens a threat.
        guard var best = hits.filter({ $0.rule.kind != .aimed && $0.rule.kind != .plan }).min(by: { rank($0) < rank($1) }) else { return nil }
        if best.rule.category == .selfHarm, let aimed = aimedAway(hits) { best = aimed }
        let sameCategory = hits.filter { $0.rule.category == best.rule.category }
        let evidence = Array(NSOrderedSet(array: sameCategory.map { "\($0.words) [\($0.rule.pattern.source)]" }).array as? [String] ?? [])
        let signs = Array(NSOrderedSet(array: hits.filter { $0.rule.kind == .control }.map(\.rule.sign)).array as? [String] ?? [])
        var certain = best.rule.kind != .ask && best.rule.kind != .control
        // Two different signs of control in one line (watching her phone, taking her wages) are abuse, not a question;
        // a threat with a time or a place ("tonight", "i know where he lives") is a plan, not only anger.
        if best.rule.category == .abuse && signs.count >= 2 { certain = true }
        if best.rule.category == .harmOthers && sameCategory.contains(where: { $0.rule.kind == .plan }) { certain = true }
        // "lol", "jk": a joke marker turns an interruption into one calm question, never into silence.
        return CrisisReading(category: best.rule.category, certain: certain && !joking(line), evidence: evidence,
                             violenceByUser: sameCategory.contains { $0.rule.kind == .byUser }, control: signs.isEmpty ? nil : signs)
    }

    /// The `aimed` hit that turns this line's self-harm reading towards someone else: only when every self-harm hit
    /// is about means or a plan, not the user's own death ("kill myself", "end my life", "die").
    func aimedAway(_ hits: [Hit]) -> Hit? {
        guard let aimed = hits.first(where: { $0.rule.kind == .aimed }) else { return nil }
        let selfHarm = hits.filter { $0.rule.category == .selfHarm }
        let own = ["myself", "my self", "my life", "die", "dying", "dead", "suicide", "suicidal", "kill me", "end me"]
        guard !selfHarm.isEmpty, !selfHarm.contains(where: { hit in own.contains { (" " + hit.words + " ").contains(" " + $0 + " ") } }) else { return nil }
        return aimed
    }

    /// The line as the detector sees it (after spelling and idioms), for `mend eval-safety --explain`.
    public func plainWords(_ text: String) -> String {
        plained(text).framed.joined(separator: " ")
    }

    /// Every pattern that holds in the line after idioms are set aside and negations and past hurts are weighed.
    func hits(_ line: PlainedLine) -> [Hit] {
        let tokens = line.framed
        let lineWords = line.words
        let presentNow = self.presentNow(tokens)
        var result: [Hit] = []
        for rule in rules.rules where rules.matcher.couldMatch(rule.pattern.pieces, words: lineWords, tokens: tokens) {
            for range in rules.matcher.allMatches(rule.pattern.pieces, in: tokens) {
                if negated(range, tokens) { continue }
                if !presentNow && inPast(range, tokens) { continue }
                result.append(Hit(rule: rule, range: range, words: tokens[range].joined(separator: " ")))
            }
        }
        return result
    }

    /// The start of the clause that holds `index`; `soft` also stops at commas.
    func clauseStart(_ index: Int, _ tokens: [String], soft: Bool) -> Int {
        var i = index
        while i > 0 {
            let t = tokens[i - 1]
            if t == PlainLine.sentenceEnd || Safety.clauseOpeners.contains(t) || (soft && t == PlainLine.comma) { break }
            i -= 1
        }
        return i
    }

    func clauseEnd(_ index: Int, _ tokens: [String]) -> Int {
        var i = index
        while i < tokens.count, tokens[i] != PlainLine.sentenceEnd, tokens[i] != PlainLine.comma, !Safety.clauseOpeners.contains(tokens[i]) { i += 1 }
        return i
    }

    /// Words that open a new clause, where a negation or a past marker before them stops reaching:
    /// "she'd never forgive me so what's the point in living" is not negated by "never".
    static let clauseOpeners: Set<String> = ["but", "though", "although", "so", "because", "cos", "coz", "cause"]

    /// A negation just before the match in the same clause ("I would never hurt her"), unless it is undone ("I can't promise I won't").
    func negated(_ range: Range<Int>, _ tokens: [String]) -> Bool {
        let start = clauseStart(range.lowerBound, tokens, soft: false)
        let before = Array(tokens[start..<range.lowerBound])
        guard !before.isEmpty else { return false }
        let windowStart = max(0, before.count - rules.negationWindow)
        for negation in rules.negations {
            for m in rules.matcher.allMatches(negation.pieces, in: before) where m.upperBound > windowStart {
                let undone = rules.negationUndo.contains { undo in
                    rules.matcher.allMatches(undo.pieces, in: before).contains { $0.overlaps(m) || $0.upperBound == m.lowerBound }
                }
                if !undone { return true }
            }
        }
        return false
    }

    /// A past marker in the same clause ("years ago", "when I was a kid"), or a later clause that looks back on it
    /// ("... that was 12 years ago"); the caller has made sure nothing says it is happening now.
    func inPast(_ range: Range<Int>, _ tokens: [String]) -> Bool {
        let clause = Array(tokens[clauseStart(range.lowerBound, tokens, soft: true)..<clauseEnd(range.upperBound, tokens)])
        if rules.past.contains(where: { rules.matcher.firstMatch($0.pieces, in: clause) != nil }) { return true }
        return rules.lookingBack.contains { pattern in
            rules.matcher.allMatches(pattern.pieces, in: tokens).contains { m in
                guard m.lowerBound >= range.upperBound else { return false }
                // It must open its clause (an "and" before it may stay): "..., that was years ago".
                var s = m.lowerBound
                while s > range.upperBound, tokens[s - 1] == "and" { s -= 1 }
                guard s > range.upperBound else { return false }
                let t = tokens[s - 1]
                return t == PlainLine.sentenceEnd || t == PlainLine.comma || Safety.clauseOpeners.contains(t)
            }
        }
    }

    /// Whether something in the line says the hurt is happening now ("again", "still", "tonight"): a present marker
    /// that is neither negated ("never again") nor part of words that say it is over ("i still feel terrible about it",
    /// "used to want to die every day").
    func presentNow(_ tokens: [String]) -> Bool {
        rules.present.contains { marker in
            rules.matcher.allMatches(marker.pieces, in: tokens).contains { m in
                if negated(m, tokens) { return false }
                return !rules.calm.contains { calm in rules.matcher.allMatches(calm.pieces, in: tokens).contains { $0.overlaps(m) } }
            }
        }
    }

    /// The user says they are under 18 ("I'm 15", "im in year 10").
    public func isMinor(_ text: String) -> Bool {
        let tokens = rules.normaliser.plain(text).tokens
        return rules.minor.contains { pattern in
            rules.matcher.allMatches(pattern.pieces, in: tokens).contains { !negated($0, tokens) }
        }
    }
}
