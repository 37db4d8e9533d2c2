// The built binary, piped as a user types: the calm safety questions, control, threats with a plan, an overdose, stopping.
import Foundation
import Testing

@Suite struct SafetyRoutingEndToEnd {
    func chat(_ lines: [String], region: String = "GB") throws -> String {
        let result = try runMend(["chat", "--region", region, "--no-save"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        return result.stdout
    }

    let selfQuestion = "do you mean you're having thoughts of ending your life"
    let alarm = "If you might act on these thoughts soon"

    @Test func anEverydayLineAsksNothing() throws {
        let out = try chat(["so my fiance had a whole secret instagram account where he was messaging girls. we are in couples therapy now and its getting a bit better",
                            "Liam", "yes", "go on", "whats the weather like today lol", "go on"], region: "US")
        #expect(!out.contains(selfQuestion))
        #expect(!out.contains(alarm))
    }

    @Test func theStagesOwnChoiceTypedOutIsNoCrisis() throws {
        let out = try chat(["my husband cheated on me", "Mark", "yes", "angry", "im thinking about walking away"])
        #expect(out.contains("And where are things between you now?"))
        #expect(!out.contains(selfQuestion))
        // A real crisis line typed at the same choice still interrupts.
        let crisis = try chat(["my husband cheated on me", "Mark", "yes", "angry", "I want to end it all"])
        #expect(crisis.contains(alarm))
    }

    @Test func goOnOkAndSureAreNoYesToTheSelfHarmQuestion() throws {
        for reply in ["go on", "ok", "sure"] {
            let out = try chat(["my wife had an affair", "Sarah", "yes", "i just want to disappear", reply])
            #expect(out.contains(selfQuestion), "\(reply)")
            #expect(out.contains("I'd rather ask than guess"), "\(reply)")
            #expect(!out.contains(alarm), "\(reply)")
        }
        for reply in ["sometimes", "kind of", "yeah i am"] {
            let out = try chat(["my wife had an affair", "Sarah", "yes", "i just want to disappear", reply])
            #expect(out.contains(alarm), "\(reply)")
        }
    }

    @Test func aBitOfBothAndIGuessAreNoHarmAlarm() throws {
        let both = try chat(["i'm not sure", "a bit of both", "hmm i guess i want to start with what he did"])
        #expect(!both.contains("Are you thinking of actually hurting someone?"))
        #expect(!both.contains("What you wrote is about hurting someone"))
        let guess = try chat(["my husband cheated on me", "Mark", "yes", "i want him to suffer", "hmm i guess i want to start with what he did"])
        #expect(guess.contains("Are you thinking of actually hurting someone?"))
        #expect(!guess.contains("What you wrote is about hurting someone"))
    }

    @Test func controlDescribedInterruptsAndSafeKeepsRepairOff() throws {
        let three = try chat(["my husband lied about where he goes at weekends", "Mark", "yes",
                              "confused. he checks my phone every night and takes my wages so i only get an allowance, and he says i cant see my sister anymore"], region: "US")
        #expect(three.contains("Nobody should be hurt, threatened or controlled"))
        #expect(three.contains("National Domestic Violence Hotline"))
        let one = try chat(["my husband lied about where he goes at weekends", "Mark", "yes", "confused. he checks my phone every night",
                            "yes im safe", "go on", "go on", "go on"], region: "US")
        #expect(one.contains("Do you feel safe"))
        #expect(one.contains("I'll leave out advice about rebuilding trust"))
        #expect(!one.contains("What would help you feel safer with Mark"))
        #expect(!one.contains("let's pick up where we were"))
    }

    @Test func aThreatWithATimeAndAPlaceInterrupts() throws {
        let out = try chat(["found out my girlfriend is sleeping with my mate dave", "im going to find him tonight and smash his face in, i know where he lives",
                            "nah im just fuming"], region: "AU")
        #expect(out.contains("What you wrote is about hurting someone"))
        #expect(!out.contains("Are you thinking of actually hurting someone?"))
        let images = try chat(["found out my girlfriend is sleeping with my mate dave", "im going to post her nudes online so she knows how it feels"], region: "AU")
        #expect(images.contains("What you wrote is about hurting someone"))
        // "Just angry" still hears one line about keeping away.
        let angry = try chat(["my husband cheated on me", "Mark", "yes", "i want him to suffer", "nah im just fuming"])
        #expect(angry.contains("please don't go round there"))
    }

    @Test func afterAnOverdoseEveryTurnStaysWithTheEmergencyNumber() throws {
        let out = try chat(["my wife had an affair", "Sarah", "yes", "i want to die", "i took a bunch of my sleeping pills an hour ago",
                            "no i dont want to call anyone", "", "whatever", "go back to what we were talking about"])
        let told = try #require(out.range(of: "Please call for an ambulance now"))
        let after = out[told.upperBound...]
        #expect(!after.contains("There's no rush"))
        #expect(!after.contains("Back to what we were talking about"))
        #expect(!after.contains("pick up where we were"))
        #expect(after.components(separatedBy: "emergency number").count >= 4)
        #expect(after.components(separatedBy: "call 999").count >= 3)
    }

    @Test func stoppingIsHonoured() throws {
        let pause = try chat(["my wife had an affair", "Sarah", "yes", "honestly i dont see the point of being here anymore. everyone would be better off",
                              "thanks. i think i need to stop", "hello"])
        #expect(pause.contains("/resources shows them again"))
        #expect(!pause.contains("There's no rush"))
        // Where the pause asks for words too, and only when stopping is what the sentence says.
        let talking = try chat(["my wife had an affair", "Sarah", "yes", "honestly i dont see the point of being here anymore. everyone would be better off",
                                "2", "thanks. i think i need to stop"])
        #expect(talking.contains("/resources shows them again"))
        let feeling = try chat(["my wife had an affair", "Sarah", "yes", "honestly i dont see the point of being here anymore. everyone would be better off",
                                "2", "i need to stop feeling like this"])
        #expect(!feeling.contains("/resources shows them again"))
        #expect(feeling.contains("There's no rush"))
        for word in ["stop", "quit", "bye"] {
            let out = try chat([word, "hello"])
            #expect(out.contains("we'll leave it here"), "\(word)")
            #expect(!out.contains("One question, so I start in the right place"), "\(word)")
        }
    }
}
