// Relationship, stage, yesno and feeling on the everyday lines that used to trip them up.
import Foundation
import Testing
@testable import MendCore

@Suite struct UnderstandingEverydaySets {
    @Test func relationshipTellsAPartnerFromWorkAndFamilyWords() {
        #expect(label("my business partner took money from the company", "relationship") == "coworker")
        #expect(label("my work wife", "relationship") == "coworker")
        #expect(label("my partner at the firm", "relationship") == "coworker")
        #expect(label("my partner of 40 years. we have six grandkids together", "relationship") == "partner")
        #expect(label("my partner and i have 4 grandkids", "relationship") == "partner")
        #expect(label("the father of my kids has been lying to me", "relationship") == "partner")
        #expect(label("my kids' dad", "relationship") == "partner")
        #expect(label("my ex", "relationship") == "partner")
        #expect(label("we've been together 6 years", "relationship") == "partner")
        #expect(label("my bf cheated on me with his coworker", "relationship") == "partner")
    }

    @Test func relationshipReadsInLawsStepFamilyAndFriends() {
        #expect(label("my MIL", "relationship") == "family")
        #expect(label("my sis", "relationship") == "family")
        #expect(label("my dad's new wife", "relationship") == "family")
        #expect(label("my brother's wife", "relationship") == "family")
        #expect(label("my husband's mum", "relationship") == "family")
        #expect(label("my bestie", "relationship") == "friend")
        #expect(label("my roommate", "relationship") == "friend")
        #expect(label("my partner in crime since school", "relationship") == "friend")
        #expect(label("my ex best friend", "relationship") == "friend")
        #expect(label("someone i trusted", "relationship") == nil)
        #expect(label("my brother and his wife", "relationship") == "family")
        #expect(label("our daughter lied to us", "relationship") == "family")
        #expect(label("a man i was seeing", "relationship") == "partner")
        #expect(label("my bestie at work", "relationship") == "coworker")
        #expect(label("she's like a sister to me", "relationship") == "friend")
    }

    @Test func stageReadsWhereThingsStand() {
        #expect(label("we're in counselling", "stage") == "repairing")
        #expect(label("we're taking it slow", "stage") == "repairing")
        #expect(label("things are improving bit by bit", "stage") == "repairing")
        #expect(label("same fight every night", "stage") == "stuck")
        #expect(label("its been a year and it still hurts", "stage") == "stuck")
        #expect(label("i thought i'd be over it by now", "stage") == "stuck")
        #expect(label("i'm still not over it", "stage") == "stuck")
        #expect(label("he promised to change but he hasn't", "stage") == "stuck")
        #expect(label("we haven't moved forward at all", "stage") == "stuck")
        #expect(label("i only found out yesterday", "stage") == "just-happened")
        #expect(label("talked to a lawyer today", "stage") == "considering-leaving")
        #expect(label("i moved out last week", "stage") == "considering-leaving")
        #expect(label("he says he has changed but i don't believe it", "stage") == "stuck")
        #expect(label("i don't think this friendship can survive it", "stage") == "considering-leaving")
        #expect(label("i think we can survive this", "stage") == "repairing")
        #expect(label("i've got one foot out the door", "stage") == "considering-leaving")
    }

    @Test func aHedgedYesIsAYesButLessSureAndARealHedgeIsUnsure() {
        #expect(label("yeah kind of", "yesno") == "yes")
        #expect(label("sort of yeah", "yesno") == "yes")
        #expect(label("i guess", "yesno") == "yes")
        #expect(label("mhmm", "yesno") == "yes")
        #expect(label("100%", "yesno") == "yes")
        let hedged = shippedUnderstanding.read("yeah kind of", set: "yesno").confidence
        let plain = shippedUnderstanding.read("yeah", set: "yesno").confidence
        #expect(hedged < plain)
        for line in ["hmm maybe", "yeah maybe", "maybe yes", "kind of", "i think so but i'm not sure", "not really, maybe", "i guess maybe"] {
            #expect(label(line, "yesno") == "unsure", "\(line)")
        }
        #expect(label("nah not really", "yesno") == "no")
        #expect(label("hmm no", "yesno") == "no")
        #expect(label("i'd say no", "yesno") == "no")
        #expect(label("i'd prefer not to", "yesno") == "no")
        #expect(label("i'll think about it", "yesno") == "unsure")
        // A short answer that only tells something is not a bare yes.
        #expect(label("basically he lied", "yesno") == nil)
    }

    @Test func feelingReadsActsOfAngerAndNothingMakingSense() {
        #expect(label("i want to throw something at the wall", "feeling") == "angry")
        #expect(label("nothing makes sense anymore", "feeling") == "confused")
        #expect(label("not sad just really really angry", "feeling") == "angry")
    }
}
