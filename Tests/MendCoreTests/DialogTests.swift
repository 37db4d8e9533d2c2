// The loader and the validator: each kind of problem reported at its file, line and column.
import Foundation
import Testing
@testable import MendCore

@Suite struct Loading {
    @Test func theShippedDialogsHaveNoErrors() {
        let result = DialogLoader.load(directory: realDialogs, cache: testCache)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description).joined(separator: "\n"))")
        #expect(result.dialogs != nil)
    }

    @Test func theFixtureFlowsLoadWithEveryKindOfNode() throws {
        let dialogs = try loadFixture()
        let hurt = try #require(dialogs.flows["hurt"])
        #expect(hurt.role == .hurt)
        #expect(hurt.start == "begin")
        #expect(hurt.nodes.map(\.id) == ["begin", "what", "affair", "feel", "script", "done"])
        guard case let .ask(ask) = hurt.node("what")?.action else {
            Issue.record("'what' should ask")
            return
        }
        #expect(ask.set == "breach")
        #expect(ask.routes["infidelity"]?.node == "affair")
        #expect(ask.also == ["feeling"])
        #expect(hurt.node("script")?.script?.variants.count == 2)
        #expect(hurt.node("script")?.repair == true)
        #expect(dialogs.flows["safety"]?.node("script") == nil)
    }

    @Test func aMissingFolderIsOneClearError() {
        let result = DialogLoader.load(directory: "/nonexistent/dialogs")
        #expect(result.dialogs == nil)
        #expect(result.errors.count == 1)
        #expect(result.errors[0].message.contains("--dialogs"))
    }
}

@Suite struct Validation {
    /// The diagnostics for hurt.yaml replaced by a broken fixture.
    func problems(_ fixture: String) throws -> [Diagnostic] {
        let dir = try fixtureDialogs(broken: fixture)
        return DialogLoader.load(directory: dir, cache: testCache).diagnostics.filter { $0.file.hasSuffix("flows/hurt.yaml") || $0.file.hasSuffix("/flows") }
    }

    func expectOne(_ fixture: String, line: Int, column: Int, severity: Diagnostic.Severity = .error, containing text: String) throws {
        let found = try problems(fixture)
        let match = found.first { $0.line == line && $0.column == column && $0.severity == severity && $0.message.contains(text) }
        #expect(match != nil, "expected \(severity) at \(line):\(column) containing '\(text)', got:\n\(found.map(\.description).joined(separator: "\n"))")
    }

    @Test func yamlSyntaxErrorsPointAtTheLine() throws {
        let found = try problems("syntax.yaml")
        #expect(found.contains { $0.severity == .error && $0.message.contains("YAML syntax") && $0.line >= 6 && $0.line <= 8 })
    }

    @Test func unknownKeysAreNamedWithASuggestion() throws {
        try expectOne("unknown-key.yaml", line: 7, column: 5, containing: "unknown key 'nxt'")
        let found = try problems("unknown-key.yaml")
        #expect(found.contains { $0.message.contains("did you mean 'next'") })
    }

    @Test func aTransitionToAMissingNodeIsAnError() throws {
        try expectOne("missing-node.yaml", line: 7, column: 11, containing: "no node called 'dnoe'")
        #expect(try problems("missing-node.yaml").contains { $0.message.contains("did you mean 'done'") })
    }

    @Test func unreachableNodesAreWarned() throws {
        try expectOne("unreachable.yaml", line: 8, column: 3, severity: .warning, containing: "'orphan' cannot be reached")
    }

    @Test func aNodeWithNoWayForwardIsAnError() throws {
        try expectOne("dead-end.yaml", line: 8, column: 3, containing: "no way forward")
    }

    @Test func duplicateNodeIdsPointAtTheSecond() throws {
        try expectOne("duplicate.yaml", line: 10, column: 3, containing: "duplicate key 'done'")
    }

    @Test func aSetNotInContentIsAnError() throws {
        try expectOne("unknown-set.yaml", line: 5, column: 3, containing: "'mood' is not a set")
    }

    @Test func aLabelNotInContentIsAnError() throws {
        try expectOne("unknown-label.yaml", line: 10, column: 9, containing: "'cheating' is not a label of the set 'breach'")
    }

    @Test func aScriptSlotNothingFillsIsAnError() throws {
        try expectOne("unfilled-slot.yaml", line: 10, column: 12, containing: "no step before node 'begin' fills it")
    }

    @Test func aMissingRoleFlowIsAnError() throws {
        let found = try problems("no-role.yaml")
        #expect(found.contains { $0.severity == .error && $0.message.contains("no flow for the role 'hurt'") })
    }

    @Test func aTemplateWithABadHoleIsAnError() throws {
        let result = TemplateParser.parse("Hello {name")
        guard case let .failure(error) = result else {
            Issue.record("an unclosed brace should fail")
            return
        }
        #expect(error.message.contains("never closed"))
    }
}

@Suite struct Templates {
    let words = Words(forms: ["breach": ["lie": ["noun": "a lie"]], "feeling": ["angry": ["adj": "angry"]]])

    @Test func slotsFormsAndFallbacksFill() {
        #expect(words.render("After {breach.noun}, {name|\"love\"}.", slots: ["breach": "lie"]) == "After a lie, love.")
        #expect(words.render("Hi {name|\"you\"}", slots: ["name": "Sam"]) == "Hi Sam")
    }

    @Test func optionalSegmentsVanishWhenASlotIsUnknown() {
        #expect(words.render("So[, feeling {feeling.adj}].", slots: [:]) == "So.")
        #expect(words.render("So[, feeling {feeling.adj}].", slots: ["feeling": "angry"]) == "So, feeling angry.")
    }

    @Test func bracketsWithoutAHoleStayAsWritten() {
        #expect(words.render("/export [md|json] [path]", slots: [:]) == "/export [md|json] [path]")
    }
}
