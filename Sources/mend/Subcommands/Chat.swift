// `mend chat`: the conversation itself.
import ArgumentParser
import Foundation
import MendCore

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a conversation (the default command).",
        discussion: "Type a number or answer in your own words. Type /help at any point to see what you can do."
    )

    @Option(help: ArgumentHelp("Skip the first question: 'hurt' if your trust was broken, 'hurting' if you broke someone's.", valueName: "hurt|hurting"))
    var role: Role?

    @Option(name: .customLong("resume"), help: ArgumentHelp("Continue a saved conversation (the latest when no id is given).", valueName: "id"))
    var resumeID: String?

    @Flag(help: "Write nothing to disk.")
    var noSave = false

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    @Option(help: ArgumentHelp("Two-letter region for help lines, e.g. GB, US, AU (default: from your locale).", valueName: "code"))
    var region: String?

    @Flag(help: "No colour, even on a terminal.")
    var noColor = false

    func validate() throws {
        if let region, region.count != 2 || !region.allSatisfy(\.isLetter) {
            throw ValidationError("--region takes a two-letter code such as GB or US, not '\(region)'")
        }
    }

    func run() throws {
        Terminal.setUp(noColor: noColor, conversation: true)
        let dialogs = try Locate.loadDialogs(flag: self.dialogs)
        let engine = Engine(dialogs: dialogs)
        let session = try ChatSession(engine: engine, region: Locate.region(flag: region), save: !noSave)
        try session.run(role: role)
    }
}

extension Role: ExpressibleByArgument {}

/// One conversation at the terminal: read a line, step, show, log.
final class ChatSession {
    var conversation: Conversation
    let reader = LineReader()
    var log: LogWriter?
    var logFailed = false
    let id: String

    init(engine: Engine, region: String?, save: Bool) throws {
        let now = Date()
        id = Store.newID(now: now, salt: UInt32.random(in: 0...0xffff))
        var seed: UInt64 = 1469598103934665603
        for b in id.utf8 { seed = (seed ^ UInt64(b)) &* 1099511628211 }
        conversation = Conversation(engine: engine, seed: seed, region: region)
        if save {
            let store = Store(directory: Locate.home())
            do {
                try store.prepare()
                log = try LogWriter(path: store.path(of: id))
            } catch {
                Terminal.error("\(error); this conversation will not be saved")
                logFailed = true
            }
        }
    }

    func record(_ events: [LogEvent]) {
        guard let log, !logFailed else { return }
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            try log.append(events.map { var e = $0; e.time = stamp; return e })
        } catch {
            logFailed = true
            Terminal.error("\(error); the conversation goes on, but from here it is not saved")
        }
    }

    func run(role: Role?) throws {
        let messages = conversation.engine.dialogs.messages
        record([LogEvent(type: .start, role: role?.rawValue, fingerprint: conversation.engine.dialogs.fingerprint, version: 1)])
        let first = conversation.begin(role: role)
        record(first.events)
        Terminal.show(first.outputs, messages: messages)
        while true {
            updateCompletion()
            switch reader.read(prompt: prompt()) {
            case .end:
                if reader.interactive { Terminal.write("") }
                return
            case .tooLong:
                throw Failure(message: "a line on standard input is longer than \(LineReader.maxLine / 1024) KiB; nothing after it was read")
            case .notText:
                throw Failure(message: "standard input is not UTF-8 text (binary data?); nothing after it was read")
            case let .line(line):
                let turn = conversation.handle(line)
                record(turn.events)
                Terminal.show(turn.outputs, messages: messages)
                if turn.quit { return }
                if let export = turn.export {
                    Terminal.write(Terminal.paint("Export is not available yet.", "2"))
                    _ = export
                }
            }
        }
    }

    func prompt() -> String {
        // Readline needs \u{01}...\u{02} around invisible bytes to measure the prompt.
        reader.interactive ? (Terminal.color ? "\u{01}\u{1B}[1m\u{02}>\u{01}\u{1B}[0m\u{02} " : "> ") : ""
    }

    /// Tab offers the commands and, for a question with choices, the choices' words.
    func updateCompletion() {
        var words = Command.names
        let state = conversation.state
        if let frame = state.current, let node = conversation.engine.dialogs.node(frame), case let .choices(choices, _) = node.action {
            words += choices.map { conversation.engine.dialogs.words.render($0.text.text, slots: state.slots) }
        }
        completionWords = words
    }
}
