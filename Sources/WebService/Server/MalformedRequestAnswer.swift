import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives the answer to a request that is not valid HTTP/1.1 (an unknown method, a request line or header fields over
/// the limit, a bad chunk size, …) its reason: `{"error": {"code": "malformed-http", "message": …}}`, in German and
/// English (no request was read, so no language was asked for), with `Connection: close`.
///
/// Hummingbird answers such a request itself, with an empty 400, once the decoder's error reaches its connection loop
/// (no route sees it). This handler sits in the pipeline after the HTTP/1 codec: it notes the decoder's error, passes it
/// on unchanged (so a route reading a body stops, and Hummingbird closes the connection as before), and rewrites that
/// one answer as it is written. The answer is recognised as the final response head written when every request read
/// on the connection has had its final response already: no route's answer is ever touched.
///
/// When the error is in the body of a request that a route has answered already without reading the body (a 401 before
/// a bad chunk), Hummingbird's extra 400 would be a second answer to one request: it is dropped, and the connection
/// closes after the route's answer. A route that reads the body gets the error itself, which `ErrorMiddleware` answers.
final class MalformedRequestAnswer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Request heads read on this connection.
    private var requestsRead = 0
    /// Final (non-1xx) response heads written on this connection.
    private var answersStarted = 0
    /// The decoder's error, once it has reported one (it reads nothing after that).
    private var parserError: HTTPParserError?
    /// Whether the last request read has its end (its whole body) read too.
    private var lastRequestComplete = true
    /// Whether the decoder's error was in the body of a request read (not in a request of its own).
    private var errorInBody = false
    /// What happens to the parts of Hummingbird's answer, from its head until its end is written.
    private enum Rewrite { case replaceBody(ByteBuffer), drop }
    private var rewrite: Rewrite?

    /// Final response ends written on this connection.
    private var answersEnded = 0
    /// A `CONNECT` was read: refused once every request before it has its answer (`refuseTunnel`); nothing more is read.
    private var tunnelRequested = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !tunnelRequested else { return }
        switch unwrapInboundIn(data) {
        case .head(let head) where head.method == .connect:
            // The decoder takes the bytes after a CONNECT for a tunnel's and the encoder answers it without a body (RFC
            // 9112 §6.3), so the router's 405 went out unframed and the connection hung (found by probing the service).
            // The request never reaches the router.
            tunnelRequested = true
            if answersEnded == requestsRead { refuseTunnel(context: context) }
            return
        case .head: requestsRead += 1; lastRequestComplete = false
        case .end: lastRequestComplete = true
        case .body: break
        }
        context.fireChannelRead(data)
    }

    /// Answers the `CONNECT` with its reason and closes the connection. Written as bytes below the HTTP encoder, which
    /// would drop the body of any answer to a `CONNECT`.
    private func refuseTunnel(context: ChannelHandlerContext) {
        let (head, body) = Self.answer(WebError.malformedHTTP(.tunnel))
        var bytes = context.channel.allocator.buffer(capacity: 512 + body.readableBytes)
        bytes.writeString("HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n")
        for field in head.headerFields { bytes.writeString("\(field.name.rawName): \(field.value)\r\n") }
        bytes.writeString("\r\n")
        bytes.writeImmutableBuffer(body)
        guard let below = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            context.close(promise: nil)
            return
        }
        // Closed at once: the flush hands these few bytes to the socket first. (Closing when the write's promise
        // completed left a connection open once in a full test run, under load.)
        below.writeAndFlush(NIOAny(bytes), promise: nil)
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError, parserError == nil {
            parserError = error
            errorInBody = !lastRequestComplete
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.kind != .informational:
            answersStarted += 1
            if let parserError, answersStarted > requestsRead {
                if errorInBody {
                    rewrite = .drop
                    promise?.succeed()
                } else {
                    let (rewritten, body) = Self.answer(to: parserError)
                    rewrite = .replaceBody(body)
                    context.write(wrapOutboundOut(.head(rewritten)), promise: promise)
                }
                return
            }
        case .body where rewrite != nil:
            promise?.succeed()   // Hummingbird's answer has none; nothing of it goes out
            return
        case .end(let trailers):
            answersEnded += 1
            if tunnelRequested, answersEnded == requestsRead {
                context.write(data, promise: promise)
                refuseTunnel(context: context)
                return
            }
            switch rewrite {
            case .replaceBody(let body):
                rewrite = nil
                context.write(wrapOutboundOut(.body(body)), promise: nil)
                context.write(wrapOutboundOut(.end(trailers)), promise: promise)
                return
            case .drop:
                rewrite = nil
                promise?.succeed()
                context.flush()
                return
            case nil:
                break
            }
        default:
            break
        }
        context.write(data, promise: promise)
    }

    /// The head and body answering `error`; the message in German, then in English.
    static func answer(to error: HTTPParserError) -> (HTTPResponse, ByteBuffer) {
        answer(WebError.malformedHTTP(.parser(error)))
    }

    /// The head and body answering `webError`; the message in German, then in English.
    static func answer(_ webError: WebError) -> (HTTPResponse, ByteBuffer) {
        let data = ErrorMiddleware.body(code: webError.code, message: "\(webError.message.de) / \(webError.message.en)")
        var head = HTTPResponse(status: webError.status)
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        head.headerFields[.contentLength] = String(data.count)
        head.headerFields[.connection] = "close"
        head.headerFields[.xContentTypeOptions] = "nosniff"
        head.headerFields[.cacheControl] = "no-store"
        return (head, ByteBuffer(bytes: data))
    }
}
