// Whole conversations through the built binary, one per person the flows were written for: each reaches scripts.
import Foundation
import Testing

@Suite struct FlowsEndToEnd {
    /// Runs one piped conversation and checks what every conversation must never show.
    func chat(_ role: String, _ lines: [String]) throws -> String {
        let result = try runMend(["chat", "--role", role, "--no-save"], stdin: (lines + ["/quit"]).joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("{"), "a raw hole leaked: \(result.stdout)")
        #expect(!result.stdout.contains("}"))
        return result.stdout
    }

    func scripts(in output: String) -> Int {
        output.components(separatedBy: "Words you could use:").count - 1
    }

    @Test func affairFoundYesterdayNamesTheHurtThenLooksAfterThem() throws {
        let out = try chat("hurt", ["Sam", "she cheated on me, I found out yesterday", "1", "1", "angry", "1", "1", "1",
                                    "I need you to be honest about where you are", "1"])
        #expect(out.contains("Let me check I have it right: an affair; it's very recent."))
        // The script retells it in their words: "When you cheated on me, ..." (not "were unfaithful to me").
        #expect(out.contains("ou cheated on me, "))
        #expect(out.contains("Small, steady habits"))
        #expect(out.contains("I need you to be honest about where you are"))
        #expect(!out.contains("I need I need"))
        #expect(scripts(in: out) >= 4)
    }

    @Test func coworkerWhoTookCreditGetsWorkWordsNotALoversWords() throws {
        let out = try chat("hurt", ["Dan", "my coworker took credit for my work in a meeting", "1", "angry", "3", "1", "1", "1", "1", "1"])
        #expect(out.contains("right: someone not being loyal to you, with a coworker"))
        #expect(out.contains("right before the next shared piece of work"))
        #expect(out.contains("At work, help can be a manager you trust"))
        #expect(out.contains("With a coworker, stepping back"))
        #expect(!out.contains("talk me through your day"))
        #expect(!out.contains("counsellor with me"))
        #expect(scripts(in: out) >= 4)
    }

    @Test func partnerWhoWithdrewDuringDepressionHearsThatBothThingsAreTrue() throws {
        // The depression was the partner's, so the user's own feeling is asked.
        let out = try chat("hurt", ["Alex", "my partner was depressed and withdrew from me for months", "1", "lonely more than anything", "it keeps happening", "1"])
        #expect(out.contains("right: hurt that came while someone was unwell, with your partner"))
        #expect(out.contains("Both things are true at once"))
        #expect(scripts(in: out) >= 2)
    }

    @Test func notQuiteLetsTheUserCorrectWhatHappened() throws {
        let out = try chat("hurt", ["Jess", "she lied to me", "2", "she went behind my back", "1", "2", "sad", "2"])
        #expect(out.contains("right: a lie."))
        #expect(out.contains("right: someone not being loyal to you."))
        #expect(out.contains("went behind my back"))
    }

    @Test func aRelationshipGivenAsTheNameIsNotUsedAsAName() throws {
        let out = try chat("hurt", ["my husband", "he has been lying about money for months", "1", "angry", "2"])
        #expect(out.contains("what did they do?"))
        #expect(!out.contains("my husband,"))
        #expect(out.contains("When you lied to me") || out.contains("You lied to me"))
    }

    @Test func somethingElseOffersTopicsAndJumps() throws {
        let out = try chat("hurt", ["skip", "he lied to me", "1", "1", "angry", "2", "2", "5"])
        #expect(out.contains("What would you like to look at?"))
        #expect(out.contains("There's no deadline for this"))
        #expect(out.contains("right: a lie."))
    }

