// Reading a line of free text against one of CONTENT.md's sets: weighted cues, negation, contrast, confidence.
import Foundation

/// How the assistant read one line for one set. `label` is nil when it would ask rather than guess.
public struct Reading: Sendable, Equatable, Codable {
    public var set: String
    public var label: String?
    public var confidence: Double
    /// The words that decided it, for `--explain`.
    public var evidence: [String]
    /// When it asks: the labels the line pointed to, strongest first ("confused and angry"), so they can be offered first.
    public var leaning: [String]?

    public init(set: String, label: String?, confidence: Double, evidence: [String] = []) {
        self.set = set
        self.label = label
        self.confidence = confidence
        self.evidence = evidence
    }
}

/// The understanding data of `dialogs/understanding/`, ready to read lines.
public struct Understanding: Sendable {
    public struct Label: Sendable, Equatable {
        public var id: String
        /// Plain words for the numbered choice offered when the assistant asks.
        public var title: String
    }

    /// A word or phrase that points to a label, with its weight.
    struct Cue: Sendable {
        var words: [String]
        var label: String
        var weight: Double
        var text: String
    }

    /// Two cues in order that together mean a label, though neither does alone: a claim, then what
    /// contradicts it ("his location said he was at the gym but the gym was closed" is a lie).
    struct Frame: Sendable {
        var label: String
        var weight: Double
        var first: [String: [Cue]] = [:]
        var then: [String: [Cue]] = [:]
        /// Words between the two that break the frame ("said he would come but didn't" is a promise, not a lie).
        var unless: Set<String> = []
        /// A claim contradicted by someone else doing what was claimed: "he said he paid the rent. I paid the rent".
        /// Nil for frames without it; else the words that may stand between the claimed person and the verb ("had").
        var echo: Set<String>? = nil
        /// The phrases as written, for the compiled copy.
        var texts: (first: [String], then: [String], unless: [String], echo: [String]) = ([], [], [], [])
    }

    /// Everything known about one set.
    struct SetData: Sendable {
        var labels: [Label] = []
        /// Cues by their first word.
        var cues: [String: [Cue]] = [:]
        /// Whole lines (normalised) that mean a label.
        var examples: [String: String] = [:]
        var threshold = 0.5
        /// A negated cue of one label counts for another ("not sure" aside, "not ok" is a no).
        var negated: [String: String] = [:]
        /// Words that belong (almost) only to one label's cues, with a light weight: the fallback when no cue matches.
        var words: [String: (String, Double)] = [:]
        /// The weight of one such word; below about 0.42 one alone never reaches a 0.5 threshold.
        var fallback = 0.5
        /// Sets a free-text answer read for this set is also read for ("my wife cheated" tells the breach too).
        var also: [String] = []
        /// Main acts over lesser ones, in the file's order: when both are found, the main one takes the lesser's weight.
        var over: [(main: String, lesser: [String])] = []
        /// The least weight a main act needs of its own before it takes over (a strong cue).
        var overMinimum = 2.0
        /// A higher least weight for some main acts (`over-needs`).
        var overNeeds: [String: Double] = [:]
        /// Labels whose cues can cover another act ("lied about", "kept quiet about"), and the words that say what they cover.
        var coverUps: Set<String> = []
        var coverWords: Set<String> = []
        /// Words a cover-up points back with ("lied about it", "hid that").
        var coverRefs: Set<String> = []
        var frames: [Frame] = []
        /// How much a cue counts when it names someone else's person ("her sister", "my partner's boss"); nil: in full.
        var others: Double?

        mutating func addOver(_ main: String, _ lesser: String) {
            if let i = over.firstIndex(where: { $0.main == main }) { over[i].lesser.append(lesser) } else { over.append((main, [lesser])) }
        }
    }

    public var sets: [String: [Label]] { data.mapValues(\.labels) }

