// The learned reader: example files checked line by line, a model that learns its lines, and the compiled copy read in place.
import Foundation
import Testing
@testable import MendCore

@Suite struct ExampleFiles {
    @Test func badExampleLinesAreReportedWithFileLineAndColumn() throws {
        let dir = NSTemporaryDirectory() + "mend-examples-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/lines.tsv"
        try "# comment\nabuse\the reads my texts\nnone\tHe  reads my texts\nrage\tsome line\nonlyone\n".write(toFile: file, atomically: true, encoding: .utf8)
        var diagnostics: [Diagnostic] = []
        let lines = ExampleLines.load([URL(fileURLWithPath: file)], layout: .crisis(categories: ["abuse", "none"]), diagnostics: &diagnostics)
        #expect(lines.map(\.text) == ["he reads my texts"])
        #expect(diagnostics.map { "\($0.line):\($0.column)" } == ["3:6", "4:1", "5:1"])
        #expect(diagnostics.first?.message.contains("listed as 'abuse'") == true)
        #expect(diagnostics.dropFirst().first?.message.contains("unknown category 'rage'") == true)
    }
}

@Suite struct LearnedModel {
    /// Lines in two made-up labels, told apart only by their words.
    let lines: [(label: String, features: [String])] = (0..<40).flatMap { i in
        [("sea", LearnedReader.features(["the", "waves", "were", "high", "day\(i % 5)"], negated: [])),
         ("hill", LearnedReader.features(["the", "slope", "was", "steep", "day\(i % 5)"], negated: []))]
    }

    @Test func itLearnsWhatTellsItsLabelsApartAndIsTheSameEveryTime() throws {
        let model = LearnedReader.train(lines)
        let sea = try #require(model.read(LearnedReader.features(["big", "waves", "were", "high", "today"], negated: [])))
        #expect(sea.label == "sea" && sea.probability > 0.8)
        #expect(sea.evidence.contains("waves"))
        #expect(LearnedReader.train(lines) == model, "the same lines teach the same model")
        // Too few known words: nothing is said.
        #expect(model.read(LearnedReader.features(["waves"], negated: [])) == nil)
    }

    @Test func aNegatedWordIsADifferentFeature() {
        let words = ["i", "wont", "hurt", "her"]
        let f = LearnedReader.features(words, negated: LearnedReader.negation(words, negators: ["wont"]))
        #expect(f.contains("~hurt") && !f.contains("hurt"))
        #expect(f.contains("~wont hurt"), "a pair inside the negation is marked too")
    }

    @Test func theCompiledCopyIsReadInPlaceAndGivesTheSameReadings() throws {
        let model = LearnedReader.train(lines)
        let records = try #require(model.encoded())
        func models(_ records: [String]) -> [String: LearnedReader?] {
            LearnedReader.models(Array((records.joined(separator: "\n") + "\n").utf8)[...])
        }
        let copy = try #require(models(records)[""] ?? nil)
        #expect(copy.weights.isEmpty, "nothing decoded up front")
        for words in [["big", "waves", "were", "high"], ["a", "slope", "was", "steep", "day2"]] {
            let a = model.read(LearnedReader.features(words, negated: [])), b = copy.read(LearnedReader.features(words, negated: []))
            #expect(a?.label == b?.label && a?.probability == b?.probability)
        }
        // A damaged copy is refused (then the model is taught again): a record cut short, or out of order.
        var cut = records
        cut[3] = "F\tbroken"
        #expect(models(cut)[""] == .some(nil))
        var swapped = records
        swapped.swapAt(3, 4)
        #expect(models(swapped)[""] == .some(nil))
    }
}

@Suite struct LearnedAlone {
    /// A line with no word the rules know for the set, answering that set's own question, is read by the learned
    /// reader; the same line read in passing for another question is not, and neither is a short or a feeling line.
    @Test func theLearnedReaderSpeaksAloneOnlyForTheSetsOwnQuestion() {
        let u = shippedDialogs.understanding
        let told = "my daughter said she passed her driving test, she has never even booked one"
        #expect(u.read(told, set: "breach").label == nil)
        #expect(u.read(told, set: "breach", asked: true).label == "lie")
        #expect(u.read(told, set: "breach", asked: true).evidence.first?.hasPrefix("learned:") == true)
        #expect(u.read("my best mate", set: "breach", asked: true).label == nil)
        #expect(u.read("I feel very sad and low, honestly", set: "breach", asked: true).label == nil)
    }
}

@Suite struct LearnedCopies {
    /// `mend understand` (one line, one set) and a chat start (everything) must teach the same models:
    /// whichever runs first writes the copy the other reads.
    @Test func aOneLineStartTeachesTheSameModelsAsAFullStart() throws {
        func copies(_ folder: String) throws -> [String: String] {
            var out: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("learned-") && name.hasSuffix(".txt") {
                out[name] = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            }
            return out
        }
        let oneLine = CacheFolder(path: NSTemporaryDirectory() + "mend-one-\(UUID().uuidString)", salt: "t")
        let full = CacheFolder(path: NSTemporaryDirectory() + "mend-full-\(UUID().uuidString)", salt: "t")
        _ = DialogLoader.loadReading(directory: realDialogs, cache: oneLine, sets: ["role"], line: "he lied to me")
        _ = DialogLoader.load(directory: realDialogs, cache: full)
        let a = try copies(oneLine.path), b = try copies(full.path)
        #expect(a.count == 2)
        #expect(a == b)
    }
}

