using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Api.ActionApi;

/// <summary>CKAN's response envelope, and the one translation from failures to CKAN error types and statuses.</summary>
public static class ApiResponses
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public const string ContentType = "application/json;charset=utf-8";

    public static JsonObject Success(string help, JsonNode? result) =>
        new() { ["help"] = help, ["success"] = true, ["result"] = result };

    /// <summary>Maps a failure to (status, error body). Unknown failures are 500s with no detail leaked.</summary>
    public static (int Status, JsonObject Error) Error(Exception e) => e switch
    {
        ValidationException v => (v.StatusCode, WithType(v.Errors.DeepClone().AsObject(), v.ErrorType)),
        ActionException a => (a.StatusCode, new JsonObject { ["__type"] = a.ErrorType, ["message"] = a.Message }),
        // CKAN has no such answer of its own (its proxy refuses such bodies); a Validation Error is what ckanapi reports best.
        RequestTooLargeException t => (StatusCodes.Status413PayloadTooLarge, new JsonObject
        {
            ["__type"] = "Validation Error",
            [t.Field] = new JsonArray(t.Message),
        }),
        Microsoft.EntityFrameworkCore.DbUpdateException => (StatusCodes.Status409Conflict, new JsonObject
        {
            ["__type"] = "Validation Error",
            ["message"] = new JsonArray("The change conflicts with another one made at the same time; please retry"),
        }),
        _ => (StatusCodes.Status500InternalServerError, new JsonObject
        {
            ["__type"] = "Internal Server Error",
            ["message"] = "Internal Server Error",
        }),
    };

    public static JsonObject Failure(string help, JsonObject error) =>
        new() { ["help"] = help, ["success"] = false, ["error"] = error };

    public static IResult Write(JsonNode body, int status) => new JsonBodyResult(body, status);

    /// <summary>Transport-level refusals are a bare JSON string, as CKAN sends them.</summary>
    public static IResult BareString(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Content(JsonSerializer.Serialize(message, Json), ContentType, statusCode: status);

    private static JsonObject WithType(JsonObject errors, string type)
    {
        var result = new JsonObject { ["__type"] = type };
        foreach (var (k, v) in errors) result[k] = v?.DeepClone();
        return result;
    }

    /// <summary>
    /// Writes the body as UTF-8 straight from the nodes (search results are parsed elements written out as they are),
    /// without an intermediate string, and with its length.
    /// </summary>
    private sealed class JsonBodyResult(JsonNode body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
                body.WriteTo(writer, Json);
            http.Response.StatusCode = status;
            http.Response.ContentType = ContentType;
            http.Response.ContentLength = buffer.WrittenCount;
            await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
        }
    }
}
