// Picking a saved conversation up again: the history it stood at, moved back to a step the dialogs still have.
import Foundation

public struct ResumePoint: Sendable {
    /// The states `/back` can return to; the last is where the conversation goes on.
    public var history: [State]
    public var kept: [GivenScript]
    /// The dialogs differ from the ones the conversation was saved with.
    public var dialogsChanged: Bool
    /// The step it stood at no longer exists, so it goes on from an earlier one.
    public var movedBack: Bool
    /// No saved step exists in these dialogs: the conversation begins again (what was said stays in the log).
    public var beginsAgain: Bool
    public var role: Role?
}

public enum Resume {
    /// Where to go on from, given the saved transcript and the dialogs in use now.
    public static func point(_ transcript: Transcript, dialogs: Dialogs) -> ResumePoint {
        let changed = transcript.fingerprint != nil && transcript.fingerprint != dialogs.fingerprint
        let history = transcript.history
        let role = history.last?.role ?? transcript.start?.role.flatMap(Role.init(rawValue:))
        // The nearest step, walking back, whose every frame (the current node and the callers) still exists.
        guard let usable = history.lastIndex(where: { exists($0, in: dialogs) }) else {
            return ResumePoint(history: [], kept: transcript.kept, dialogsChanged: changed, movedBack: !history.isEmpty,
                               beginsAgain: true, role: role)
        }
        return ResumePoint(history: Array(history.prefix(usable + 1)), kept: transcript.kept, dialogsChanged: changed,
                           movedBack: usable < history.count - 1, beginsAgain: false, role: role)
    }

    static func exists(_ state: State, in dialogs: Dialogs) -> Bool {
        !state.stack.isEmpty && state.stack.allSatisfy { dialogs.node($0) != nil }
            && (state.clarify.map { Catalog.sets[$0.set] != nil } ?? true)
    }
}
