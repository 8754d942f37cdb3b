using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Files;
using Catalog.Core.Store;

namespace Catalog.Api.Downloads;

/// <summary>
/// How a stored file is served. Uploads come from any editor and are served from the catalog's own origin, so nothing
/// a client wrote decides how a browser treats the bytes: the type comes from the stored file name, only types a
/// browser shows without running anything are inline, and every file gets nosniff and a sandboxing policy.
/// </summary>
public static class FileResponses
{
    /// <summary>No scripts, no subresources, no framing: an HTML or SVG file opened anyway stays inert.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'";

    // PDF is left out: Chromium refuses to run its viewer in a sandboxed document, so it is downloaded instead.
    private static readonly HashSet<string> InlineSafe = new(StringComparer.OrdinalIgnoreCase)
    {
        "text/csv", "text/plain", "application/json", "image/png", "image/jpeg", "image/gif",
    };

    // Charsets a text file may be labelled with, from the resource's "encoding" key (BODIK); anything else goes unlabelled.
    private static readonly Dictionary<string, string> Charsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["utf-8"] = "utf-8", ["utf8"] = "utf-8",
        ["shift_jis"] = "shift_jis", ["shift-jis"] = "shift_jis", ["sjis"] = "shift_jis", ["cp932"] = "shift_jis",
        ["windows-31j"] = "shift_jis", ["ms932"] = "shift_jis",
        ["euc-jp"] = "euc-jp", ["iso-2022-jp"] = "iso-2022-jp",
    };

    /// <summary>The media type of an upload, from its stored (munged) file name; the client's mimetype is metadata only.</summary>
    public static string MediaType(Resource r) => FileTypes.Mimetype(r.Url) ?? "application/octet-stream";

    public static bool IsInline(string mediaType) => InlineSafe.Contains(mediaType);

    /// <summary>The Content-Type header: the media type, with a charset for text only when the resource names a known one.</summary>
    public static string ContentType(Resource r, string mediaType)
    {
        if (!mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)) return mediaType;
        var declared = r.ExtrasJson is not "{}" && JsonNode.Parse(r.ExtrasJson) is JsonObject extras
            && extras["encoding"] is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : null;
        return declared is not null && Charsets.TryGetValue(declared, out var charset) ? $"{mediaType}; charset={charset}" : mediaType;
    }

    /// <summary>
    /// RFC 6266: a quoted ASCII fallback name with nothing that could end the quote or the header, and the exact name
    /// as <c>filename*</c> when it differs.
    /// </summary>
    public static string ContentDisposition(bool inline, string fileName)
    {
        if (fileName.Length == 0) fileName = "download";
        var fallback = new StringBuilder(fileName.Length);
        foreach (var c in fileName) fallback.Append(c is >= ' ' and <= '~' and not ('"' or '\\') ? c : '_');
        var value = new StringBuilder(inline ? "inline" : "attachment").Append("; filename=\"").Append(fallback).Append('"');
        if (fallback.ToString() != fileName) value.Append("; filename*=UTF-8''").Append(Rfc5987(fileName));
        return value.ToString();
    }

    /// <summary>
    /// Where a link resource's download goes: only an absolute http(s) URL, in ASCII form so it fits a header.
    /// Anything else (javascript:, data:, relative paths) gets no redirect.
    /// </summary>
    public static string? RedirectTarget(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            return null;
        var target = uri.Host.Any(c => c > '~') ? new UriBuilder(uri) { Host = uri.IdnHost }.Uri.AbsoluteUri : uri.AbsoluteUri;
        return target.All(c => c is > ' ' and <= '~') ? target : null;
    }

    private static string Rfc5987(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "!#$&+-.^_`|~".Contains(c)) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