    /// Builds each set's single-word fallback from its cues: a word counts for a label when at least
    /// `purity` of its uses across all sets' cues are that label's, and it is not a word of the language rules.
    /// Each set's `fallback` gives the weight (0.5 unless the set file says otherwise).
    mutating func indexWords(purity: Double = 0.95) {
        var uses: [String: [String: Double]] = [:]   // word -> "set/label" -> count
        for (set, d) in data {
            for cue in d.cues.values.joined() {
                for w in Set(cue.words) where w != "*" && w.count >= 4 {
                    uses[w, default: [:]]["\(set)/\(cue.label)", default: 0] += 1
                }
            }
        }
        let skip = language.negators.union(language.fillers).union(language.contrast).union(language.clauseContrast)
        for (word, counts) in uses where !skip.contains(word) {
            let total = counts.values.reduce(0, +)
            guard let (key, n) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }), n / total >= purity else { continue }
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            let weight = data[parts[0]]?.fallback ?? 0.5
            data[parts[0]]?.words[word] = (parts[1], weight)
        }
    }
    var data: [String: SetData] = [:]
    var language = Language()
    var grammar = RoleGrammar()
    /// Readers learned from example lines, by set, and how sure each must be (LearnedUnderstanding.swift).
    var learned: [String: LearnedReader] = [:]
    var learnedSettings = LearnedSettings()

    public init() {}

    public func title(of label: String, in set: String) -> String {
        data[set]?.labels.first { $0.id == label }?.title ?? label
    }

    /// A line's words after the language rules (case, contractions, slang, typos), to compare typed text with a choice.
    public func plainWords(_ text: String) -> [String] { language.tokens(text).map(\.word) }

    /// The other sets a free-text answer for `set` also fills, when it reads clearly for them.
    public func alsoRead(for set: String) -> [String] { data[set]?.also ?? [] }

    /// The confidence below which the assistant asks instead of guessing.
    public func threshold(of set: String) -> Double { data[set]?.threshold ?? 0.5 }

    /// Reads a line against a set; abstains (label nil) when no label clearly wins. `asked`: the line answers
    /// this set's own question, so the learned reader may speak even where the rules saw no word of the set.
    public func read(_ text: String, set: String, asked: Bool = false) -> Reading {
        guard let setData = data[set] else { return Reading(set: set, label: nil, confidence: 0) }
        let tokens = language.tokens(text)
        if tokens.isEmpty { return Reading(set: set, label: nil, confidence: 0) }
        let words = tokens.map(\.word)
        let typos = tokens.compactMap { t in t.typed.map { "\($0)→\(t.word)" } }
        // A plain join: the generic `joined` costs a one-line start a runtime look-up.
        let whole = CompiledCopy.join(words, " ")
        if let label = setData.examples[whole] {
            return Reading(set: set, label: label, confidence: 0.95, evidence: [whole] + typos)
        }
        let context = Context(tokens: tokens, language: language)
        var scores: [String: Double] = [:]
        var evidence: [String: [String]] = [:]
        var dropped: [String] = []

        let found = matches(of: setData.cues, in: tokens)
        let allegations = set == "role" && !grammar.accusing.isEmpty
            ? grammar.allegations(tokens, accusing: matches(of: grammar.accusing, in: tokens), denials: matches(of: grammar.denials, in: tokens),
                                  owning: matches(of: grammar.owning, in: tokens), context: context)
            : []
        let framed = frames(of: setData, in: tokens, context: context)
        // What a contradicted claim was about ("he said he paid the rent. I paid the rent") is no breach of its own.
        let claimed = framed.filter { $0.0.echo != nil && $0.0.then.isEmpty }.map { f in
            f.1...(tokens.indices.last { $0 >= f.2 && tokens[$0].clause == tokens[f.2].clause } ?? f.2)
        }
        for match in found {
            if claimed.contains(where: { $0.contains(match.start) }) {
                dropped.append("\(match.cue.text) (claimed)")
                continue
            }
            var weight = match.cue.weight * context.shift[match.start]
            // "my ex tells everyone i was the one who cheated, it's the other way round": words of guilt inside an
            // allegation the user denies are the accuser's, so they do not count (the grammar weighs the act itself).
            if match.cue.label == "hurting", allegations.contains(where: { $0.from <= match.start && match.start <= $0.to && $0.verdict == .denied }) {
                continue
            }
            // "she was depressed", "he is so angry": someone else's feeling is not the user's.
            if set == "feeling", let owner = feelingOwner(before: match.start, in: tokens), owner == .third {
                dropped.append("\(match.cue.text) (theirs)")
                continue
            }
            if let others = setData.others, match.start > 0, !grammar.thirdPossessive.contains(match.cue.words[0]),
               tokens[match.start - 1].owner || grammar.thirdPossessive.contains(tokens[match.start - 1].word) {
                weight *= others
            }
            // "lied about texting his ex": what a cover-up is about is the act that counts.
            if !context.negated[match.start], let (label, text) = coveredAct(by: match, among: found, tokens: tokens, context: context, in: setData) {
                weight *= 1.5
                scores[label, default: 0] += weight
                evidence[label, default: []].append("\(match.cue.text) … \(text)")
                continue
            }
            if context.negated[match.start] {
                if let other = setData.negated[match.cue.label] {
                    scores[other, default: 0] += weight
                    evidence[other, default: []].append("not \(match.cue.text)")
                } else {
                    dropped.append("not \(match.cue.text)")
                }
                continue
            }
            scores[match.cue.label, default: 0] += weight
            evidence[match.cue.label, default: []].append(match.cue.text)
        }
        for (frame, start, end) in framed {
            scores[frame.label, default: 0] += frame.weight
            evidence[frame.label, default: []].append("\(words[start]) … \(words[end])")
        }
        if set == "role" {
            // Any strong breach cue is an act too ("he flirted", "she kept it quiet"); role.yaml's acts come first.
            var acts = matches(of: grammar.acts, in: tokens)
            if let breach = data["breach"] {
                for m in matches(of: breach.cues, in: tokens) where m.cue.weight >= 1 && !acts.contains(where: { $0.start <= m.end && m.start <= $0.end }) && !context.negated[m.start] {
                    // A plain breach cue ("distant", "his ex") is a lighter act than a strong one.
                    acts.append((Cue(words: m.cue.words, label: "act", weight: m.cue.weight >= 2 ? 0.5 : 0.3, text: m.cue.text), m.start, m.end))
                }
            }
            // So is a breach frame ("his location said … but"): the one who made the claim did it.
            if let breach = data["breach"] {
                for (frame, start, _) in frames(of: breach, in: tokens, context: context) {
                    guard let claim = matches(of: frame.first, in: tokens).first(where: { $0.start == start }) else { continue }
                    acts.append((Cue(words: claim.cue.words, label: "act", weight: 0.5, text: claim.cue.text), claim.start, claim.end))
                }
            }
            // A phrase of being kept in the dark is an act too, read the other way round.
            let unaware = matches(of: grammar.unaware, in: tokens)
            for m in unaware where !acts.contains(where: { $0.start == m.start }) {
                acts.append((Cue(words: m.cue.words, label: "act", weight: 0.5, text: m.cue.text), m.start, m.end))
            }
            // Snooping that found the breach ("went through my phone and saw the messages") is how it came out, not the act.
            let discoveries = matches(of: grammar.discovery, in: tokens)
            acts.removeAll { a in discoveries.contains { $0.start <= a.start && a.end <= $0.end } }
            grammar.read(tokens, acts: acts, discoveries: discoveries, unawareMatches: unaware,
                         allegations: allegations, context: context, language: language, scores: &scores, evidence: &evidence)
        }

        // Nothing matched as a phrase: single words that belong almost only to one label's cues still count, lightly.
        if scores.isEmpty {
            for (i, token) in tokens.enumerated() where !context.negated[i] {
                guard let (label, weight) = setData.words[token.word] else { continue }
                scores[label, default: 0] += weight * context.shift[i]
                evidence[label, default: []].append("~" + (token.typed ?? token.word))
            }
        }
        // The act, not its cover-up: "she lied about the affair" is the affair, "he hid his texts to his ex" the texting.
        for (main, lesser) in setData.over where (scores[main] ?? 0) >= setData.overNeeds[main, default: setData.overMinimum] {
            for other in lesser {
                guard let taken = scores[other], taken > 0 else { continue }
                scores[main, default: 0] += taken
                scores[other] = 0
                evidence[main, default: []].append("over \(other)")
            }
        }
        let ranked = scores.filter { $0.value > 0 }.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard let best = ranked.first else {
            // Only for a line that tells something (five words or more) and is not a feeling put another way:
            // "my best mate" or "i feel nothing" answering "What happened?" is asked about, not read as an act.
            if asked, let sure = learnedSettings.alone[set], tokens.count >= 5, set == "feeling" || read(text, set: "feeling").label == nil,
               let learned = learnedReading(tokens, context: context, set: set, threshold: sure) { return learned }
            // No word of this set at all: the line may be about something else, which the learned reader cannot tell.
            return Reading(set: set, label: nil, confidence: 0, evidence: dropped)
        }
        let second = ranked.count > 1 ? ranked[1].value : 0
        var confidence = best.value / (best.value + second + 0.45)
        if context.hedged { confidence *= 0.92 }
        confidence = (confidence * 100).rounded() / 100
        let why = (evidence[best.key] ?? []) + dropped + typos
        if confidence < setData.threshold {
            if let learned = learnedReading(tokens, context: context, set: set) { return learned }
            var unsure = Reading(set: set, label: nil, confidence: confidence, evidence: ranked.prefix(3).flatMap { evidence[$0.key] ?? [] } + dropped)
            let leaning = ranked.prefix(3).filter { $0.value >= best.value / 2 }.map(\.key)
            if leaning.count > 1 { unsure.leaning = leaning }
            return unsure
        }
        // The learned reader, sure of another label, turns the rules' guess into a question.
        if let doubt = learnedSettings.doubts[set], let model = learned[set], let other = model.read(learnedFeatures(tokens, context: context)),
           other.label != best.key, other.probability >= doubt {
            return Reading(set: set, label: nil, confidence: confidence, evidence: why + ["learned doubt: \(other.label) \(Int(other.probability * 100))%"])
        }
        return Reading(set: set, label: best.key, confidence: confidence, evidence: why)
    }

    /// Whose feeling a feeling word is: the subject just before it in its clause, within a few words
    /// ("she was depressed", "he's so angry", "i feel", "im"). Nil when no subject is that close.
    func feelingOwner(before start: Int, in tokens: [Token]) -> RoleGrammar.Person? {
        var j = start - 1
        while j >= max(0, start - 4), tokens[j].clause == tokens[start].clause {
            let word = tokens[j].word
            if grammar.first.contains(word) || grammar.firstObject.contains(word) { return .first }
            if grammar.third.contains(word) && word != "you" && word != "someone" && word != "somebody" { return .third }
            j -= 1
        }
        return nil
    }

    /// Each frame found in the line: where its first cue starts and its second ends. A negated first cue does not count.
    func frames(of setData: SetData, in tokens: [Token], context: Context) -> [(Frame, Int, Int)] {
        var found: [(Frame, Int, Int)] = []
        for frame in setData.frames {
            let firsts = matches(of: frame.first, in: tokens)
            if firsts.isEmpty { continue }
            let thens = matches(of: frame.then, in: tokens)
            search: for a in firsts where !context.negated[a.start] {
                for b in thens where b.start > a.end + 1 && b.start <= a.end + 14 {
                    if tokens[(a.end + 1)..<b.start].contains(where: { frame.unless.contains($0.word) }) { continue }
                    found.append((frame, a.start, b.end))
                    break search
                }
                if let skip = frame.echo, let end = echo(of: a, in: tokens, skipping: skip),
                   !tokens[(a.end + 1)..<end].contains(where: { frame.unless.contains($0.word) }) {
                    found.append((frame, a.start, end))
                    break search
                }
            }
        }
        return found
    }

    /// Where a claim about oneself ("he said he paid the rent", "i told her i had paid") is answered in a later
    /// sentence by someone else doing the same ("I paid the rent", "my mum did"): the end of that answer, else nil.
    /// A claim of being somewhere or something ("he said he was at work") has no verb to echo, so never matches.
    func echo(of claim: (cue: Cue, start: Int, end: Int), in tokens: [Token], skipping skip: Set<String>) -> Int? {
        let sentence = tokens[claim.start].sentence
        func person(_ k: Int) -> String? {
            let word = tokens[k].word
            if grammar.first.contains(word) { return "first" }
            if grammar.pronouns.contains(word) || tokens[k].name { return word }
            return nil
        }
        // Who claims it, if anyone is named just before ("my husband told me", "i swore to her"), must be who it is about.
        var claimer: String? = nil
        var b = claim.start - 1
        while b >= max(0, claim.start - 3), tokens[b].clause == tokens[claim.start].clause {
            if let p = person(b) { claimer = p; break }
            if grammar.thirdPossessive.contains(tokens[b].word) || grammar.firstPossessive.contains(tokens[b].word) { claimer = "third"; break }
            b -= 1
        }
        // The claimed person right after ("told me that he", "said she'd").
        var s = claim.end + 1
        while s < min(tokens.count, claim.end + 4), tokens[s].sentence == sentence, person(s) == nil { s += 1 }
        guard s < tokens.count, tokens[s].sentence == sentence, let claimed = person(s) else { return nil }
        if let claimer, (claimer == "first") != (claimed == "first") { return nil }
        var v = s + 1
        while v < tokens.count, skip.contains(tokens[v].word) { v += 1 }
        guard v < tokens.count, tokens[v].sentence == sentence, !grammar.copulas.contains(tokens[v].word),
              !language.negators.contains(tokens[v].word) else { return nil }
        let verb = tokens[v].word
        // Someone else, in a later sentence, doing it: a person, or "my mum", then the same verb or a bare "did".
        var k = v + 1
        while k < tokens.count {
            defer { k += 1 }
            guard tokens[k].sentence > sentence else { continue }
            var other = person(k)
            var m = k + 1
            if other == nil, grammar.firstPossessive.contains(tokens[k].word) || grammar.thirdPossessive.contains(tokens[k].word) {
                other = "third"; m += 1
            }
            guard let other, other != claimed else { continue }
            while m < tokens.count, skip.contains(tokens[m].word) { m += 1 }
            guard m < tokens.count, tokens[m].clause == tokens[k].clause else { continue }
            if tokens[m].word == verb { return m }
            if tokens[m].word == "did", m + 1 == tokens.count || tokens[m + 1].clause != tokens[m].clause { return m }
        }
        return nil
    }

    /// The act a cover-up cue is about: "lied about" + "texting * ex" is the texting. Nil when it covers no other act.
    func coveredAct(by m: (cue: Cue, start: Int, end: Int), among found: [(cue: Cue, start: Int, end: Int)], tokens: [Token],
                    context: Context, in setData: SetData) -> (String, String)? {
        guard setData.coverUps.contains(m.cue.label) else { return nil }
        // "lied about it", "hiding it": the cover-up points back to the main act of the line, wherever it stands.
        let next = m.end + 1 < tokens.count && tokens[m.end + 1].sentence == tokens[m.end].sentence ? m.end + 1 : -1
        let pointer = next >= 0 && setData.coverWords.contains(tokens[next].word) && next + 1 < tokens.count ? next + 1 : next
        if pointer >= 0, setData.coverRefs.contains(tokens[pointer].word) || setData.coverRefs.contains(m.cue.words.last ?? "") {
            let others = found.filter { !setData.coverUps.contains($0.cue.label) && $0.cue.weight >= 2 && !context.negated[$0.start] }
            if let main = others.max(by: { $0.cue.weight < $1.cue.weight || ($0.cue.weight == $1.cue.weight && $0.start > $1.start) }) {
                return (main.cue.label, main.cue.text)
            }
        }
        var about = -1
        if let last = m.cue.words.last, setData.coverWords.contains(last) {
            about = m.end
        } else if m.end + 1 < tokens.count, setData.coverWords.contains(tokens[m.end + 1].word), tokens[m.end + 1].clause == tokens[m.end].clause {
            about = m.end + 1
        }
        guard about >= 0 else { return nil }
        for n in found where n.start > about && n.start <= about + 4 && tokens[n.start].clause == tokens[about].clause {
            if n.cue.label == m.cue.label || setData.coverUps.contains(n.cue.label) || n.cue.weight < 2 || context.negated[n.start] { continue }
            return (n.cue.label, n.cue.text)
        }
        return nil
    }

    /// Every cue found in the tokens; a cue inside a longer cue found at the same place does not count.
    func matches(of cues: [String: [Cue]], in tokens: [Token]) -> [(cue: Cue, start: Int, end: Int)] {
        var found: [(cue: Cue, start: Int, end: Int)] = []
        for i in tokens.indices {
            guard let candidates = cues[tokens[i].word] else { continue }
            for cue in candidates {
                if let end = phraseEnd(cue.words, at: i, in: tokens) { found.append((cue, i, end)) }
            }
        }
        if found.count < 2 { return found }
        typealias Match = (cue: Cue, start: Int, end: Int)
        func length(_ m: Match) -> Int { m.end - m.start }
        /// Whether `o` pushes `m` aside: it holds all of `m` and more, or it shares words with `m` and is
        /// heavier, or as heavy and starts with a negator ("never makes time" over "makes time for me"), or longer.
        func beats(_ o: Match, _ m: Match) -> Bool {
            guard o.start <= m.end, m.start <= o.end, !(o.start == m.start && o.end == m.end) else { return false }
            if o.start <= m.start && m.end <= o.end { return true }
            if m.start <= o.start && o.end <= m.end { return false }
            if o.cue.weight != m.cue.weight { return o.cue.weight > m.cue.weight }
            let oNeg = language.negators.contains(o.cue.words[0]), mNeg = language.negators.contains(m.cue.words[0])
            if oNeg != mNeg { return oNeg }
            return length(o) > length(m)
        }
        var kept: [Match] = []
        for (i, m) in found.enumerated() {
            if found.indices.contains(where: { $0 != i && beats(found[$0], m) }) { continue }
            // Two cues of one label over the very same words count once.
            if kept.contains(where: { $0.start == m.start && $0.end == m.end && $0.cue.label == m.cue.label }) { continue }
            var m = m
            // A longer phrase keeps the weight of the strongest cue of its own label inside it.
            for inner in found where inner.cue.label == m.cue.label && m.start <= inner.start && inner.end <= m.end {
                m.cue.weight = max(m.cue.weight, inner.cue.weight)
            }
            kept.append(m)
        }
        return kept.sorted { $0.start < $1.start }
    }

    /// Where a phrase ends when it starts at `i`, within one sentence: filler words inside it are skipped,
    /// and a `*` in the phrase stands for one to three words ("took * side" meets "took his mom's side").
    func phraseEnd(_ words: [String], at i: Int, in tokens: [Token]) -> Int? {
        let sentence = tokens[i].sentence
        func match(_ n: Int, _ j: Int) -> Int? {
            if n == words.count { return j - 1 }
            guard j < tokens.count, tokens[j].sentence == sentence else { return nil }
            if words[n] == "*" {
                var k = j + 1
                while k <= j + 3, k <= tokens.count, tokens[k - 1].sentence == sentence {
                    if let end = match(n + 1, k) { return end }
                    k += 1
                }
                return nil
            }
            if tokens[j].word == words[n] { return match(n + 1, j + 1) }
            if n > 0, language.fillers.contains(tokens[j].word) { return match(n, j + 1) }
            return nil
        }
        return match(1, i + 1)
    }
}

