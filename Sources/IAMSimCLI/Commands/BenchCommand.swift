import Foundation
import IAMEvaluation
import IAMPolicy

/// `iamsim bench`: the engine's throughput, latency and memory, measured on this machine.
enum BenchCommand {
  static let help = """
    USAGE: iamsim bench [--scenario NAME]... [--format text|json] [--runs N] [--seconds S]
           iamsim bench generate-org --users N --permission-sets P --accounts A --out DIR

    Measures each scenario: operations per second (the median of the runs), nanoseconds per operation
    and peak memory. Run it on a release build: `swift build -c release && .build/release/iamsim bench`.
    Before timing, every scenario that decides requests checks once that the fast path decides each
    request as `authorize` does, and fails with exit 1 if any decision differs.

    SCENARIOS (default: all, in this order):
    \(BenchScenario.allCases.map { "  " + $0.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0) + $0.operation }.joined(separator: "\n"))

    OPTIONS:
      --scenario NAME          run only this scenario (repeatable, or NAME,NAME)
      --format text|json       text (default), or {"scenarios": [{"name", "perSecond", "nsPerOp", "peakMemoryBytes"}]}
      --runs N                 timed runs per scenario; the median is reported (default 5)
      --seconds S              least duration of one run, in seconds (default 0.5)

    Peak memory is this process's VmHWM (reset before each scenario), or for cold-query the largest
    ru_maxrss of the started processes, each started and timed by a fresh helper process. The data comes from the repository's Benchmarks/ folder
    (set IAMSIM_BENCHMARKS to run from elsewhere).

    `generate-org` writes the synthetic organization directory the organization scenarios use (deterministic; see
    Benchmarks/README.md for its shape), to run the commands on it by hand.

    Exit status: 0 measured; 1 a decision differed (nothing is reported then); 2 data missing; 64 bad usage.

    """

  /// The internal helper mode of cold-query: `iamsim bench --spawn-child EXECUTABLE ARGUMENTS...` starts the
  /// program with its output discarded, waits, and prints `STATUS PEAK_BYTES NANOSECONDS`. A fresh process has a
  /// small resident size, so the child's ru_maxrss is the child's own.
  static let spawnChildFlag = "--spawn-child"

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    if arguments.first == spawnChildFlag {
      guard arguments.count >= 2 else { throw UsageError("\(spawnChildFlag) needs a program", command: "bench") }
      do {
        let child = try BenchSystem.run(
          arguments[1], Array(arguments.dropFirst(2)), environment: environment, captureOutput: false)
        out("\(child.status) \(child.peakResidentBytes) \(child.nanoseconds)\n")
        return .success
      } catch let failure as BenchFailure {
        err("error: \(failure.description)\n")
        return .failure
      }
    }
    if arguments.first == "generate-org" {
      let parsed = try ParsedArguments(
        Array(arguments.dropFirst()), valueFlags: ["--users", "--permission-sets", "--accounts", "--out"], switchFlags: [],
        command: "bench")
      func count(_ flag: String) throws -> Int {
        guard let text = try parsed.single(flag, command: "bench"), let value = Int(text), (1...100_000).contains(value) else {
          throw UsageError("generate-org needs \(flag) N (1 to 100,000)", command: "bench")
        }
        return value
      }
      guard let directory = try parsed.single("--out", command: "bench") else {
        throw UsageError("generate-org needs --out DIR", command: "bench")
      }
      out(try OrganizationGenerator.write(
        users: count("--users"), permissionSets: count("--permission-sets"), accounts: count("--accounts"), to: directory) + "\n")
      return .success
    }
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--scenario", "--format", "--runs", "--seconds"], switchFlags: [], command: "bench")
    let format = try parsed.format(["text", "json"], command: "bench")
    guard parsed.positionals.isEmpty else { throw UsageError("unexpected argument `\(parsed.positionals[0])`", command: "bench") }
    var scenarios: [BenchScenario] = []
    for name in parsed.all("--scenario").flatMap({ $0.split(separator: ",").map(String.init) }) {
      guard let scenario = BenchScenario(rawValue: name) else {
        throw UsageError(
          "unknown scenario `\(name)`; the scenarios are \(BenchScenario.allCases.map(\.rawValue).joined(separator: ", "))",
          command: "bench")
      }
      if !scenarios.contains(scenario) { scenarios.append(scenario) }
    }
    if scenarios.isEmpty { scenarios = BenchScenario.allCases }
    let runs = try parsed.single("--runs", command: "bench").map { text in
      guard let value = Int(text), value >= 1 else { throw UsageError("`--runs` must be a whole number ≥ 1", command: "bench") }
      return value
    } ?? 5
    let seconds = try parsed.single("--seconds", command: "bench").map { text in
      guard let value = Double(text), value > 0, value <= 600 else {
        throw UsageError("`--seconds` must be a number of seconds above 0", command: "bench")
      }
      return value
    } ?? 0.5

