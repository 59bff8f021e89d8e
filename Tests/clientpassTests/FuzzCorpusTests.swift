import Foundation
import Testing

/// The seed corpus of every fuzz target (Tests/Fuzz/corpus), where a crash `make fuzz` found is
/// kept as a regression input, replayed through the target's parser and its property checks by
/// the ordinary build of clientpass-fuzz (docs/security.md). `make fuzz` is the fuzzing itself,
/// with libFuzzer and the address sanitizer.
@Suite struct FuzzCorpusTests {
    static let corpus = ReferenceTests.root + "/Tests/Fuzz/corpus"
    static let binary = clientpassBinary.deletingLastPathComponent().appendingPathComponent("clientpass-fuzz").path

    @Test func everySeedKeepsItsTargetsProperties() throws {
        let sandbox = try Sandbox()
        let targets = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted()
        #expect(targets.count == 11, "the seed folders are \(targets)")
        for target in targets {
            let folder = Self.corpus + "/" + target
            let seeds = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(!seeds.isEmpty, "no seed for \(target)")
            let run = try runProcess(Self.binary, [folder], stdin: nil, environment: ["CLIENTPASS_FUZZ_TARGET": target], in: sandbox.folder)
            #expect(run.status == 0, "\(target): \(run)")
            #expect(run.stdout.contains("\(target): \(seeds.count) inputs replayed, every property held"), "\(run)")
        }
    }

    @Test func anUnknownTargetOrAMissingInputIsRefused() throws {
        let sandbox = try Sandbox()
        let unknown = try runProcess(
            Self.binary, [Self.corpus + "/addresses"], stdin: nil, environment: ["CLIENTPASS_FUZZ_TARGET": "nothing"], in: sandbox.folder)
        #expect(unknown.status == 64, "\(unknown)")
        #expect(unknown.stderr.contains("set CLIENTPASS_FUZZ_TARGET to one of: addresses"), "\(unknown)")
        let missing = try runProcess(
            Self.binary, [Self.corpus + "/no-such-target"], stdin: nil, environment: ["CLIENTPASS_FUZZ_TARGET": "addresses"], in: sandbox.folder)
        #expect(missing.status == 66, "\(missing)")
    }
}