/// What surrounds each word: whether it is negated, how much weight contrast gives it, whether the line hedges.
struct Context {
    var negated: [Bool]
    var shift: [Double]
    var hedged = false

    init(tokens: [Token], language: Language) {
        negated = Array(repeating: false, count: tokens.count)
        shift = Array(repeating: 1, count: tokens.count)
        let words = tokens.map(\.word)
        func starts(_ phrase: [String], at i: Int) -> Bool {
            i + phrase.count <= words.count && Array(words[i..<(i + phrase.count)]) == phrase
        }
        for i in tokens.indices {
            if language.negators.contains(words[i]), !language.notNegating.contains(where: { starts($0, at: i) }) {
                var j = i + 1, counted = 0
                while j < tokens.count, counted < language.negationScope, tokens[j].clause == tokens[i].clause,
                      !language.contrast.contains(words[j]), j == i + 1 || !language.clauseContrast.contains(words[j]) {
                    negated[j] = true
                    if !language.fillers.contains(words[j]) { counted += 1 }
                    j += 1
                }
            }
            if !hedged, language.hedges.contains(where: { starts($0, at: i) }) { hedged = true }
        }
        // Contrast: in each sentence, what follows the last "but" or "just" outweighs what came before.
        var i = tokens.count - 1
        while i >= 0 {
            let sentence = tokens[i].sentence
            var j = i
            var pivot: Int?
            while j >= 0, tokens[j].sentence == sentence {
                if pivot == nil, j > 0, tokens[j - 1].sentence == sentence,
                   language.contrast.contains(words[j]) || (language.clauseContrast.contains(words[j]) && tokens[j - 1].clause != tokens[j].clause) {
                    pivot = j
                }
                j -= 1
            }
            if let pivot {
                for k in (j + 1)...i { shift[k] = k > pivot ? 1.5 : 0.6 }
            }
            i = j
        }
    }
}
