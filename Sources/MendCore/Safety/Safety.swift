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
    public init(category: CrisisCategory, certain: Bool, evidence: [String] = [], violenceByUser: Bool = false) {
        self.category = category
        self.certain = certain
        self.evidence = evidence
        self.violenceByUser = violenceByUser
    }
}

/// The detector's knowledge, compiled from crisis.yaml.
struct CrisisRules: Sendable {
    enum Kind: String, Sendable { case byUser = "by-user", interrupt, ask }
    struct Rule: Sendable {
        var category: CrisisCategory
        var kind: Kind
        var pattern: CrisisPattern
    }
    var normaliser = Normaliser()
    var matcher = PatternMatcher(slots: [:], gapStops: [])
    var idioms: [CrisisPattern] = []
    var negations: [CrisisPattern] = []
    var negationUndo: [CrisisPattern] = []
    var negationWindow = 4
    var past: [CrisisPattern] = []
    var present: [CrisisPattern] = []
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
        // For one line, the learned reader needs nothing of the patterns: it loads on a thread of its own beside them.
        final class Learned: @unchecked Sendable {
            var safety = Safety()
            var diagnostics: [Diagnostic] = []
        }
        let learned = Learned()
        let beside = line.map { line in Beside { learned.safety.learn(directory: directory, cache: cache, line: line, diagnostics: &learned.diagnostics) } }
        var safety = Safety()
        if let line, let quick = forLine(line, directory: directory, cache: cache) {
            safety = quick
        } else {
            safety.rules = CrisisRules.load(url: directory.appendingPathComponent("crisis.yaml"), cache: cache, diagnostics: &diagnostics)
            safety.adopt(CrisisFrames.load(url: directory.appendingPathComponent("frames.yaml"), cache: cache, diagnostics: &diagnostics))
        }
        if let beside {
            beside.wait()
            safety.learned = learned.safety.learned
            safety.learnedSettings = learned.safety.learnedSettings
            diagnostics += learned.diagnostics
        } else {
            safety.learn(directory: directory, cache: cache, line: line, diagnostics: &diagnostics)
        }
        guard helpLines else { return safety }
        let table = HelpLineTable.load(url: directory.appendingPathComponent("helplines.yaml"), diagnostics: &diagnostics)
        safety.helpLines = table.lines
        safety.groups = table.groups
        return safety
    }

    /// For one line, from kept copies only, reading only what that line can use; nil when a copy is missing or
    /// damaged (then the whole load compiles and reports as usual). A copy is kept only when compiling reported
    /// nothing, so there is nothing to report here. Patterns and frames share the normaliser, so: the frames'
    /// spelling and the words the line can ask about first, then the patterns, then the frames the line's plain words reach.
    static func forLine(_ line: String, directory: URL, cache: CacheFolder?) -> Safety? {
        let framesURL = directory.appendingPathComponent("frames.yaml", isDirectory: false), crisisURL = directory.appendingPathComponent("crisis.yaml", isDirectory: false)
        guard let framesBody = CompiledCopy.kept("frames", format: CrisisFrames.compiledFormat, files: [framesURL], cache: cache),
              let crisisBody = CompiledCopy.kept("crisis", format: CrisisRules.compiledFormat, files: [crisisURL], cache: cache),
              var partial = CrisisFrames.Partial(framesBody, asked: Normaliser.asked(line)),
              let rules = CrisisRules.decode(crisisBody, line: line, frames: partial.frames),
              let frames = partial.complete(tokens: rules.normaliser.plain(line).tokens) else { return nil }
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
              let category = CrisisCategory(rawValue: label) else { return nil }
        return CrisisReading(category: category, certain: false, evidence: ["learned \(Int(probability * 100))%: " + why.joined(separator: ", ")])
    }

    func learnedFeatures(_ line: PlainedLine) -> [String] {
        LearnedReader.features(line.framed, negated: LearnedReader.negation(line.framed, negators: learnedSettings.negators), function: learnedSettings.function)
    }

    /// Loads the learned reader of `learned.yaml`, if the folder has one; with `line`, only what that line can use.
    mutating func learn(directory: URL, cache: CacheFolder?, line: String?, diagnostics: inout [Diagnostic]) {
        let categories = Set(CrisisCategory.allCases.map(\.rawValue) + ["none"])
        guard let settings = LearnedSettings.load(folder: directory, keys: ["crisis", "against-ordinary"], cache: cache, kind: "settings-learned-crisis", diagnostics: &diagnostics) else { return }
        learnedSettings = settings
        var reading = self
        learned = LearnedReader.load("learned-crisis", settings: settings, depends: [directory.appendingPathComponent("crisis.yaml", isDirectory: false), directory.appendingPathComponent("frames.yaml", isDirectory: false)], cache: cache,
                                     diagnostics: &diagnostics) { found in
            // Read for one line, the rules hold only what that line can use: the examples are read with all of them.
            if line != nil {
                var unused: [Diagnostic] = []
                reading.rules = CrisisRules.load(url: directory.appendingPathComponent("crisis.yaml"), cache: cache, diagnostics: &unused)
                reading.adopt(CrisisFrames.load(url: directory.appendingPathComponent("frames.yaml"), cache: cache, diagnostics: &unused))
            }
            var lines = ExampleLines.load(settings.examples.flatMap(ExampleLines.files(in:)), layout: .crisis(categories: categories), diagnostics: &found)
            let sets = Dictionary(uniqueKeysWithValues: Catalog.sets.map { ($0.key, Set($0.value)) })
            for example in ExampleLines.load(settings.ordinary.flatMap(ExampleLines.files(in:)), layout: .understanding(labels: sets), diagnostics: &found) {
                lines.append(ExampleLine(set: nil, label: "none", text: example.text, place: example.place))
            }
            return LearnedReader.train(lines.map { ($0.label, reading.learnedFeatures(reading.plained($0.text))) }, epochs: settings.epochs)
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
            (h.rule.kind == .ask ? 1 : 0, order.firstIndex(of: h.rule.category) ?? 9)
        }
        guard let best = hits.min(by: { rank($0) < rank($1) }) else { return nil }
        let sameCategory = hits.filter { $0.rule.category == best.rule.category }
        let evidence = Array(NSOrderedSet(array: sameCategory.map { "\($0.words) [\($0.rule.pattern.source)]" }).array as? [String] ?? [])
        // "lol", "jk": a joke marker turns an interruption into one calm question, never into silence.
        return CrisisReading(category: best.rule.category, certain: best.rule.kind != .ask && !joking(line), evidence: evidence,
                             violenceByUser: sameCategory.contains { $0.rule.kind == .byUser })
    }

    /// The line as the detector sees it (after spelling and idioms), for `mend eval-safety --explain`.
    public func plainWords(_ text: String) -> String {
        plained(text).framed.joined(separator: " ")
    }

    /// Every pattern that holds in the line after idioms are set aside and negations and past hurts are weighed.
    func hits(_ line: PlainedLine) -> [Hit] {
        let tokens = line.framed
        let lineWords = line.words
        let presentNow = rules.present.contains { rules.matcher.firstMatch($0.pieces, in: tokens) != nil }
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
            if t == PlainLine.sentenceEnd || t == "but" || t == "though" || t == "although" || (soft && t == PlainLine.comma) { break }
            i -= 1
        }
        return i
    }

    func clauseEnd(_ index: Int, _ tokens: [String]) -> Int {
        var i = index
        while i < tokens.count, ![PlainLine.sentenceEnd, PlainLine.comma, "but", "though", "although"].contains(tokens[i]) { i += 1 }
        return i
    }

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

    /// A past marker in the same clause ("years ago", "when I was a kid") and nothing saying it is happening now.
    func inPast(_ range: Range<Int>, _ tokens: [String]) -> Bool {
        let clause = Array(tokens[clauseStart(range.lowerBound, tokens, soft: true)..<clauseEnd(range.upperBound, tokens)])
        return rules.past.contains { rules.matcher.firstMatch($0.pieces, in: clause) != nil }
    }

    /// The user says they are under 18 ("I'm 15", "im in year 10").
    public func isMinor(_ text: String) -> Bool {
        let tokens = rules.normaliser.plain(text).tokens
        return rules.minor.contains { pattern in
            rules.matcher.allMatches(pattern.pieces, in: tokens).contains { !negated($0, tokens) }
        }
    }
}
