using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Security;

/// <summary>An answer read off the socket: status, headers and body.</summary>
public sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    public JsonObject Envelope => JsonNode.Parse(Body)!.AsObject();
    public JsonObject Error => Envelope["error"]!.AsObject();
}

/// <summary>
/// HTTP/1.1 by hand, to show the server answers before it has a body: the request announces a large body, only
/// its first bytes are sent, and the answer must come while the rest is still unsent.
/// </summary>
public static class RawHttp
{
    /// <summary>Announces <paramref name="contentLength"/> bytes and sends only <paramref name="bodyStart"/>.</summary>
    public static Task<RawResponse> PostAnnouncingAsync(CatalogHost host, string path, string contentType,
        long contentLength, byte[] bodyStart, IDictionary<string, string>? headers = null) =>
        PostAsync(host, path, contentType, $"Content-Length: {contentLength}", bodyStart, headers);

    /// <summary>A chunked body of which only <paramref name="bodyStart"/> is sent, never its last chunk.</summary>
    public static Task<RawResponse> PostChunkedAsync(CatalogHost host, string path, string contentType, byte[] bodyStart)
    {
        var chunks = new MemoryStream();
        foreach (var chunk in bodyStart.Chunk(64 * 1024))
        {
            chunks.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            chunks.Write(chunk);
            chunks.Write("\r\n"u8);
        }
        return PostAsync(host, path, contentType, "Transfer-Encoding: chunked", chunks.ToArray(), null);
    }

    private static async Task<RawResponse> PostAsync(CatalogHost host, string path, string contentType, string framing,
        byte[] bytes, IDictionary<string, string>? headers)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(IPAddress.Loopback, host.Port, timeout.Token);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{host.Port}\r\n")
            .Append($"Content-Type: {contentType}\r\n{framing}\r\n");
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) head.Append($"{k}: {v}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(bytes, timeout.Token);
        return await ReadResponseAsync(stream, timeout.Token);
    }

    private static async Task<RawResponse> ReadResponseAsync(NetworkStream stream, CancellationToken ct)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0) throw new IOException("The connection closed before an answer came");
            received.Write(buffer, 0, n);
        }
        var headText = Encoding.ASCII.GetString(received.GetBuffer(), 0, headerEnd);
        var lines = headText.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : -1;
        var bodyStart = headerEnd + 4;
        while (length < 0 || received.Length - bodyStart < length)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0) break;
            received.Write(buffer, 0, n);
        }
        var body = Encoding.UTF8.GetString(received.GetBuffer(), bodyStart, (int)received.Length - bodyStart);
        return new RawResponse(status, headers, body);
    }

    private static int IndexOfHeaderEnd(MemoryStream received)
    {
        var bytes = received.GetBuffer();
        for (var i = 0; i + 3 < received.Length; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') return i;
        return -1;
    }
}
