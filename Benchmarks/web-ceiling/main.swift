// The framework's own ceiling for a request of the decision's shape (Benchmarks/results/web.md, Session 28).
//
// A bare Hummingbird 2 server, no ConsentGate code: `GET /health` answers as ConsentGate's does, and
// `POST /v1/decisions` reads the JSON body (up to 64 KiB, as ConsentGate's limit), checks that a bearer token is
// present, and answers with the response body a real decision gave (read once at start from the file named by the
// second argument). Nothing is parsed, evaluated, signed or stored. Its `/v1/decisions` rate against its own
// `/health` rate is the most the ratio can be on this machine with this framework, whatever the decision costs.
//
//   swift build -c release --product web-ceiling
//   .build/release/web-ceiling PORT RESPONSE.json
import Foundation
import Hummingbird

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]),
      let response = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: web-ceiling PORT RESPONSE.json\n".utf8))
    exit(2)
}
let responseBytes = ByteBuffer(bytes: response)

let router = Router()
router.get("/health") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
}
router.post("/v1/decisions") { request, _ -> Response in
    guard let auth = request.headers[.authorization], auth.hasPrefix("Bearer ") else {
        return Response(status: .unauthorized)
    }
    let body = try await request.body.collect(upTo: 64 * 1024)
    guard body.readableBytes > 0 else { return Response(status: .badRequest) }
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: responseBytes))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                      onServerRunning: { channel in
                          // Unbuffered: the script waits for this line in a file.
                          FileHandle.standardOutput.write(Data("http://127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
                      })
try await app.runService()
