using System.Text.Json.Nodes;

namespace Catalog.Core.Dispatch;

/// <summary>
/// The failures an action may raise. Each maps to one CKAN error type and HTTP status
/// (translated in one place by the HTTP layer).
/// </summary>
public abstract class ActionException(string message) : Exception(message)
{
    public abstract string ErrorType { get; }
    public abstract int StatusCode { get; }
}

public sealed class NotFoundException(string? detail = null)
    : ActionException(detail is null ? "Not found" : $"Not found: {detail}")
{
    public override string ErrorType => "Not Found Error";
    public override int StatusCode => 404;
}

public sealed class NotAuthorizedException(string? detail = null)
    : ActionException(detail is null ? "Access denied" : $"Access denied: {detail}")
{
    public override string ErrorType => "Authorization Error";
    public override int StatusCode => 403;
}

/// <summary>Field errors: a dict of lists of messages, nested like the input.</summary>
public sealed class ValidationException(JsonObject errors) : ActionException("Validation error")
{
    public JsonObject Errors { get; } = errors;
    public override string ErrorType => "Validation Error";
    public override int StatusCode => 409;

    public static ValidationException For(string field, string message) =>
        new(new JsonObject { [field] = new JsonArray(message) });

    /// <summary>Adds a message to a field's list in a CKAN error dict being gathered.</summary>
    public static void Add(JsonObject errors, string field, string message)
    {
        if (errors[field] is JsonArray list) list.Add(message);
        else errors[field] = new JsonArray(message);
    }
}

public sealed class SearchQueryException(string detail) : ActionException($"Search Query is invalid: {detail}")
{
    public override string ErrorType => "Search Query Error";
    public override int StatusCode => 400;
}

public sealed class SearchException(string detail) : ActionException($"Search error: {detail}")
{
    public override string ErrorType => "Search Error";
    public override int StatusCode => 409;
}

/// <summary>Raised for a request the transport must refuse before any action runs (CKAN answers a bare string).</summary>
public sealed class BadRequestException(string message) : Exception(message);
