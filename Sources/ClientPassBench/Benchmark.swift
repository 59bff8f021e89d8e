import ArgumentParser
import ClientPassCore
import ClientPassTestSupport
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// `make bench`: how fast logins are decided on this machine, against the limit Argon2id sets.
/// Every figure is the median of `--runs` repetitions; every comparison is measured side by side
/// within each repetition, and its ratio is the median of the per-repetition ratios.
@main
struct Benchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientpass-bench",
        abstract: "Measure clientpass's login decisions against the Argon2id limit; print a table and write JSON.")

    @Option(help: ArgumentHelp("The clientpass binary to run serve and checkpassword from (a release build).", valueName: "path"))
    var clientpass: String

    @Option(help: ArgumentHelp("Where to write the results as JSON.", valueName: "path"))
    var json: String = "bench.json"

    @Option(help: "Repetitions of each measurement; the figures are their medians.")
    var runs: Int = 5

    @Option(help: ArgumentHelp("Seconds of each wrk load against serve.", valueName: "seconds"))
    var loadSeconds: Int = 4

    @Option(help: ArgumentHelp("The wrk load generator.", valueName: "path"))
    var wrk: String = "/usr/bin/wrk"

    @Flag(help: "Also measure the store on PostgreSQL (a server of its own, started and stopped here), side by side with SQLite.")
    var postgresql = false

    @Flag(help: "Measure only the decision core on each store (Argon2id, cold, warm, warm latency), to compare stores quickly.")
    var storesOnly = false

    func validate() throws {
        guard runs >= 1, loadSeconds >= 1 else { throw ValidationError("--runs and --load-seconds must be at least 1") }
        guard FileManager.default.isExecutableFile(atPath: clientpass) else { throw ValidationError("no clientpass binary at \(clientpass)") }
        guard FileManager.default.isExecutableFile(atPath: wrk) else { throw ValidationError("no wrk at \(wrk) (apt-get install wrk)") }
    }

    func run() async throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let hashing = HashingConfiguration.standard
        say(
            "clientpass benchmark: \(cores) cores, app passwords Argon2id t=\(hashing.appPassword.iterations) m=\(hashing.appPassword.memoryKiB / 1024) MiB, \(runs) runs"
        )
        let lab = try BenchLab(cores: cores, hashing: hashing)
        defer { lab.remove() }
        // The same accounts on PostgreSQL: Debian's server as an unprivileged user, on loopback
        // with a password, as the tests run it.
        let postgresLab = try postgresql ? BenchLab(cores: cores, hashing: hashing, postgresql: PostgreSQLLab.shared().makeDatabase().url) : nil
        let serve = try ServeUnderTest(clientpass: clientpass, lab: lab)
        defer { serve.stop() }
        let rssBefore = procStatusKiB(serve.pid, "VmRSS") ?? 0

        var samples: [String: [Double]] = [:]
        func add(_ name: String, _ value: Double) { samples[name, default: []].append(value) }

        for run in 1...runs {
            say("run \(run) of \(runs)…")
            let limit = try lab.singleVerification()
            let ceiling = Double(cores) / limit
            add("limit", limit)
            add("ceiling", ceiling)

            let parallel = try lab.parallelVerificationRate()
            add("parallel", parallel)
            add("parallel/ceiling", parallel / ceiling)

            var cpu = processCPUSeconds()
            let cold = try await lab.coldDecisionRate()
            add("cold", cold)
            add("cold/ceiling", cold / ceiling)
            add("cold/parallel", cold / parallel)
            add("cold cpu", (processCPUSeconds() - cpu) / Double(lab.coldDecisionCount))

            if !storesOnly {
                let http = try serve.coldLoad(seconds: loadSeconds, wrk: wrk)
                add("http", http)
                add("http/ceiling", http / ceiling)

                let costs = try await lab.manyPasswordCosts()
                add("many right", costs.manyRight)
                add("one right", costs.oneRight)
                add("many wrong", costs.manyWrong)
                add("one wrong", costs.oneWrong)
                add("many/one right", costs.manyRight / costs.oneRight)
                add("many/one wrong", costs.manyWrong / costs.oneWrong)
            }

            let (warm, _) = try await lab.warmDecisionRate()
            add("warm", warm)
            add("warm/cold", warm / cold)

            add("warm latency", try await lab.warmLatency())
            if let postgresLab {
                cpu = processCPUSeconds()
                let serverCPU = try PostgreSQLLab.shared().serverCPUSeconds()
                let coldPostgres = try await postgresLab.coldDecisionRate()
                add("pg cold", coldPostgres)
                add("pg cold/ceiling", coldPostgres / ceiling)
                add("pg cold/parallel", coldPostgres / parallel)
                add("pg cold cpu", (processCPUSeconds() - cpu) / Double(postgresLab.coldDecisionCount))
                add("pg cold server cpu", (try PostgreSQLLab.shared().serverCPUSeconds() - serverCPU) / Double(postgresLab.coldDecisionCount))
                cpu = processCPUSeconds()
                let warmServerCPU = try PostgreSQLLab.shared().serverCPUSeconds()
                let (warmPostgres, warmLogins) = try await postgresLab.warmDecisionRate()
                add("pg warm cpu", (processCPUSeconds() - cpu) / Double(warmLogins))
                add("pg warm server cpu", (try PostgreSQLLab.shared().serverCPUSeconds() - warmServerCPU) / Double(warmLogins))
                add("pg warm", warmPostgres)
                add("pg warm/cold", warmPostgres / coldPostgres)
                add("pg warm latency", try await postgresLab.warmLatency())
            }
            if storesOnly { continue }

            let checkpassword = try lab.checkpasswordTimes(command: [clientpass, "checkpassword"], logins: 15)
            add("checkpassword", checkpassword)
            add("checkpassword overhead", checkpassword - limit)

            for (shape, cases) in try await lab.refusalTimes() {
                let fastest = cases.values.min()!, slowest = cases.values.max()!
                add("refusal \(shape) fastest", fastest)
                add("refusal \(shape) slowest", slowest)
                add("refusal \(shape) slowest/fastest", slowest / fastest)
            }

            let flood = try await lab.throttledFlood()
            add("flood", flood.floodRate)
            add("legit alone", flood.aloneLatency)
            add("legit flooded", flood.floodedLatency)
        }
        let peakKiB = procStatusKiB(serve.pid, "VmHWM") ?? 0

        let m = samples.mapValues(median)
        let poolBudgetMiB = Double(cores * hashing.appPassword.memoryKiB) / 1024 + 64
        let figures: [Figure] =
            [
                Figure("Argon2id verification (1 thread)", m["limit"]! * 1000, "ms"),
                Figure("ceiling: cores ÷ verification", m["ceiling"]!, "logins/s"),
                Figure("bare Argon2id on all cores (reference)", m["parallel"]!, "verifications/s", ratio: m["parallel/ceiling"]!, of: "ceiling"),
                Figure("cold decisions, core, all cores", m["cold"]!, "logins/s", ratio: m["cold/ceiling"]!, of: "ceiling", target: ">= 0.9") { $0 >= 0.9 },
            ]
            + (storesOnly
                ? []
                : [
                    Figure("cold decisions, /auth/nginx under wrk", m["http"]!, "logins/s", ratio: m["http/ceiling"]!, of: "ceiling", target: ">= 0.9") {
                        $0 >= 0.9
                    },
                    Figure("25 app passwords, right secret", m["many right"]! * 1000, "ms", ratio: m["many/one right"]!, of: "1 password", target: "<= 1.1") {
                        $0 <= 1.1
                    },
                    Figure("1 app password, right secret", m["one right"]! * 1000, "ms"),
                    Figure("25 app passwords, wrong secret", m["many wrong"]! * 1000, "ms", ratio: m["many/one wrong"]!, of: "1 password", target: "<= 1.1") {
                        $0 <= 1.1
                    },
                    Figure("1 app password, wrong secret", m["one wrong"]! * 1000, "ms"),
                ]) + [
                Figure("warm decisions, core, all cores", m["warm"]!, "logins/s", ratio: m["warm/cold"]!, of: "cold", target: ">= 100") { $0 >= 100 },
                Figure("warm latency, one login at a time (generation read first)", m["warm latency"]! * 1000, "ms"),
            ]
            + (postgresLab == nil
                ? []
                : [
                    Figure(
                        "PostgreSQL: cold decisions, core, all cores", m["pg cold"]!, "logins/s", ratio: m["pg cold/parallel"]!, of: "bare Argon2id",
                        target: ">= 0.9"
                    ) { $0 >= 0.9 },
                    Figure(
                        "SQLite, the same, against bare Argon2id", m["cold"]!, "logins/s", ratio: m["cold/parallel"]!, of: "bare Argon2id",
                        target: ">= 0.9"
                    ) { $0 >= 0.9 },
                    Figure(
                        "PostgreSQL: clientpass CPU per cold login", m["pg cold cpu"]! * 1000, "ms", ratio: m["pg cold cpu"]! / m["cold cpu"]!, of: "SQLite"),
                    Figure("PostgreSQL: server CPU per cold login", m["pg cold server cpu"]! * 1000, "ms"),
                    Figure(
                        "PostgreSQL: warm decisions, core, all cores", m["pg warm"]!, "logins/s", ratio: m["pg warm/cold"]!, of: "cold",
                        target: ">= 100"
                    ) { $0 >= 100 },
                    Figure("PostgreSQL: clientpass CPU per warm login", m["pg warm cpu"]! * 1000, "ms"),
                    Figure("PostgreSQL: server CPU per warm login", m["pg warm server cpu"]! * 1000, "ms"),
                    Figure(
                        "PostgreSQL: warm latency, one login at a time (generation read first)", m["pg warm latency"]! * 1000, "ms",
                        ratio: m["pg warm latency"]! / m["warm latency"]!, of: "SQLite"),
                ])
            + (storesOnly
                ? []
                : [
                    Figure("checkpassword, whole process per login", m["checkpassword"]! * 1000, "ms"),
                    Figure("checkpassword beyond the hash", m["checkpassword overhead"]! * 1000, "ms", target: "<= 10 ms") { $0 <= 10 },
                    Figure(
                        "refusal, app-password-shaped secret, slowest case", m["refusal app-password shaped slowest"]! * 1000, "ms",
                        ratio: m["refusal app-password shaped slowest/fastest"]!, of: "fastest case", target: "<= 1.1"
                    ) { $0 <= 1.1 },
                    Figure(
                        "refusal, other secret, slowest case", m["refusal other slowest"]! * 1000, "ms",
                        ratio: m["refusal other slowest/fastest"]!, of: "fastest case", target: "<= 1.1"
                    ) { $0 <= 1.1 },
                    Figure(
                        "refusal, secret over 1,024 bytes, slowest case", m["refusal over 1,024 bytes slowest"]! * 1000, "ms",
                        ratio: m["refusal over 1,024 bytes slowest/fastest"]!, of: "fastest case"),
                    Figure("throttled flood answered", m["flood"]!, "decisions/s"),
                    Figure("legitimate login alone", m["legit alone"]! * 1000, "ms"),
                    Figure(
                        "legitimate login during the flood", m["legit flooded"]! * 1000, "ms",
                        ratio: m["legit flooded"]! / m["legit alone"]!, of: "alone"),
                    Figure(
                        "serve peak memory under cold load", Double(peakKiB) / 1024, "MiB",
                        ratio: Double(peakKiB) / 1024 / poolBudgetMiB, of: "budget", target: "<= \(Int(poolBudgetMiB)) MiB"
                    ) { _ in Double(peakKiB) / 1024 <= poolBudgetMiB },
                    Figure("serve memory before load", Double(rssBefore) / 1024, "MiB"),
                ])
        say("")
        say(Figure.table(figures))
        let document: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: Date()),
            "cores": cores,
            "runs": runs,
            "argon2id": [
                "app_password": ["iterations": hashing.appPassword.iterations, "memory_kib": hashing.appPassword.memoryKiB],
                "mailbox_password": ["iterations": hashing.mailboxPassword.iterations, "memory_kib": hashing.mailboxPassword.memoryKiB],
            ],
            "figures": figures.map(\.json),
            "samples": samples,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: json))
        say("\nwritten to \(json)")
    }
}

