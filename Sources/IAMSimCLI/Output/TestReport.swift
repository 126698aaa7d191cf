import IAMEvaluation
import IAMPolicy

/// Renders test results as text lines, JSON or JUnit XML.
enum TestReport {
  /// One line for a failing request: file, index, request, expected and actual decision, deciding statements.
  static func failureLine(_ result: TestCommand.Result) -> String {
    let request = result.request
    var line = "FAIL \(result.caseFile.path) requests[\(request.index)] \(request.action) on \(request.resource): "
    line += "expected \(request.expect?.rawValue ?? "-"), got \(result.response.decision.rawValue)"
    line += " (\(result.response.reason))"
    if !result.response.determiningStatements.isEmpty {
      line += "; decided by " + result.response.determiningStatements.map { "\($0.layer.name) \($0)" }.joined(separator: "; ")
    }
    for diagnostic in result.response.diagnostics { line += "; \(diagnostic.severity.rawValue): \(diagnostic.message)" }
    if let description = result.caseFile.description { line += " [\(description)]" }
    return line
  }

  static func json(_ results: [TestCommand.Result], problems: [Diagnostic], coverage: StatementCoverage?) -> String {
    var files: [(String, [JSONOutput], String?)] = []
    for result in results {
      let item = JSONOutput.object([
        ("index", .int(result.request.index)),
        ("action", .string(result.request.action)),
        ("resource", .string(result.request.resource)),
        ("expect", .optional(result.request.expect?.rawValue)),
        ("decision", .string(result.response.decision.rawValue)),
        ("passed", .bool(result.passed)),
        ("rule", .string(result.response.rule.rawValue)),
        ("reason", .string(result.response.reason)),
        ("determiningStatements", .array(result.response.determiningStatements.map(JSONOutput.statement))),
        ("diagnostics", .array(result.response.diagnostics.map(JSONOutput.diagnostic))),
      ])
      if files.last?.0 == result.caseFile.path {
        files[files.count - 1].1.append(item)
      } else {
        files.append((result.caseFile.path, [item], result.caseFile.description))
      }
    }
    let passed = results.filter(\.passed).count
    return JSONOutput.object([
      ("version", 1),
      ("files", .array(files.map { .object([("file", .string($0.0)), ("description", .optional($0.2)), ("requests", .array($0.1))]) })),
      ("errors", .array(problems.sorted().map(JSONOutput.diagnostic))),
      ("passed", .int(passed)),
      ("failed", .int(results.count - passed)),
    ] + (coverage.map { [("coverage", $0.json)] } ?? [])).rendered(pretty: true)
  }

  static func junit(_ results: [TestCommand.Result], problems: [Diagnostic]) -> String {
    var groups: [(String, [TestCommand.Result])] = []
    for result in results {
      if groups.last?.0 == result.caseFile.path { groups[groups.count - 1].1.append(result) } else {
        groups.append((result.caseFile.path, [result]))
      }
    }
    let failures = results.filter { !$0.passed }.count
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites name=\"iamsim\" tests=\"\(results.count + problems.count)\" failures=\"\(failures)\" errors=\"\(problems.count)\">\n"
    for (file, items) in groups {
      let groupFailures = items.filter { !$0.passed }.count
      xml += "  <testsuite name=\"\(escape(file))\" tests=\"\(items.count)\" failures=\"\(groupFailures)\">\n"
      for result in items {
        let name = "requests[\(result.request.index)] \(result.request.action) on \(result.request.resource)"
        xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(name))\""
        if result.passed {
          xml += "/>\n"
        } else {
          xml += ">\n      <failure message=\"\(escape("expected \(result.request.expect?.rawValue ?? "-"), got \(result.response.decision.rawValue)"))\">"
          xml += escape(failureLine(result)) + "</failure>\n    </testcase>\n"
        }
      }
      xml += "  </testsuite>\n"
    }
    for problem in problems.sorted() {
      xml += "  <testsuite name=\"\(escape(problem.file ?? "input"))\" tests=\"1\" errors=\"1\">\n"
      xml += "    <testcase classname=\"\(escape(problem.file ?? "input"))\" name=\"load\"><error message=\"\(escape(problem.message))\">\(escape(problem.formatted))</error></testcase>\n"
      xml += "  </testsuite>\n"
    }
    return xml + "</testsuites>\n"
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
