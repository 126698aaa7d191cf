import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What the benchmark needs from the operating system: a monotonic clock, the process's peak memory,
/// child processes and the machine's description. Linux only for memory; elsewhere peaks read as 0.
enum BenchSystem {
  /// Monotonic nanoseconds.
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  /// CPU time used by this process so far (all threads), in nanoseconds.
  static func processCPUTime() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// The peak resident set size of this process (`VmHWM` in `/proc/self/status`), in bytes.
  static func peakResidentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      return (Int(line.dropFirst(6).filter(\.isNumber)) ?? 0) * 1024
    }
    return 0
  }

  /// Resets `VmHWM` to the current resident size (Linux ≥ 4.0: write `5` to `/proc/self/clear_refs`),
  /// so that each scenario's peak is its own and not the highest of the scenarios before it.
  @discardableResult
  static func resetPeakResident() -> Bool {
    #if os(Linux)
      let descriptor = open("/proc/self/clear_refs", O_WRONLY)
      guard descriptor >= 0 else { return false }
      defer { close(descriptor) }
      return write(descriptor, "5", 1) == 1
    #else
      return false
    #endif
  }

  /// The number of CPUs online.
  static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// The CPU model from `/proc/cpuinfo`, if readable.
  static var processorModel: String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
    }
    return "unknown CPU"
  }

  /// The running executable, resolved (`/proc/self/exe`, else `argv[0]`).
  static var runningExecutable: String {
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
    return URL(fileURLWithPath: CommandLine.arguments.first ?? "iamsim").resolvingSymlinksInPath().path
  }

  /// The `iamsim` executable to start: the running one, or an `iamsim` beside it (when the running
  /// program is the test runner in the same build folder).
  static func iamsimExecutable() -> String? {
    let running = URL(fileURLWithPath: runningExecutable)
    if running.lastPathComponent == "iamsim" { return running.path }
    let sibling = running.deletingLastPathComponent().appendingPathComponent("iamsim").path
    return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : nil
  }

  /// What a finished child process left.
  struct ChildResult {
    /// Its exit status, or 128 + the signal that ended it.
    var status: Int32
    /// Its standard output, when captured.
    var output: [UInt8]
    /// Its peak resident set size (`ru_maxrss` from `wait4`, which Linux reports in KiB), in bytes.
    var peakResidentBytes: Int
    /// Nanoseconds from just before `posix_spawn` to just after `wait4` returned.
    var nanoseconds: UInt64
  }

  /// Starts a program, waits for it to exit and returns its status, output and peak memory.
  ///
  /// - Parameter captureOutput: collect standard output through a pipe; otherwise it goes to `/dev/null`.
  ///   Standard error always goes to `/dev/null`.
  static func run(_ executable: String, _ arguments: [String], environment: [String: String], captureOutput: Bool)
    throws -> ChildResult
  {
    #if os(Linux)
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      var pipeEnds: [Int32] = [-1, -1]
      if captureOutput {
        guard pipe(&pipeEnds) == 0 else { throw BenchFailure("cannot create a pipe: errno \(errno)") }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
      } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      }
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      let argv = ([executable] + arguments).map { strdup($0) } + [nil]
      let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
      }
      var pid: pid_t = 0
      let start = now()
      let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
      if captureOutput { close(pipeEnds[1]) }
      guard spawned == 0 else {
        if captureOutput { close(pipeEnds[0]) }
        throw BenchFailure("cannot start `\(executable)`: error \(spawned)")
      }
      var output: [UInt8] = []
      if captureOutput {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
          let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
          if count <= 0 { break }
          output.append(contentsOf: buffer[0..<count])
        }
        close(pipeEnds[0])
      }
      var status: Int32 = 0
      var usage = rusage()
      while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw BenchFailure("cannot wait for `\(executable)`: errno \(errno)") }
      }
      let elapsed = now() - start
      let signal = status & 0x7F
      return ChildResult(
        status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output: output,
        peakResidentBytes: Int(usage.ru_maxrss) * 1024, nanoseconds: elapsed)
    #else
      throw BenchFailure("starting processes is implemented for Linux only")
    #endif
  }
}

/// Keeps a computed value observable, so that the optimizer cannot drop the work that produced it.
@_optimize(none)
func benchSink(_ value: Int) {}

/// A benchmark that cannot run or whose check failed.
struct BenchFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
