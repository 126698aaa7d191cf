import Dispatch
import Foundation
import IAMPolicy

/// `credential_process`, as the AWS CLI runs it: the command (split as `shlex.split` splits it, found on `PATH`
/// when it has no `/`) with the environment, its standard output the credentials as JSON (`Version` 1,
/// `AccessKeyId`, `SecretAccessKey`, and `SessionToken` and `Expiration` for temporary ones). Messages name the
/// program, never its arguments or output.
enum CredentialProcess {
  static func run(_ settings: ProcessSettings) async throws(AWSError) -> AWSCredentials {
    let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AWSCredentials, AWSError>, Never>) in
      DispatchQueue.global().async {
        do {
          continuation.resume(returning: .success(try runBlocking(settings)))
        } catch let error as AWSError {
          continuation.resume(returning: .failure(error))
        } catch {
          continuation.resume(returning: .failure(.credentials("profile `\(settings.profile)`: credential_process failed")))
        }
      }
    }
    return try outcome.get()
  }

  private static func runBlocking(_ settings: ProcessSettings) throws(AWSError) -> AWSCredentials {
    let program = settings.arguments[0]
    let context = "profile `\(settings.profile)`: credential_process `\(program)`"
    guard let executable = locate(program, path: settings.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
      throw AWSError.credentials("\(context) is not an executable file (nor on PATH)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(settings.arguments.dropFirst())
    process.environment = settings.environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw AWSError.credentials("\(context) cannot be started")
    }
    // Both pipes are drained at once, so that a chatty standard error cannot block the process.
    let errorBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errorBox.data = errors.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let errorData = errorBox.data
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let detail = String(decoding: errorData.prefix(300), as: UTF8.self).trimmingWhitespace
      throw AWSError.credentials("\(context) exited with status \(process.terminationStatus)" + (detail.isEmpty ? "" : ": \(detail)"))
    }
    return try parse(Array(outputData), context: context)
  }

  /// The credentials in the process's output.
  static func parse(_ bytes: [UInt8], context: String) throws(AWSError) -> AWSCredentials {
    let json: JSONValue
    do {
      json = try JSONReader().read(bytes)
    } catch {
      throw AWSError.credentials("\(context) printed something that is not JSON (at \(error.position))")
    }
    guard json.members != nil else { throw AWSError.credentials("\(context) printed JSON that is not an object") }
    guard case .number(let version)? = json["Version"]?.kind, version == "1" else {
      throw AWSError.credentials("\(context) printed no `\"Version\": 1` (the only version the AWS CLI knows)")
    }
    let missing = ["AccessKeyId", "SecretAccessKey"].filter { (json[$0]?.stringValue ?? "").isEmpty }
    guard missing.isEmpty, let key = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue else {
      throw AWSError.credentials("\(context) printed no \(missing.joined(separator: " and "))")
    }
    var expiration: UTCTime?
    if let text = json["Expiration"]?.stringValue {
      guard let time = UTCTime(iso8601: text) else { throw AWSError.credentials("\(context) printed an Expiration that is not ISO 8601") }
      expiration = time
    }
    return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue,
                          expiration: expiration, source: "credential_process (\(context.prefix { $0 != ":" }))")
  }

  /// The program's path: as given when it has a `/`, else the first executable of that name on `path`.
  static func locate(_ program: String, path: String) -> String? {
    if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = "\(folder)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// Standard error as read on another thread; the dispatch group orders the write before the read.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
