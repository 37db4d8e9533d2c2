// The apology checker: each dodge found, good apologies left alone, better shapes built from the draft.
import Foundation
import Testing
@testable import MendCore

/// The shipped rules, loaded once.
let shippedChecker: ApologyChecker = {
    var diagnostics: [Diagnostic] = []
    return ApologyChecker.load(url: URL(fileURLWithPath: realDialogs + "/apology.yaml"), diagnostics: &diagnostics)
}()

@Suite struct ApologyEvaluationSet {
    @Test func theLabelledDraftsScoreWell() throws {
        let file = packageRoot.appendingPathComponent("Tests/Evaluation/apology/drafts.tsv").path
        let (drafts, problems) = ApologyEvaluation.parse(try String(contentsOfFile: file, encoding: .utf8), file: file)
        #expect(problems.isEmpty, "\(problems)")
        #expect(drafts.count >= 80)
        let score = ApologyEvaluation.score(drafts, with: shippedChecker)
        print(String(format: "apology drafts: %d, precision %.3f, recall %.3f, verdicts right %.3f, good drafts flagged %d of %d",
                     score.drafts, score.precision, score.recall, score.verdictAccuracy, score.cleanFlagged, score.cleanDrafts))
        for miss in score.misses { print("  line \(miss.line): expected \(miss.expected) got \(miss.got): \(miss.text)") }
        #expect(score.precision >= 0.9)
        #expect(score.recall >= 0.9)
        #expect(score.cleanFlagged == 0)
    }
}

@Suite struct ApologyChecking {
    func ids(_ draft: String) -> [String] { shippedChecker.check(draft).map(\.id) }

    @Test func aGoodApologyWithAnotherIfOrButIsClean() {
        #expect(ids("I lied, and I know that hurt you; if you want space, I'll give it") == [])
        #expect(ids("I'm sorry I lied. I have no excuse, but I want you to know I'll answer any question") == [])
        #expect(ids("I'm sorry I lied, but I will show you every message from now on") == [])
    }

    @Test func eachDodgeOfContentIsNamed() {
        #expect(ids("I'm sorry you feel that way") == ["feelings-not-act"])
        #expect(ids("sorry if I hurt you") == ["conditional"])
        #expect(ids("I'm sorry, but you were never home") == ["but", "blame-them"])
        #expect(ids("I was drunk") == ["blame-circumstances"])
        #expect(ids("my depression made me do it") == ["blame-diagnosis"])
        #expect(ids("it was only a text") == ["minimising"])
        #expect(ids("mistakes were made") == ["passive-voice"])
        #expect(ids("can we move on") == ["moving-on"])
    }

    @Test func typosAndMissingApostrophesAreFolded() {
        #expect(ids("im sory if u were upset") == ["conditional"])
        #expect(ids("sory if i hurt u").contains("conditional"))
        #expect(ids("i was stresed at work") == ["blame-circumstances"])
        #expect(ids("its not a big deal") == ["minimising"])
    }

    @Test func aNegationBeforeTheDodgeCancelsIt() {
        #expect(ids("I won't say I was stressed. I lied to you and I'm sorry.") == [])
        #expect(ids("It wasn't because of work. I chose to lie.") == [])
        #expect(ids("It wasn't just a text, and I know that.") == [])
        #expect(ids("I wasn't honest because I was stressed") == ["blame-circumstances"])
    }

    @Test func theBetterShapeIsBuiltFromTheDraft() {
        let flag = shippedChecker.check("sorry if I hurt you by lying").first
        #expect(flag?.quote == "sorry if")
        #expect(flag?.better == "I'm sorry I lied, and I know it hurt you.")
        #expect(shippedChecker.check("I'm sorry for not telling you, I was stressed").first?.better.hasPrefix("I'm sorry I didn't tell you.") == true)
        #expect(shippedChecker.check("My depression made me pull away from you").first?.better.hasPrefix("I'm sorry I pulled away from you. My depression") == true)
        #expect(shippedChecker.check("I'm sorry you feel that way").first?.better.contains("[name what you did]") == true)
    }

