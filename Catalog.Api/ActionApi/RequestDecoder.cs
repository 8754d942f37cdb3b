using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Microsoft.AspNetCore.Http.Features;

namespace Catalog.Api.ActionApi;

/// <summary>
/// Reads an action's data dict the way CKAN's <c>_get_request_data</c> does: query string for GET; JSON body,
/// form (with the one-field JSON hack) or multipart for POST. File parts go aside, keyed by their field name.
/// </summary>
public static class RequestDecoder
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    public sealed record Decoded(JsonObject Data, Dictionary<string, UploadedFile> Files);

    public static async Task<Decoded> DecodeAsync(HttpRequest request, CancellationToken ct)
    {
        var files = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        if (HttpMethods.IsGet(request.Method))
            return new Decoded(FromPairs(request.Query.Select(kv => (kv.Key, kv.Value))), files);

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

    /// <summary>A key given once stays a string; repeated keys become a list (validators coerce the strings).</summary>
    private static JsonObject FromPairs(IEnumerable<(string Key, Microsoft.Extensions.Primitives.StringValues Values)> pairs)
    {
        var data = new JsonObject();
        foreach (var (key, values) in pairs)
            data[key] = values.Count == 1
                ? JsonValue.Create(values[0])
                : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        return data;
    }

    public static bool IsBodyTooLarge(Exception e) =>
        e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
        || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase));

    public static void AllowLargeBody(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = limit;
    }
}