/// One line of the table.
struct Figure {
    let name: String
    let value: Double
    let unit: String
    let ratio: Double?
    let of: String?
    let target: String?
    let met: Bool?

    init(
        _ name: String, _ value: Double, _ unit: String, ratio: Double? = nil, of: String? = nil, target: String? = nil,
        _ check: ((Double) -> Bool)? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.ratio = ratio
        self.of = of
        self.target = target
        // A target checks the ratio when there is one, else the value.
        met = check.map { $0(ratio ?? value) }
    }

    var json: [String: Any] {
        var object: [String: Any] = ["name": name, "value": value, "unit": unit]
        if let ratio, let of { object["ratio"] = ratio; object["ratio_of"] = of }
        if let target { object["target"] = target }
        if let met { object["met"] = met }
        return object
    }

    static func table(_ figures: [Figure]) -> String {
        func format(_ value: Double) -> String {
            value >= 100 ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.1f", value) : String(format: "%.2f", value)
        }
        let rows = figures.map { figure in
            [
                figure.name, format(figure.value) + " " + figure.unit,
                figure.ratio.map { "\(format($0)) × \(figure.of ?? "")" } ?? "",
                figure.target ?? "", figure.met.map { $0 ? "met" : "NOT MET" } ?? "",
            ]
        }
        let header = ["measure", "median", "ratio", "target", ""]
        let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max()! }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }
}
