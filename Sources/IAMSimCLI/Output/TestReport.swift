import IAMEvaluation
import IAMPolicy

/// Renders test results as text lines, JSON or JUnit XML, one result at a time.
///
/// Nothing of a result is kept once it is rendered: text is written at once; JSON is written one case file at a
/// time (the file being read is held until the next begins, as results are grouped by file); JUnit, whose first
/// line carries the totals, keeps its rendered test suites until the end. So memory grows with the output, not
/// with the case files, their policies or the responses.
struct TestReport {
  let format: String
  let colour: Colour
  /// How many requests passed and failed so far.
  private(set) var passed = 0
  private(set) var failed = 0
  var total: Int { passed + failed }

  /// JSON: the case file whose requests are being gathered, and how many files were written.
  private var jsonFile: (path: String, description: String?, requests: [JSONOutput])?
  private var jsonFilesWritten = 0
  /// JUnit: the test suite (one case file) being gathered, and the rendered suites before it.
  private var junitSuite: (path: String, cases: String, tests: Int, failures: Int)?
  private var junitBody = ""

  init(format: String, colour: Colour) {
    self.format = format
    self.colour = format == "text" ? colour : .none
  }

  /// Counts and renders one result; writes what is complete.
  mutating func add(_ result: TestCommand.Result, _ out: (String) -> Void) {
    if result.passed { passed += 1 } else { failed += 1 }
    switch format {
    case "json":
      if let file = jsonFile, file.path != result.caseFile.path { writeJSONFile(out) }
      if jsonFile == nil { jsonFile = (result.caseFile.path, result.caseFile.description, []) }
      jsonFile?.requests.append(Self.json(result))
    case "junit":
      if let suite = junitSuite, suite.path != result.caseFile.path { closeJUnitSuite() }
      if junitSuite == nil { junitSuite = (result.caseFile.path, "", 0, 0) }
      junitSuite?.cases += Self.junitCase(result)
      junitSuite?.tests += 1
      if !result.passed { junitSuite?.failures += 1 }
    default:
      if !result.passed { out(Self.failureLine(result, colour: colour) + "\n") }
    }
  }

  /// Writes the rest: in JSON the errors, counts and coverage; in JUnit everything, totals first; in text the
  /// coverage and the closing `N passed, N failed`.
  mutating func finish(
    problems: [Diagnostic], coverage: StatementCoverage?, minimumCoverage: Double?, _ out: (String) -> Void
  ) {
    switch format {
    case "json":
      if jsonFile != nil { writeJSONFile(out) }
      let rest: [(String, JSONOutput)] =
        [
          ("errors", .array(problems.sorted().map(JSONOutput.diagnostic))), ("passed", .int(passed)),
          ("failed", .int(failed)),
        ] + (coverage.map { [("coverage", $0.json)] } ?? [])
      var bytes = Array((jsonFilesWritten == 0 ? Self.jsonHead + "[]" : "\n  ]").utf8)
      for (key, value) in rest {
        bytes.append(contentsOf: ",\n  ".utf8)
        JSONOutput.appendString(key, to: &bytes)
        bytes.append(contentsOf: ": ".utf8)
        value.render(appendingTo: &bytes, pretty: true, indent: 1)
      }
      bytes.append(contentsOf: "\n}\n".utf8)
      out(String(decoding: bytes, as: UTF8.self))
    case "junit":
      if junitSuite != nil { closeJUnitSuite() }
      let belowMinimum = minimumCoverage.map { (coverage?.percentage ?? 100) < $0 } ?? false
      let coverageSuites = coverage == nil ? 0 : 1
      var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      xml += "<testsuites name=\"iamsim\" tests=\"\(total + problems.count + coverageSuites)\" "
      xml += "failures=\"\(failed + (belowMinimum ? 1 : 0))\" errors=\"\(problems.count)\">\n"
      out(xml)
      out(junitBody)
      junitBody = ""
      var tail = ""
      for problem in problems.sorted() {
        tail += "  <testsuite name=\"\(Self.escape(problem.file ?? "input"))\" tests=\"1\" errors=\"1\">\n"
        tail += "    <testcase classname=\"\(Self.escape(problem.file ?? "input"))\" name=\"load\"><error message=\"\(Self.escape(problem.message))\">\(Self.escape(problem.formatted))</error></testcase>\n"
        tail += "  </testsuite>\n"
      }
      if let coverage { tail += Self.junitCoverage(coverage, minimum: minimumCoverage) }
      out(tail + "</testsuites>\n")
    default:
      if let coverage { out(coverage.report) }
      let passedText = passed > 0 ? colour.green("\(passed) passed") : "\(passed) passed"
      let failedText = failed > 0 ? colour.red("\(failed) failed") : "\(failed) failed"
      out("\(passedText), \(failedText)\n")
    }
  }

  private static let jsonHead = "{\n  \"version\": 1,\n  \"files\": "

