// Word that the learned readers are about to be taught (the first start after an update), so a terminal can say the start takes a moment.
import Foundation

public enum Teaching {
    /// Called once, when the first learned reader of this run starts being taught, from whichever thread
    /// teaches first; never when every reader is read from a compiled copy. Set it before loading.
    nonisolated(unsafe) public static var onStart: (@Sendable () -> Void)?
    private static let lock = NSLock()

    /// Said by each teaching as it starts: only the first calls `onStart`.
    static func starting() {
        lock.lock()
        let call = onStart
        onStart = nil
        lock.unlock()
        call?()
    }
}
