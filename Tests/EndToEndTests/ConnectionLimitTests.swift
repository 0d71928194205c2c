import Foundation
import LTFUWire
import Testing

/// Issue #13: the control socket's resource limits, against a real ltfud. Silent clients are
/// closed after `[socket] idle_seconds`; past `[socket] max_connections` new callers wait for
/// one to close instead of exhausting the daemon's files.
@Suite(.serialized) struct ConnectionLimitTests {
    @Test func fiveHundredSilentConnections_doNotKeepStatusWaiting() throws {
        let daemon = try DaemonHarness(today: "2025-03-01")
        try daemon.start()
        let silent = try (1...500).map { _ in try RawSocket(path: daemon.socket) }
        let started = Date()
        let status = try daemon.ctl("status")
        let seconds = Date().timeIntervalSince(started)
        print("connection limits: 500 silent connections open, ltfuctl status answered in \(String(format: "%.2f", seconds)) s")
        #expect(status.status == 0, "\(status.stderr)")
        // Not held up until idle connections close (idle_seconds is 30 by default): answered in
        // well under that, with room for a loaded machine three times slower.
        #expect(seconds < 10, "ltfuctl status took \(seconds) s beside 500 silent connections")
        _ = silent
    }

    @Test func pastTheCap_aCallerWaitsForAnIdleConnectionToClose() throws {
        let daemon = try DaemonHarness(today: "2025-03-01", extraConfig: """
            [socket]
            max_connections = 20
            idle_seconds = 2
            """)
        try daemon.start()
        let silent = try (1...20).map { _ in try RawSocket(path: daemon.socket) }
        let started = Date()
        let status = try daemon.ctl("status")
        let seconds = Date().timeIntervalSince(started)
        print("connection limits: 20 of max_connections = 20 held silent; ltfuctl status answered after \(String(format: "%.1f", seconds)) s (idle_seconds = 2)")
        #expect(status.status == 0, "\(status.stderr)")
        // It could only be served once the idle timeout closed a silent connection.
        #expect(seconds >= 1.5, "served after \(seconds) s although every connection was taken")
        // Each silent connection was closed by the daemon: reading gives end of file.
        var byte: UInt8 = 0
        #expect(recv(silent[0].fd, &byte, 1, 0) == 0)
    }
}