  private mutating func writeJSONFile(_ out: (String) -> Void) {
    guard let file = jsonFile else { return }
    let object = JSONOutput.object([
      ("file", .string(file.path)), ("description", .optional(file.description)), ("requests", .array(file.requests)),
    ])
    var bytes = Array((jsonFilesWritten == 0 ? Self.jsonHead + "[" : ",").utf8)
    bytes.append(contentsOf: "\n    ".utf8)
    object.render(appendingTo: &bytes, pretty: true, indent: 2)
    out(String(decoding: bytes, as: UTF8.self))
    jsonFilesWritten += 1
    jsonFile = nil
  }

  private mutating func closeJUnitSuite() {
    guard let suite = junitSuite else { return }
    junitBody += "  <testsuite name=\"\(Self.escape(suite.path))\" tests=\"\(suite.tests)\" failures=\"\(suite.failures)\">\n"
    junitBody += suite.cases + "  </testsuite>\n"
    junitSuite = nil
  }

  /// One line for a failing request: file, index, name, request, expected and actual decision (and deciding
  /// statements when `decidedBy` names some), the reason, and the statements that decided.
  static func failureLine(_ result: TestCommand.Result, colour: Colour = .none) -> String {
    let request = result.request
    var line = "\(colour.red("FAIL")) \(result.caseFile.path) requests[\(request.index)]"
    if let name = request.name { line += " \"\(name)\"" }
    line += " \(request.action) on \(request.resource): "
    line += "expected \(request.expect?.rawValue ?? "-")"
    if let decidedBy = request.decidedBy { line += " decided by " + decidedBy.map(\.description).joined(separator: " and ") }
    line += ", got \(colour.decision(result.response.decision))"
    line += " (\(result.response.reason))"
    if !result.response.determiningStatements.isEmpty {
      line += "; decided by " + result.response.determiningStatements.map { "\($0.layer.name) \($0)" }.joined(separator: "; ")
    } else if request.decidedBy != nil {
      line += "; decided by no statement"
    }
    for diagnostic in result.response.diagnostics { line += "; \(diagnostic.severity.rawValue): \(diagnostic.message)" }
    if let description = result.caseFile.description { line += " [\(description)]" }
    return line
  }

  /// One request as JSON; `name` and `decidedBy` only when the request has them.
  static func json(_ result: TestCommand.Result) -> JSONOutput {
    let request = result.request
    return .object(
      [("index", .int(request.index))] + (request.name.map { [("name", JSONOutput.string($0))] } ?? []) + [
        ("action", .string(request.action)),
        ("resource", .string(request.resource)),
        ("expect", .optional(request.expect?.rawValue)),
      ] + (request.decidedBy.map { [("decidedBy", JSONOutput.array($0.map(\.json)))] } ?? []) + [
        ("decision", .string(result.response.decision.rawValue)),
        ("passed", .bool(result.passed)),
        ("rule", .string(result.response.rule.rawValue)),
        ("reason", .string(result.response.reason)),
        ("determiningStatements", .array(result.response.determiningStatements.map(JSONOutput.statement))),
        ("diagnostics", .array(result.response.diagnostics.map(JSONOutput.diagnostic))),
      ])
  }

  /// The name of a request's JUnit test case: `requests[1] NAME` when it has a name, else
  /// `requests[1] ACTION on RESOURCE`.
  static func junitName(_ request: CaseRequest) -> String {
    "requests[\(request.index)] " + (request.name ?? "\(request.action) on \(request.resource)")
  }

  private static func junitCase(_ result: TestCommand.Result) -> String {
    var xml = "    <testcase classname=\"\(escape(result.caseFile.path))\" name=\"\(escape(junitName(result.request)))\""
    if result.passed { return xml + "/>\n" }
    var message = "expected \(result.request.expect?.rawValue ?? "-"), got \(result.response.decision.rawValue)"
    if result.decisionMatches { message = "not decided by the statements of decidedBy" }
    xml += ">\n      <failure message=\"\(escape(message))\">"
    return xml + escape(failureLine(result)) + "</failure>\n    </testcase>\n"
  }

  /// The statement coverage as a JUnit test suite of one test case, failed when below `minimum`: its figures as
  /// properties, its uncovered statements as standard output.
  private static func junitCoverage(_ coverage: StatementCoverage, minimum: Double?) -> String {
    let below = minimum.map { coverage.percentage < $0 } ?? false
    var xml = "  <testsuite name=\"statement coverage\" tests=\"1\" failures=\"\(below ? 1 : 0)\">\n"
    xml += "    <properties>\n"
    for (name, value) in coverage.figures {
      xml += "      <property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
    }
    xml += "    </properties>\n"
    xml += "    <testcase classname=\"statement coverage\" name=\"statements of the policies under test\">\n"
    if let minimum, below {
      let message = "statement coverage \(coverage.percentageText)% is below --min-coverage \(minimum)"
      xml += "      <failure message=\"\(escape(message))\">\(escape(message))</failure>\n"
    }
    xml += "      <system-out>\(escape(coverage.report))</system-out>\n"
    return xml + "    </testcase>\n  </testsuite>\n"
  }

  /// Escapes text for XML attributes and content.
  static func escape(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      default:
        if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { result += "&#\(scalar.value);" } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }
}
