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
        let session = ChatSession(engine: engine, region: Locate.region(flag: region), save: !noSave)
        if let resumeID {
            try session.resume(resumeID, role: role)
        } else {
            session.begin(role: role)
        }
        try session.run()
        // Every turn is already written and synced: end here rather than spend time freeing the loaded dialogs.
        fflush(nil)
        Foundation.exit(0)
    }
}

extension Role: ExpressibleByArgument {}

/// "2026-11-23T08:46:59Z", as ISO8601DateFormatter writes it, with strftime (a formatter costs milliseconds to set up).
func isoTime(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    _ = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(cString: buffer)
}

/// One conversation at the terminal: read a line, step, show, log.
final class ChatSession {
    var conversation: Conversation
    let reader = LineReader()
    let save: Bool
    let region: String?
    var log: LogWriter?
    var logFailed = false
    var id: String
    /// Every event of this conversation, also kept in memory: /export reads it, and it outlives a failed disk.
    var events: [LogEvent] = []

    init(engine: Engine, region: String?, save: Bool) {
        id = Store.newID(now: Date(), salt: UInt32.random(in: 0...0xffff))
        var seed: UInt64 = 1469598103934665603
        for b in id.utf8 { seed = (seed ^ UInt64(b)) &* 1099511628211 }
        conversation = Conversation(engine: engine, seed: seed, region: region)
        self.save = save
        self.region = region
    }

    var messages: Messages { conversation.engine.dialogs.messages }
    var store: Store { Store(directory: Locate.home()) }

    /// A new conversation: its file is created with the first event.
    func begin(role: Role?) {
        if save { openLog { try LogWriter(path: $0.path(of: id)) } }
        record([LogEvent(type: .start, role: role?.rawValue, fingerprint: conversation.engine.dialogs.fingerprint, version: LogEvent.formatVersion)])
        let first = conversation.begin(role: role)
        record(first.events)
        Terminal.show(first.outputs, messages: messages)
    }

    /// A saved conversation, picked up where it stood. A damaged file is left as it is and continued in a new one.
    func resume(_ typed: String, role: Role?) throws {
        let store = self.store
        let savedID: String
        let reading: LogReading
        do {
            savedID = try store.resolve(typed)
            reading = try Log.read(path: store.path(of: savedID))
        } catch let error as StoreError {
            throw Failure(message: "cannot resume: \(error)")
        }
        guard !reading.events.isEmpty else {
            throw Failure(message: "cannot resume: \(reading.damage.map(String.init(describing:)) ?? store.path(of: savedID)): nothing in it can be read")
        }
        let transcript = Transcript(events: reading.events)
        let point = Resume.point(transcript, dialogs: conversation.engine.dialogs)
        var marker = LogEvent(type: .resume, fingerprint: conversation.engine.dialogs.fingerprint, version: LogEvent.formatVersion)
        marker.movedBack = point.movedBack ? true : nil
        if let damage = reading.damage {
            marker.from = savedID
            marker.damage = damage.place
            if save {
                openLog { try LogWriter(path: $0.path(of: id)) }
                Terminal.error("\(damage.place): \(damage.reason); recovered the \(reading.events.count) events before it and continuing in \(store.path(of: id)) (the damaged file is left untouched)")
            } else {
                Terminal.error("\(damage.place): \(damage.reason); recovered the \(reading.events.count) events before it")
            }
            record(reading.events, stamp: false)
        } else {
            id = savedID
            events = reading.events
            if save {
                do {
                    log = try LogWriter(appendingTo: store.path(of: savedID))
                } catch let error as StoreError {
                    if case .busy = error { throw Failure(message: "cannot resume: \(error)") }
                    logFailed = true
                    Terminal.error("\(error); the conversation goes on, but from here it is not saved")
                }
            }
        }
        record([marker])
        recap(transcript)
        if point.beginsAgain {
            Terminal.show([.notice(messages.text("resumed-begins-again"))], messages: messages)
            let first = conversation.begin(role: point.role ?? role)
            record(first.events)
            Terminal.show(first.outputs, messages: messages)
            return
        }
        var history = point.history
        if history[history.count - 1].slots["region"] == nil { history[history.count - 1].slots["region"] = region }
        conversation = Conversation(engine: conversation.engine, history: history, kept: point.kept)
        record([LogEvent(type: .state, state: conversation.state, depth: history.count)])
        let key = point.movedBack ? "resumed-moved-back" : "resumed"
        Terminal.show([.notice(messages.text(key))], messages: messages)
        Terminal.show(conversation.replay(conversation.state), messages: messages)
    }

    /// Shows the end of the conversation as it stood: the last few answers that were not taken back, and
    /// what came of them; a line says how many earlier ones are saved but not shown.
    func recap(_ transcript: Transcript, answers shown: Int = 4) {
        var entries = transcript.entries.filter { $0.shown && $0.kind != .resumed }
        let answered = entries.indices.filter { entries[$0].text != nil }
        if answered.count > shown {
            let earlier = answered.count - shown
            entries = Array(entries[answered[earlier]...])
            let line = messages.text("resumed-earlier").replacingOccurrences(of: "{count}", with: String(earlier))
            Terminal.show([.notice(line)], messages: messages)
        }
        for entry in entries {
            if let text = entry.text { Terminal.write(Terminal.paint(Terminal.wrap("> " + Terminal.inert(text)), "2")) }
            Terminal.show(entry.outputs, messages: messages)
        }
    }

    func openLog(_ make: (Store) throws -> LogWriter) {
        let store = self.store
        do {
            try store.prepare()
            log = try make(store)
        } catch {
            Terminal.error("\(error); this conversation will not be saved")
            logFailed = true
        }
    }

    func record(_ new: [LogEvent], stamp: Bool = true) {
        let time = isoTime(Date())
        let stamped = stamp ? new.map { var e = $0; e.time = e.time ?? time; return e } : new
        events += stamped
        guard let log, !logFailed else { return }
        do {
            try log.append(stamped)
        } catch {
            logFailed = true
            Terminal.error("\(error); the conversation goes on, but from here it is not saved")
        }
    }

    func run() throws {
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
                if let export = turn.export { self.export(format: export.format, path: export.path) }
            }
        }
    }

    /// `/export [format] [path]`: this conversation so far, to a new file (never over an existing one).
    func export(format: String?, path: String?) {
        let format = format.flatMap(ExportFormat.init(rawValue:)) ?? .md
        do {
            let words = try TranscriptWords.load(directory: conversation.engine.dialogs.directory)
            let text = Exporter.render(format, ExportSource(id: id, events: events, words: words))
            if path == "-" {
                Terminal.write(text)
                return
            }
            let written: String
            if let path, !path.isEmpty {
                written = (path as NSString).expandingTildeInPath
                try NewFile.create(written, contents: Data(text.utf8))
            } else {
                let base = FileManager.default.currentDirectoryPath + "/" + Exporter.defaultBase(id: id)
                written = try NewFile.createNumbered(base: base, ext: format.rawValue, contents: Data(text.utf8))
            }
            Terminal.show([.notice(words.text("exported", ["path": written]))], messages: messages)
        } catch {
            Terminal.error("\(error); the conversation was not exported")
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
