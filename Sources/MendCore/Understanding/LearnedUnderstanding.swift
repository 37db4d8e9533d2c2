// The understanding side of the learned reader: one model a set, trained on examples/*.tsv, heard when the rules would ask.
import Foundation

extension Understanding {
    /// A line's words for the learned reader: clause and sentence breaks kept as marks, negated words marked.
    /// `context`: the line's negation and contrast, when the caller has worked it out already.
    func learnedFeatures(_ tokens: [Token], context known: Context? = nil) -> [String] {
        guard !tokens.isEmpty else { return [] }
        let context = known ?? Context(tokens: tokens, language: language)
        var words: [String] = [], negated: [Bool] = []
        for (i, t) in tokens.enumerated() {
            if i > 0, t.clause != tokens[i - 1].clause || t.sentence != tokens[i - 1].sentence {
                words.append(t.sentence != tokens[i - 1].sentence ? "#" : ",")
                negated.append(false)
            }
            words.append(t.word)
            negated.append(context.negated[i])
        }
        return LearnedReader.features(words, negated: negated, function: learnedSettings.function)
    }

    /// What the learned reader of a set makes of a line the rules would ask about: a label when it is sure enough.
    func learnedReading(_ tokens: [Token], context: Context, set: String, threshold sure: Double? = nil) -> Reading? {
        guard let model = learned[set], let threshold = sure ?? learnedSettings.thresholds[set],
              let (label, probability, why, _) = model.read(learnedFeatures(tokens, context: context)), probability >= threshold else { return nil }
        return Reading(set: set, label: label, confidence: (probability * 100).rounded() / 100, evidence: ["learned: " + why.joined(separator: ", ")])
    }

    /// Loads the learned readers of `learned.yaml`, if the folder has one. `only`: just these sets. `partial`: the rules
    /// hold only part of the language (decoded for one line or a few sets), so teaching, if needed, reads them whole first.
    /// `yaml`: the folder's rule files (besides learned.yaml), as paths.
    mutating func learn(path: String, yaml: [String], cache: CacheFolder?, only: Set<String>?, partial: Bool, diagnostics: inout [Diagnostic]) {
        guard let settings = LearnedSettings.load(folder: path, keys: Set(Catalog.setOrder), cache: cache, kind: "settings-learned-understanding", diagnostics: &diagnostics) else { return }
        learnedSettings = settings
        let wanted = Catalog.setOrder.filter { (settings.thresholds[$0] != nil || settings.doubts[$0] != nil || settings.alone[$0] != nil) && (only?.contains($0) ?? true) }
        guard !wanted.isEmpty else { return }
        var reading = self
        // One copy for all sets: each record starts with its set.
        let all = CompiledCopy.loadMapped("learned-understanding", format: LearnedReader.compiledFormat + " epochs " + String(settings.epochs) + " " + CompiledCopy.join(settings.function.sorted(), ","), files: settings.files + yaml,
                                    cache: cache, diagnostics: &diagnostics,
                                    decode: { copy -> [String: LearnedReader]? in
                                        var out: [String: LearnedReader] = [:]
                                        // Read for one line (partial), the copy is searched as it lies; else checked and indexed.
                                        for (set, model) in LearnedReader.models(copy, named: true, only: Set(wanted), checked: !partial) {
                                            guard let model else { return nil }
                                            out[set] = model
                                        }
                                        return out
                                    },
                                    encode: { models -> [String]? in
                                        var lines: [String] = []
                                        for set in models.keys.sorted() {
                                            guard let records = models[set]?.encoded() else { return nil }
                                            lines += records.map { set + "\t" + $0 }
                                        }
                                        return lines
                                    },
                                    compile: { found -> [String: LearnedReader] in
                                        Teaching.starting()
                                        // Decoded for one line or a few sets, the rules hold only part of the language:
                                        // the examples are read with all of it, or the copy would differ by who made it.
                                        if partial {
                                            var unused: [Diagnostic] = []
                                            reading = Understanding.load(directory: URL(fileURLWithPath: path, isDirectory: true), diagnostics: &unused)
                                            reading.learnedSettings = settings
                                        }
                                        let labels = Dictionary(uniqueKeysWithValues: Catalog.sets.map { ($0.key, Set($0.value)) })
                                        let examples = ExampleLines.load(settings.exampleFiles, layout: .understanding(labels: labels), diagnostics: &found)
                                        var out: [String: LearnedReader] = [:]
                                        for set in Catalog.setOrder where settings.thresholds[set] != nil || settings.doubts[set] != nil || settings.alone[set] != nil {
                                            let lines = examples.filter { $0.set == set && $0.label != "-" }
                                            out[set] = LearnedReader.train(lines.map { ($0.label, reading.learnedFeatures(reading.language.tokens($0.text))) }, epochs: settings.epochs)
                                        }
                                        return out
                                    })
        learned = all
    }
}