/// Teaching fast must teach the same: each shortcut gives what the plain way gives, on the real example lines.
@Suite struct FastTeaching {
    /// Every example line's text (crisis and understanding examples).
    static let texts: [String] = {
        var diagnostics: [Diagnostic] = []
        let safety = URL(fileURLWithPath: realDialogs + "/safety/examples"), understanding = URL(fileURLWithPath: realDialogs + "/understanding/examples")
        let crisis = ExampleLines.load(["must-pass", "more"].flatMap { ExampleLines.files(in: safety.appendingPathComponent($0)) },
                                       layout: .crisis(categories: ["self-harm", "harm-others", "abuse", "none"]), diagnostics: &diagnostics)
        let sets = Dictionary(uniqueKeysWithValues: Catalog.sets.map { ($0.key, Set($0.value)) })
        let ordinary = ExampleLines.load(ExampleLines.files(in: understanding), layout: .understanding(labels: sets), diagnostics: &diagnostics)
        return (crisis + ordinary).map(\.text)
    }()

    @Test func theBatchPlainsEachLineAsOneLineAtATimeDoes() throws {
        #expect(FastTeaching.texts.count > 10_000)
        var diagnostics: [Diagnostic] = []
        let safety = Safety.load(directory: URL(fileURLWithPath: realDialogs + "/safety"), cache: testCache, helpLines: false, diagnostics: &diagnostics)
        // Every fourth line (one at a time is the slow way, slower still in a debug build), and lines made to reach idioms,
        // stems, mended slips and dropped g's.
        let texts = FastTeaching.texts.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
            + ["you're killing me lol", "he kiled me with that joke", "im endin it", "Killing Me Softly", "", "...", "pushing me to do better!!"]
        let batch = safety.plainedAll(texts)
        var idioms = 0
        for (text, line) in zip(texts, batch) {
            let one = safety.plained(text)
            #expect(line.plain == one.plain && line.framed == one.framed && line.words == one.words, "\(text)")
            if one.framed != one.plain { idioms += 1 }
        }
        #expect(idioms > 100, "many of these lines hold an idiom")
    }

    @Test func asciiLinesSplitIntoTheSameRawWords() {
        for text in FastTeaching.texts + ["Sooooo   TIRED...", "don't `quote` me", "a,b(c)d\"e", "tab\there\r\nnext", "x_y-z 42!"] {
            #expect(Normaliser.rawWords(text) == Normaliser.scalarWords(text), "\(text)")
        }
        #expect(Normaliser.rawWords("Sooooo   TIRED... don't") == ["soo", "tired", "#", "#", "#", "dont"])
    }

    @Test func oneSlipIsAnEditDistanceOfOne() {
        let normaliser = Normaliser()
        let words = ["suicide", "sucide", "suicdie", "suicides", "suicid", "siucide", "kill", "kil", "klil", "pills", "pulls", "lfie", "life",
                     "overdose", "ovredose", "overdoes", "hang", "hagn", "ab", "", "é", "café", "cafe", "caffe", "abcd", "badc", "abdc"]
        for a in words {
            for b in words {
                #expect(Normaliser.oneSlip(Array(a), Array(b)) == (normaliser.slipDistance(a, b) == 1), "\(a) / \(b)")
            }
        }
    }

    @Test func exampleFilesAreCutAsCharactersCutThem() {
        for text in ["a\tb\nc", "a\r\nb\nc\n", "\n\n", "", "one\ttwo\t\tthree\t", "x\r\n\r\ny", "é\tü\n\t"] {
            #expect(ExampleLines.lines(text) == text.split(separator: "\n", omittingEmptySubsequences: false), "\(text)")
            #expect(ExampleLines.split(text[...], at: 9) == text.split(separator: "\t", omittingEmptySubsequences: false), "\(text)")
        }
        for text in ["", "  ", "\t \t", " x ", "\u{00A0}", "\u{2003}a", "#"] {
            #expect(ExampleLines.blank(text[...]) == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text)")
        }
        for text in FastTeaching.texts + ["He  Reads\tMy   TEXTS ", "Ça  Va"] {
            #expect(ExampleLines.plainKey(text) == text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(text)")
        }
    }

    @Test func aLinesFeaturesAreEachKeptOnceInOrder() {
        for text in FastTeaching.texts.prefix(3000) + ["the the the cat the the cat", "no no no never never"] {
            let words = Normaliser.rawWords(text)
            let negated = LearnedReader.negation(words, negators: ["no", "never", "not"])
            // What a set of the same features, sorted, holds.
            var expected = Set<String>()
            for (i, w) in words.enumerated() where !LearnedReader.boundaries.contains(w) {
                if !["the", "a"].contains(w) { expected.insert(i < negated.count && negated[i] ? "~" + w : w) }
                let mark = i + 1 < negated.count && negated[i + 1] ? "~" : ""
                if i + 1 < words.count, !LearnedReader.boundaries.contains(words[i + 1]) {
                    expected.insert(mark + w + " " + words[i + 1])
                    if i + 2 < words.count, !LearnedReader.boundaries.contains(words[i + 2]) { expected.insert(mark + w + " _ " + words[i + 2]) }
                }
            }
            #expect(LearnedReader.features(words, negated: negated, function: ["the", "a"]) == expected.sorted(), "\(text)")
        }
    }

    @Test func fourLabelsTaughtAsVectorsGiveTheSameWeights() {
        let labels = ["self-harm", "harm-others", "abuse", "none"]
        let lines = FastTeaching.texts.prefix(1500).enumerated().map { i, text in
            (label: labels[(i * 7 + text.count) % 4], features: LearnedReader.features(Normaliser.rawWords(text), negated: []))
        }
        let vectors = LearnedReader.train(lines, epochs: 3), numbers = LearnedReader.train(lines, epochs: 3, vectors: false)
        #expect(vectors.weights.count > 100)
        #expect(vectors == numbers)
        #expect(vectors.encoded() == numbers.encoded(), "bit for bit the same weights and biases, as written in a copy")
    }
}
