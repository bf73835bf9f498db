import Foundation
import Testing

/// Ctrl-C during a long headless run prints the report of what ran so far, marked interrupted,
/// and exits 130; nothing is lost that ran.
@Suite struct InterruptTests {
    @Test(arguments: [false, true])
    func ctrlCPrintsTheReportSoFarMarkedInterrupted(json: Bool) throws {
        let process = Process()
        process.executableURL = orderflowExecutable()
        process.arguments = ["simulate", "--rate", "100", "--duration", "20h"] + (json ? ["--json"] : [])
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        process.interrupt()  // SIGINT, as Ctrl-C sends
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "it ended by itself, not by the signal")
        #expect(process.terminationStatus == 130)
        #expect(stderr == "orderflow: interrupted; the report shows what ran so far\n")
        if json {
            let report = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            #expect(report?["interrupted"] as? Bool == true)
            #expect((report?["virtualSeconds"] as? Double ?? 0) < 72_000, "it stopped early")
        } else {
            #expect(stdout.hasPrefix("orderflow simulate: seed 42, "))
            #expect(
                stdout.split(separator: "\n").first?.hasSuffix("virtual seconds, INTERRUPTED: what ran so far") == true)
        }
    }
}
