// Crisis frames (dialogs/safety/frames.yaml): indirect lines caught by concepts in order, idioms and negations left alone, broken data reported in place.
import Foundation
import Testing
@testable import MendCore

private func realSafety() throws -> Safety {
    let result = DialogLoader.load(directory: realDialogs, cache: testCache)
    #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
    return try #require(result.dialogs).safety
}

@Suite struct CrisisFramesReading {
    let safety: Safety
    init() throws { safety = try realSafety() }

    // Lines the patterns alone do not catch: the frames must, with the right category.
    @Test(arguments: [
        ("i keep thinking about how quiet it would be if i just stopped existing", CrisisCategory.selfHarm),
        ("this is the last time ill bother anyone", .selfHarm),
        ("sorted out who gets the dog when im not here", .selfHarm),
        ("i have the pills counted out on the table", .selfHarm),
        ("everyone keeps saying it gets better but i dont plan on sticking around to find out", .selfHarm),
        ("id be doing everyone a favour by not existing", .selfHarm),
        ("i keep picturing myself hanging", .selfHarm),
        ("that guy she cheated with wont be walking for a while when im done", .harmOthers),
        ("i got a knife and im going over there", .harmOthers),
        ("if i see him ill break every bone he has", .harmOthers),
        ("im gonna hurt whoever she's seeing", .harmOthers),
        ("i have to check in every hour or he loses it", .abuse),
        ("hes got my passport and wont give it back", .abuse),
        ("i need his permission to leave the house", .abuse),
        ("my partner decides what i eat and when", .abuse),
        ("my husband says ill never get a penny if i go", .abuse),
    ])
    func framesCatchIndirectLines(line: String, category: CrisisCategory) throws {
        #expect(safety.patternReading(line) == nil, "the patterns already catch this; pick a line only the frames read: \(line)")
        let reading = try #require(safety.check(line), "\(line)")
        #expect(reading.category == category, "\(line)")
        #expect(reading.evidence.contains { $0.contains("frames.yaml:") }, "\(reading.evidence)")
    }

    @Test(arguments: [
        "my mum will murder me when she sees the state of the car",
        "i could kill him lol",
        "i felt like dying when i found out",
        "i would never hurt her",
        "i dont want to die, i just want this to stop hurting",
        "when i was a teenager i used to cut but im fine now",
        "he checks his phone constantly and hides it from me",
        "she went through my phone and found out",
        "i took his car keys so he couldnt drive drunk",
        "i want out of this marriage",
        "i'm terrified he'll leave me",
        "i feel like a ghost in my own home",
        "i've decided to file for divorce",
        "im going to cut her out of my life",
    ])
    func idiomsNegationsAndOrdinaryTalkStayQuiet(line: String) {
        #expect(safety.framedReading(line) == nil, "\(line)")
        #expect(safety.check(line) == nil, "\(line)")
    }

    @Test func aNegationInsideAnEarlierPartDoesNotUndoTheNext() throws {
        // "don't" belongs to "don't plan on"; it does not make "sticking around" a negated risk.
        #expect(safety.framedReading("i dont plan on sticking around much longer")?.category == .selfHarm)
        // But a negation before the first part still does.
        #expect(safety.framedReading("i dont want to hurt anyone") == nil)
        #expect(safety.framedReading("he never hit me") == nil)
    }

    @Test func aJokeTurnsAFrameIntoAQuestion() throws {
        let reading = try #require(safety.check("i wish i could just not be alive anymore lol"))
        #expect(reading.category == .selfHarm)
        #expect(reading.certain == false)
    }

    @Test func strongFramesInterruptAndWeakOnesAsk() throws {
        #expect(safety.framedReading("im gonna stab the guy she slept with")?.certain == true)
        #expect(safety.framedReading("im scared to go home")?.certain == false)
    }

    @Test func theCompiledFramesArePlainValues() {
        let frames = safety.frames
        #expect(frames.frames.count > 50)
        #expect(frames.phrases.count == frames.conceptNames.count)
        #expect(frames.byFirstWord.count == frames.phrases.count)
        #expect(!frames.wordIDs.isEmpty)
    }
}

@Suite struct CrisisFramesData {
    private func loadBroken(_ edit: (String) -> String) throws -> (errors: [String], text: String) {
        let dir = NSTemporaryDirectory() + "mend-frames-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: realDialogs, toPath: dir)
        let path = dir + "/safety/frames.yaml"
        let text = edit(try String(contentsOfFile: path, encoding: .utf8))
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (DialogLoader.load(directory: dir, cache: testCache).errors.map(\.description), text)
    }

    private func lineNumber(of needle: String, in text: String) -> Int {
        (text.components(separatedBy: "\n").firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test func anUnknownConceptInAFrameIsReportedAtItsColumn() throws {
        let (errors, text) = try loadBroken { $0.replacingOccurrences(of: "      - want 3 dying\n", with: "      - want 3 dyng\n") }
        let line = lineNumber(of: "- want 3 dyng", in: text)
        #expect(errors.contains { $0.contains("frames.yaml:\(line):16: error: no concept called 'dyng' (did you mean 'dying'?)") }, "\(errors)")
    }

    @Test func anUnknownConceptInAPhraseIsReportedAtItsColumn() throws {
        let (errors, text) = try loadBroken { $0.replacingOccurrences(of: "\"{self-kill}\"]", with: "\"{self-kil}\"]") }
        let line = lineNumber(of: "{self-kil}", in: text)
        let source = text.components(separatedBy: "\n")[line - 1]
        let column = (source.range(of: "{self-kil}").map { source.distance(from: source.startIndex, to: $0.lowerBound) } ?? 0) + 1
        #expect(errors.contains { $0.contains("frames.yaml:\(line):\(column): error: no concept called {self-kil} (did you mean {self-kill}?)") }, "\(errors)")
    }

    @Test func aBadCategoryAndABadWordAreReported() throws {
        let (errors, _) = try loadBroken {
            $0.replacingOccurrences(of: "\n  harm-others:\n    interrupt:", with: "\n  harm-other:\n    interrupt:")
                .replacingOccurrences(of: "  i: [i, im, ive, id, ill, me]", with: "  i: [i, im, ive, id, ill, me, \"i've@\"]")
        }
        #expect(errors.contains { $0.contains("error: 'harm-other' is not a crisis category (did you mean 'harm-others'?)") }, "\(errors)")
        #expect(errors.contains { $0.contains("error: 'ive@' is not a word") }, "\(errors)")
    }

    @Test func withoutAFramesFileThePatternsStillWork() throws {
        let dir = NSTemporaryDirectory() + "mend-frames-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: realDialogs, toPath: dir)
        try FileManager.default.removeItem(atPath: dir + "/safety/frames.yaml")
        // The learned reader too: what is left is the patterns alone.
        try FileManager.default.removeItem(atPath: dir + "/safety/learned.yaml")
        let result = DialogLoader.load(directory: dir, cache: testCache)
        #expect(result.errors.isEmpty)
        let safety = try #require(result.dialogs).safety
        #expect(safety.check("I want to kill myself")?.category == .selfHarm)
        #expect(safety.check("sorted out who gets the dog when im not here") == nil)
    }
}
