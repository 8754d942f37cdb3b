using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Infrastructure;

/// <summary>The answer to one API call: status, raw body and (when it is JSON) the parsed body.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string Body, string? ContentType)
{
    public JsonNode? Json => JsonNode.Parse(Body);
    public JsonObject Envelope => Json!.AsObject();
    public bool Success => Envelope["success"]!.GetValue<bool>();
    public JsonNode? Result => Envelope["result"];
    public JsonObject Error => Envelope["error"]!.AsObject();
    public string ErrorType => Error["__type"]!.GetValue<string>();

    /// <summary>The result of a call that must have succeeded; the body is in the message when it did not.</summary>
    public JsonNode? Ok()
    {
        if (Status != HttpStatusCode.OK || !Success) throw new InvalidOperationException($"Expected success, got {(int)Status}: {Body}");
        return Result;
    }
}

/// <summary>Calls the Action API the way ckanapi does: POST JSON to /api/action/{name}, token in both headers.</summary>
public sealed class CkanClient(HttpClient http, string? token) : IDisposable
{
    public HttpClient Http => http;

    public Task<ApiResponse> PostAsync(string action, object? data = null, string prefix = "/api/action/") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, prefix + action)
        {
            Content = new StringContent(Serialize(data), Encoding.UTF8, "application/json"),
        });

    public Task<ApiResponse> GetAsync(string action, string query = "", string prefix = "/api/3/action/") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, prefix + action + (query.Length > 0 ? "?" + query : "")));

    public Task<ApiResponse> MultipartAsync(string action, IDictionary<string, string> fields, string? fileName = null, byte[]? file = null, string fileField = "upload")
    {
        var content = new MultipartFormDataContent();
        foreach (var (k, v) in fields) content.Add(new StringContent(v, Encoding.UTF8), k);
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, fileField, fileName ?? "file.bin");
        }
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/" + action) { Content = content });
    }

    public Task<JsonNode?> CallAsync(string action, object? data = null) => PostAsync(action, data).ContinueWith(t => t.Result.Ok());

    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
            request.Headers.TryAddWithoutValidation("X-CKAN-API-Key", token);
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, body, response.Content.Headers.ContentType?.ToString());
    }

    public static string Serialize(object? data) => data switch
    {
        null => "{}",
        JsonNode node => node.ToJsonString(),
        string s => s,
        _ => JsonSerializer.Serialize(data),
    };

    public void Dispose() => http.Dispose();
}
