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
