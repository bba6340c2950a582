// Why the web service runs long work on `LongWork`'s serial lanes and not on a concurrent dispatch queue
// (docs/web-threads.md, "Long reads off the request threads"). Run it on its own:
//
//     swiftc -O Benchmarks/web/dispatch-width.swift -o /tmp/dispatch-width && /tmp/dispatch-width
//
// It keeps N CPUs busy with N spinning items, first on a concurrent queue, then on N serial queues, and each time
// measures how long a short item on another concurrent queue (what `BlockingWork` is) waits to run.
import Dispatch
import Foundation
import Synchronization

final class Spin: Sendable {
    let stop = Atomic<Bool>(false)
    func run() { var x = 0; while !stop.load(ordering: .relaxed) { x &+= 1 }; _ = x }
}

func shortItemWait(spinners n: Int, serialLanes: Bool) -> String {
    let spin = Spin()
    let concurrent = DispatchQueue(label: "long", qos: .userInitiated, attributes: .concurrent)
    for i in 0..<n {
        let q = serialLanes ? DispatchQueue(label: "lane-\(i)", qos: .userInitiated) : concurrent
        q.async { spin.run() }
    }
    Thread.sleep(forTimeInterval: 0.3)
    let short = DispatchQueue(label: "short", qos: .userInitiated, attributes: .concurrent)
    let ran = DispatchSemaphore(value: 0)
    let start = Date()
    short.async { ran.signal() }
    let result = ran.wait(timeout: .now() + 5) == .success
        ? String(format: "ran after %.1f ms", Date().timeIntervalSince(start) * 1000) : "had not run after 5 s"
    spin.stop.store(true, ordering: .relaxed)
    _ = ran.wait(timeout: .now() + 10)
    Thread.sleep(forTimeInterval: 0.2)
    return result
}

let cores = ProcessInfo.processInfo.activeProcessorCount
print("cores: \(cores)")
for n in [1, cores, 2 * cores] {
    print("\(n) spinning items on one concurrent queue: a short item on another concurrent queue \(shortItemWait(spinners: n, serialLanes: false))")
    print("\(n) spinning items on \(n) serial queues:   a short item on another concurrent queue \(shortItemWait(spinners: n, serialLanes: true))")
}