    #if DEBUG
      err("warning: this is a debug build; measure a release build (swift build -c release)\n")
    #endif
    var data = try BenchData(environment: environment)
    var results: [BenchResult] = []
    for scenario in scenarios {
      if format == "text" { err("\(scenario.rawValue)…\n") }
      do {
        results.append(try measure(scenario, data: &data, runs: runs, seconds: seconds))
      } catch let failure as BenchFailure {
        err("error: \(scenario.rawValue): \(failure.description)\n")
        return .failure
      }
    }
    if format == "json" {
      out(JSONOutput.object([("scenarios", .array(results.map(\.json)))]).rendered(pretty: true) + "\n")
    } else {
      out(text(results, runs: runs, seconds: seconds))
    }
    return .success
  }

  /// Checks, warms up, then times `runs` runs of at least `seconds` each and takes the median rate.
  static func measure(_ scenario: BenchScenario, data: inout BenchData, runs: Int, seconds: Double) throws -> BenchResult {
    BenchSystem.resetPeakResident()
    let workload = try scenario.workload(&data)
    defer { workload.cleanup() }
    var checksum = try workload.batch().checksum
    let budget = UInt64(seconds * 1e9)
    var rates: [Double] = []
    let wallStart = BenchSystem.now()
    let cpuStart = BenchSystem.processCPUTime()
    for _ in 0..<runs {
      var operations = 0
      var measured: UInt64 = 0
      var batchesMeasuredThemselves = true
      let start = BenchSystem.now()
      var elapsed: UInt64 = 0
      repeat {
        let batch = try workload.batch()
        operations += batch.operations
        checksum &+= batch.checksum
        if let nanoseconds = batch.nanoseconds { measured += nanoseconds } else { batchesMeasuredThemselves = false }
        elapsed = BenchSystem.now() - start
      } while elapsed < budget
      rates.append(Double(operations) * 1e9 / Double(batchesMeasuredThemselves ? measured : elapsed))
    }
    let cpuShare = Double(BenchSystem.processCPUTime() - cpuStart) / Double(BenchSystem.now() - wallStart)
    benchSink(checksum)
    rates.sort()
    let median = rates.count % 2 == 1 ? rates[rates.count / 2] : (rates[rates.count / 2 - 1] + rates[rates.count / 2]) / 2
    return BenchResult(
      scenario: scenario, perSecond: median, nsPerOp: 1e9 / median,
      peakMemoryBytes: workload.childPeakBytes?() ?? BenchSystem.peakResidentBytes(), rates: rates,
      cpuShare: cpuShare, checked: workload.checked)
  }

  static func text(_ results: [BenchResult], runs: Int, seconds: Double) -> String {
    var lines = [
      "iamsim bench: median of \(runs) run\(runs == 1 ? "" : "s") of ≥ \(seconds) s; \(BenchSystem.processorCount) CPUs, \(BenchSystem.processorModel)",
      "",
    ]
    let header = ["scenario", "ops/s", "ns/op", "peak memory", "target"]
    var rows = [header]
    for result in results {
      let verdict = result.scenario.target.map { target in
        target.description + (target.isMet(perSecond: result.perSecond, nanoseconds: result.nsPerOp,
                                           peakBytes: result.peakMemoryBytes) ? "  met" : "  MISSED")
      } ?? "-"
      rows.append([
        result.scenario.rawValue, BenchFormat.rate(result.perSecond), BenchFormat.grouped(result.nsPerOp),
        BenchFormat.megabytes(result.peakMemoryBytes), verdict,
      ])
    }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
      let cells = row.indices.map { column in
        column == 0 || column == row.count - 1
          ? row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[column] - row[column].count) + row[column]
      }
      lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
    }
    lines.append("")
    for result in results {
      lines.append("\(result.scenario.rawValue): \(result.scenario.operation)")
      lines.append("  checked: \(result.checked)")
      lines.append(
        "  runs (ops/s): \(result.rates.map(BenchFormat.rate).joined(separator: ", ")); CPU time / wall time \(String(format: "%.2f", result.cpuShare))")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// One scenario's measurement.
struct BenchResult {
  let scenario: BenchScenario
  /// The median of the runs' rates.
  let perSecond: Double
  let nsPerOp: Double
  let peakMemoryBytes: Int
  /// Every run's rate, sorted.
  let rates: [Double]
  /// This process's CPU time over the wall time of the timed runs: about 1 for one busy thread with a core
  /// to itself, less when other processes took the CPU (the rates then understate the engine).
  let cpuShare: Double
  let checked: String

  var json: JSONOutput {
    .object([
      ("name", .string(scenario.rawValue)),
      ("perSecond", .number(String(format: "%.3f", perSecond))),
      ("nsPerOp", .number(String(format: "%.1f", nsPerOp))),
      ("peakMemoryBytes", .int(peakMemoryBytes)),
    ])
  }
}

/// Number formatting that does not depend on the locale.
enum BenchFormat {
  /// `4,512,345`, rounded to a whole number.
  static func grouped(_ value: Double) -> String {
    guard value.isFinite else { return "∞" }
    let digits = String(Int(value.rounded()))
    var result = ""
    for (offset, character) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 && character != "-" && result != "-" { result += "," }
      result.append(character)
    }
    return result
  }

  static func grouped(_ value: Int) -> String { grouped(Double(value)) }

  /// A rate: grouped when large, with two decimals when small (a few passes per second).
  static func rate(_ value: Double) -> String {
    value >= 100 ? grouped(value) : String(format: "%.2f", value)
  }

  /// `12.3 MB` (10^6 bytes).
  static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

  /// `300 ms`, `1.5 µs`, from nanoseconds.
  static func duration(_ nanoseconds: Double) -> String {
    if nanoseconds >= 1e6 { return String(format: "%g ms", nanoseconds / 1e6) }
    if nanoseconds >= 1e3 { return String(format: "%g µs", nanoseconds / 1e3) }
    return String(format: "%g ns", nanoseconds)
  }
}