    @Test func thanksComeOnlyAfterAnAnswerAndTheFeelingIsReflectedOnce() throws {
        // Feeling and stage told in the first line: nothing is asked later, so nothing is thanked for.
        let told = try chat("hurting", ["Sam", "I lied to my wife about money last month and I feel so ashamed, we are trying to work through it",
                                        "1", "skip", "1"])
        #expect(told.components(separatedBy: "weighed down by guilt").count - 1 == 1)
        #expect(!told.contains("Thank you, that helps"))
        #expect(!told.contains("How are you feeling about it right now?"))
        // Asked later: the feeling is reflected once, with the thanks.
        let asked = try chat("hurting", ["Sam", "I lied to my wife about money", "1", "skip", "1", "ashamed", "we are trying"])
        #expect(asked.contains("How are you feeling about it right now?"))
        #expect(asked.contains("You sound weighed down by guilt. Thank you, that helps me choose what to look at next."))
        #expect(asked.components(separatedBy: "weighed down by guilt").count - 1 == 1)
    }

    @Test func parentWhoReadADiaryGetsAnApologyInTheirOwnWords() throws {
        let out = try chat("hurting", ["Mia", "I read my daughter's diary without asking", "1", "I read your diary without asking", "1", "guilty", "1",
                                       "I will never read your things again", "1"])
        #expect(out.contains("I read your diary without asking"))
        #expect(out.contains("never read your things again"))
        #expect(!out.contains("I will I will"))
        #expect(scripts(in: out) >= 3)
    }

    @Test func affairOnTheHurtingSideOwnsItThenApologisesWithThePromise() throws {
        let out = try chat("hurting", ["skip", "I cheated on my wife and she found out yesterday", "1", "skip", "1", "ashamed",
                                       "I'll be honest about where I am", "1"])
        #expect(out.contains("right: an affair, with your partner; it's very recent."))
        #expect(out.contains("was unfaithful to you"))
        #expect(out.contains("I will be honest about where I am"))
        #expect(out.contains("your job is to listen"))
        #expect(scripts(in: out) >= 3)
    }

    @Test func theUserCanDraftTheirOwnApologyUntilItIsClean() throws {
        let clean = "I lied to you about the money, and I know that hurt you. From now on I will show you every statement."
        let out = try chat("hurting", ["Sam", "I lied to my husband about money", "1", "skip", "1", "guilty", "2", "2", "2",
                                       "show you every statement", "2", "I'm sorry if you feel hurt", clean, "1"])
        #expect(out.contains("Try writing it again"))
        #expect(out.contains("“" + clean + "”"))
    }

    @Test func illnessOnTheHurtingSideOwnsItWithoutBlamingTheDiagnosis() throws {
        let out = try chat("hurting", ["Robin", "I was depressed and pulled away from my partner", "1", "skip", "1", "2"])
        #expect(out.contains("without\npointing at the diagnosis") || out.contains("without pointing at the diagnosis"))
        #expect(out.contains("say so instead of going quiet"))
        #expect(scripts(in: out) >= 2)
    }

    @Test func scriptsBrowsesTheLibraryWithReadableHoles() throws {
        let all = try runMend(["scripts"])
        #expect(all.status == 0)
        #expect(all.stdout.contains("[name]"))
        #expect(!all.stdout.contains("{"))
        let hurting = try runMend(["scripts", "--role", "hurting"])
        #expect(hurting.stdout.contains("check-ins"))
        #expect(!hurting.stdout.contains("naming-the-hurt"))
        let topic = try runMend(["scripts", "--topic", "apology"])
        #expect(topic.stdout.contains("apology · hurting · hurting-3"))
        #expect(!topic.stdout.contains("owning-it"))
    }

    @Test func scriptsWithAnUnknownTopicListsTheTopics() throws {
        let result = try runMend(["scripts", "--topic", "nonsense"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no topic 'nonsense'"))
        #expect(result.stderr.contains("naming-the-hurt"))
        #expect(result.stdout.isEmpty)
    }
}

@Suite struct Review6EndToEnd {
    @Test func aPromiseTypedAtGoOnIsKeptAndTheConversationGoesOn() throws {
        let lines = ["I hid credit card debt from my wife", "Dana", "yes", "I hid the debt from you",
                     "no more secrets about money, I will show you every statement each month", "go on", "/quit"]
        let result = try runMend(["chat", "--region", "AU", "--no-save"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("From now on, I will show you every statement each month"), "\(result.stdout)")
        #expect(!result.stdout.contains("Thank you for doing this work"))
        #expect(result.stdout.contains("How are you feeling about it right now?"))
    }
}
