// The script library read from the real dialogs: every point hands over words, variants, roles and readable holes.
import Foundation
import Testing
@testable import MendCore

@Suite struct ScriptLibraryTests {
    static let dialogsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("dialogs").path

    func library() throws -> (Dialogs, [LibraryScript]) {
        let dialogs = try #require(DialogLoader.load(directory: Self.dialogsDir).dialogs)
        return (dialogs, ScriptLibrary.scripts(in: dialogs))
    }

    @Test func everyAdvicePointHandsOverAScript() throws {
        let (dialogs, scripts) = try library()
        #expect(dialogs.points.count == 11 + 13 + 4)
        let given = Set(scripts.flatMap(\.points))
        for point in dialogs.points {
            #expect(given.contains(point.id), "no script for \(point.id)")
        }
    }

    @Test func everyScriptHasAWhenLineAndAtLeastTwoVariants() throws {
        let (_, scripts) = try library()
        #expect(scripts.count >= 28)
        for script in scripts {
            #expect(!script.when.isEmpty)
            #expect(script.variants.count >= 2, "\(script.flow).\(script.node) has one variant")
        }
    }

    @Test func sharedScriptsCountForBothRoles() throws {
        let (_, scripts) = try library()
        let hurt = ScriptLibrary.filter(scripts, role: .hurt, topic: nil)
        let hurting = ScriptLibrary.filter(scripts, role: .hurting, topic: nil)
        #expect(hurt.contains { $0.role == "both" } && hurting.contains { $0.role == "both" })
        #expect(!hurt.contains { $0.role == "hurting" })
        #expect(ScriptLibrary.filter(scripts, role: nil, topic: "apology").allSatisfy { $0.topic == "apology" })
    }

    @Test func topicsAreListedOnceInLibraryOrder() throws {
        let (_, scripts) = try library()
        let topics = ScriptLibrary.topics(scripts)
        #expect(topics.first == "naming-the-hurt")
        #expect(Set(topics).count == topics.count)
    }

    @Test func readableShowsHolesInBrackets() {
        #expect(ScriptLibrary.readable("[{name}, ]when you {breach.did-me|\"broke my trust\"}, I felt {feeling.felt|\"hurt\"}.")
            == "[name], when you [breach], I felt [feeling].")
        #expect(ScriptLibrary.readable("I will {promise}.") == "I will [promise].")
        #expect(ScriptLibrary.readable("No holes here.") == "No holes here.")
    }

    @Test func scriptsNeverShowARawBraceWhenNothingIsKnown() throws {
        let (dialogs, scripts) = try library()
        for script in scripts {
            for variant in script.variants {
                let text = dialogs.words.render(variant, slots: [:])
                #expect(!text.contains("{") && !text.contains("}"), "\(text)")
            }
        }
    }
}
