using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.AspNetCore.Http.Features;

namespace Catalog.Api.ActionApi;

/// <summary>How much body a call may send, and the error field a refusal names.</summary>
public sealed record BodyLimit(long Bytes, string Field);

/// <summary>The body is larger than its <see cref="BodyLimit"/>, or the form than the form reader takes: a 413, never a 500.</summary>
public sealed class RequestTooLargeException(BodyLimit limit, string? detail = null)
    : Exception("Request too large: " + (detail ?? $"the {(limit.Field == "upload" ? "upload" : "request body")} may not exceed {limit.Bytes} bytes"))
{
    public string Field => limit.Field;
}

/// <summary>
/// Reads an action's data dict the way CKAN's <c>_get_request_data</c> does: query string for GET; JSON body,
/// form (with the one-field JSON hack) or multipart for POST. File parts go aside, keyed by their field name.
/// </summary>
public static class RequestDecoder
{
    /// <summary>Room above the file itself for the multipart framing and the other fields.</summary>
    public const long MultipartFraming = 1024 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    public sealed record Decoded(JsonObject Data, Dictionary<string, UploadedFile> Files);

    public static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Reads the call's data; a body over <paramref name="limit"/> is refused before or while it is read.</summary>
    public static async Task<Decoded> DecodeAsync(HttpRequest request, BodyLimit limit, CancellationToken ct)
    {
        if (HttpMethods.IsGet(request.Method))
            return new Decoded(FromPairs(request.Query.Select(kv => (kv.Key, kv.Value))), new(StringComparer.Ordinal));

        if (request.ContentLength > limit.Bytes) throw new RequestTooLargeException(limit);
        SetBodyLimit(request.HttpContext, limit.Bytes);
        try
        {
            return await ReadBodyAsync(request, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException(limit);
        }
        catch (BadHttpRequestException e)
        {
            // A body cut short or too slow is the client's failure, not the server's.
            throw new BadRequestException($"Bad request - {e.Message}");
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader's limits: the multipart body's is the upload limit, the others (field count, key
            // length) say what they are.
            throw new RequestTooLargeException(limit, e.Message.StartsWith("Multipart body length", StringComparison.Ordinal) ? null : e.Message);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e.Message.StartsWith("Unexpected end of", StringComparison.Ordinal)))
        {
            // A malformed form or multipart body (no boundary, cut short).
            throw new BadRequestException($"Bad request - Error decoding form data: {e.Message}");
        }
    }

    /// <summary>
    /// Kestrel's own limit for this request's body. Set it before answering without reading the body too: what is
    /// left unread is then drained only up to it, and a larger declared length closes the connection instead.
    /// </summary>
    public static void SetBodyLimit(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = limit;
    }

    private static async Task<Decoded> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var files = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count == 0 && form.Count == 1 && form.First() is var only && only.Value.ToString() is "" or "1"
                && only.Key.TrimStart().StartsWith('{'))
                return new Decoded(ParseObject(only.Key), files);

            foreach (var file in form.Files)
            {
                var f = file;
                files[f.Name] = new UploadedFile(f.FileName, f.ContentType, f.OpenReadStream);
            }
            return new Decoded(FromPairs(form.Select(kv => (kv.Key, kv.Value))), files);
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(ct);
        return new Decoded(string.IsNullOrWhiteSpace(body) ? [] : ParseObject(body), files);
    }

    private static JsonObject ParseObject(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: JsonOptions);
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"Bad request - JSON Error: Error decoding JSON data. Error: {e.Message}");
        }
        return node as JsonObject
            ?? throw new BadRequestException("Bad request - JSON Error: Request data JSON decoded to a value that is not a dictionary");
    }

    /// <summary>
    /// A key given once stays a string; repeated keys become a list, as in CKAN. Whatever reads the key decides:
    /// list parameters take it, scalar ones refuse it with a validation error naming the key.
    /// </summary>
    private static JsonObject FromPairs(IEnumerable<(string Key, Microsoft.Extensions.Primitives.StringValues Values)> pairs)
    {
        var data = new JsonObject();
        foreach (var (key, values) in pairs)
            data[key] = values.Count == 1
                ? JsonValue.Create(values[0])
                : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        return data;
    }
}
