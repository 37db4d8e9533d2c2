// Building dialogs folders for core tests: the real data files with small, known flows.
import Foundation
@testable import MendCore

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let realDialogs = packageRoot.appendingPathComponent("dialogs").path
let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures").path
/// Compiled copies shared by the tests that do not test the copies themselves: compiling the data (and
/// teaching the learned readers) once per run, not once per test. Copies are keyed by the files' bytes.
let testCache = CacheFolder(path: NSTemporaryDirectory() + "mend-test-cache-\(UUID().uuidString)", salt: "tests")

/// A temporary dialogs folder: the real understanding, safety, words and messages, with the fixture flows,
/// and `hurt.yaml` replaced by `broken` (a file in Tests/Fixtures/flows-broken) when given.
func fixtureDialogs(broken: String? = nil) throws -> String {
    let fm = FileManager.default
    let dir = NSTemporaryDirectory() + "mend-dialogs-\(UUID().uuidString)"
    try fm.copyItem(atPath: realDialogs, toPath: dir)
    try fm.removeItem(atPath: dir + "/flows")
    try fm.copyItem(atPath: fixtures + "/flows-valid", toPath: dir + "/flows")
    if let broken {
        try fm.removeItem(atPath: dir + "/flows/hurt.yaml")
        try fm.copyItem(atPath: fixtures + "/flows-broken/" + broken, toPath: dir + "/flows/hurt.yaml")
    }
    return dir
}

/// Loads the fixture dialogs; the test fails loudly if they do not load.
func loadFixture() throws -> Dialogs {
    let result = DialogLoader.load(directory: try fixtureDialogs(), cache: testCache)
    guard let dialogs = result.dialogs else {
        throw FixtureError(message: result.errors.map(\.description).joined(separator: "\n"))
    }
    return dialogs
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A conversation on the shipped dialogs, begun as `role` (nil: with the role question).
func shippedConversation(_ role: Role?, region: String? = "GB", seed: UInt64 = 1) -> Conversation {
    var c = Conversation(engine: Engine(dialogs: shippedDialogs), seed: seed, region: region)
    _ = c.begin(role: role)
    return c
}

/// What mend said in a turn (its words and notices), one per line.
func saidIn(_ turn: Turn) -> String {
    turn.outputs.compactMap { output -> String? in
        switch output {
        case let .say(t), let .notice(t): return t
        default: return nil
        }
    }.joined(separator: "\n")
}

/// The numbered choices offered in a turn.
func choicesIn(_ turn: Turn) -> [String] {
    turn.outputs.compactMap { if case let .choices(c) = $0 { return c } else { return nil } }.flatMap { $0 }
}
