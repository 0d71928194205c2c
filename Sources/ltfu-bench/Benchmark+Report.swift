#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension Benchmark {
    /// `ltfuctl report --out DIR` against the running ltfud: the wall time, the peak resident
    /// memory of each program during it (ltfuctl's from `wait4`, ltfud's as `VmHWM` after
    /// clearing it just before), and the size of `index.html`. The README's report rows.
    static func reportRows(ctl: String, socket: String, daemon: Int32, folder: String) throws -> [String] {
        // Writing 5 to clear_refs sets the peak back to what is resident now (proc(5)).
        try? "5".write(toFile: "/proc/\(daemon)/clear_refs", atomically: false, encoding: .utf8)
        var usage = rusage()
        let start = ContinuousClock.now
        try run(ctl, ["report", "--out", folder, "--socket", socket], usage: &usage)
        let seconds = (ContinuousClock.now - start).seconds
        let daemonPeak = residentPeakKiB(daemon)
        let index = (try? FileManager.default.attributesOfItem(atPath: folder + "/index.html")[.size] as? Int) ?? 0
        let pages = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/subjects").count) ?? 0
        return [
            String(format: "| `ltfuctl report --out DIR` (%d subject pages) | %.1f s | < 20 s |", pages, seconds),
            String(format: "| peak resident memory during the report | ltfuctl %.0f MB, ltfud %.0f MB | < 150 MB each |",
                   Double(usage.ru_maxrss) / 1024, Double(daemonPeak) / 1024),
            String(format: "| `index.html` | %.0f KB | < 1 MB |", Double(index) / 1024),
        ]
    }

    /// `VmHWM` of a process, in KiB (0 when it cannot be read).
    static func residentPeakKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