    @Test func everyBetterShapeIsItselfClean() throws {
        let file = packageRoot.appendingPathComponent("Tests/Evaluation/apology/drafts.tsv").path
        let (drafts, _) = ApologyEvaluation.parse(try String(contentsOfFile: file, encoding: .utf8), file: file)
        for draft in drafts {
            for flag in shippedChecker.check(draft.text) {
                #expect(shippedChecker.check(flag.better).isEmpty, "\(flag.id) for '\(draft.text)' offers '\(flag.better)'")
            }
        }
    }

    @Test func notesSayWhatIsMissingWithoutMakingItUnclean() {
        let review = shippedChecker.review("I'm sorry.")
        #expect(review.clean)
        #expect(review.notes.map(\.id) == ["missing-act", "missing-effect", "missing-change"])
        let full = shippedChecker.review("I'm sorry I lied to you. I know it hurt you. From now on I will tell you the truth.")
        #expect(full.clean && full.notes.isEmpty)
    }
}

@Suite struct ApologyRules {
    @Test func aBrokenPatternIsReportedAtItsPlace() {
        var diagnostics: [Diagnostic] = []
        let yaml = """
        rules:
          odd:
            patterns:
              - sorry @nosuchclass
              - (unclosed group
            why: because
            better: fine
        """
        _ = ApologyChecker.load(text: yaml, file: "apology.yaml", diagnostics: &diagnostics)
        #expect(diagnostics.map { "\($0.line):\($0.column)" } == ["4:9", "5:9"])
        #expect(diagnostics[0].message.contains("'@nosuchclass' is not a word class"))
        #expect(diagnostics[1].message.contains("unbalanced"))
    }

    @Test func anUnknownKeyGetsADidYouMean() {
        var diagnostics: [Diagnostic] = []
        _ = ApologyChecker.load(text: "rules:\n  a:\n    patern: [x]\n    patterns: [x]\n    why: w\n    better: b\n", diagnostics: &diagnostics)
        #expect(diagnostics.first?.description == "apology.yaml:3:5: error: unknown key 'patern' in rule 'a' (did you mean 'patterns'?); allowed: patterns, unless, unless-next, negation, why, better")
    }
}

@Suite struct OneEdit {
    @Test func agreesWithTheFullEditDistance() {
        let words = ["sorry", "sory", "sorrry", "osrry", "sorru", "stressed", "stresed", "strssed", "tsressed", "apologise",
                     "apologize", "apolgise", "cheated", "cheeted", "chaeted", "lied", "lide", "led", "i", "", "ab", "ba", "abc", "acb"]
        for a in words {
            for b in words {
                #expect(withinOneEdit(Array(a), Array(b)) == (editDistance(a, b) <= 1), "\(a) vs \(b)")
            }
        }
    }
}

@Suite struct ApologyActFromTheRightPlace {
    @Test func theExcuseAfterButIsNeverOfferedAsTheAct() {
        let review = shippedDialogs.apology.review("sorry you feel like i invaded your privacy but i was worried about you")
        #expect(!review.flags.contains { $0.better.contains("I'm sorry I was worried") })
        // In a conversation that knows the act, the better shape names it.
        let known = shippedDialogs.apology.review("sorry you feel like i invaded your privacy but i was worried about you", known: "read your diary without asking")
        #expect(known.flags.contains { $0.better.contains("I'm sorry I read your diary without asking.") })
    }

    @Test func aDraftThatNamesNoActIsStillToldSoWhenTheConversationKnowsIt() {
        let review = shippedDialogs.apology.review("I'm sorry for everything.", known: "read your diary without asking")
        let note = review.notes.first { $0.id == "missing-act" }
        #expect(note != nil)
        #expect(note?.better.contains("read your diary without asking") == true)
    }
}
