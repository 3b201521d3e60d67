import Foundation
import QueueCore
import QueueTestSupport
import QueueWorker
import Testing

@Suite("Process identity")
struct ProcessIdentityTests {
    @Test("the current process is alive, and the same pid with another start time is not")
    func recycledPid() {
        let me = ProcessIdentity.current
        #expect(me.isAlive)
        #expect(me.startTime > 0)
        #expect(!ProcessIdentity(pid: me.pid, startTime: me.startTime + 1).isAlive)
    }

    @Test("a pid file naming a recycled pid is not taken for a live daemon, and is removed")
    func stalePidFile() throws {
        let directory = try TempDirectory()
        let home = QueueHome(root: URL(fileURLWithPath: directory.file("home")))
        try home.prepare()
        let me = ProcessIdentity.current
        try WorkerSupervisor.writePidFile(me, home: home)
        #expect(WorkerSupervisor.liveDaemons(home: home) == [me])
        try WorkerSupervisor.writePidFile(ProcessIdentity(pid: me.pid, startTime: me.startTime - 1), home: home)
        #expect(WorkerSupervisor.liveDaemons(home: home).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: WorkerSupervisor.pidFile(for: me.pid, home: home)))
    }
}
