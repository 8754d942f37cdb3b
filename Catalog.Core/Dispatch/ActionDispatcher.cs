using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Core.Dispatch;

/// <summary>Thrown when no action has the requested name.</summary>
public sealed class UnknownActionException(string name) : Exception($"Action name not known: {name}");

/// <summary>
/// The one way into the catalog's actions, for the HTTP API and every in-process caller (the seed loader) alike:
/// check the caller's right, validate, run the handler, and for writes commit everything or nothing.
/// </summary>
public sealed class ActionDispatcher(ActionRegistry registry, IServiceScopeFactory scopes, ILogger<ActionDispatcher>? logger = null)
{
    public ActionRegistry Registry => registry;

    public async Task<JsonNode?> InvokeAsync(
        string name,
        Caller caller,
        JsonObject data,
        IReadOnlyDictionary<string, UploadedFile>? files = null,
        CancellationToken ct = default)
    {
        var action = registry.Find(name) ?? throw new UnknownActionException(name);
        await using var scope = scopes.CreateAsyncScope();
        var ctx = new ActionContext(caller, scope.ServiceProvider, files ?? new Dictionary<string, UploadedFile>(), ct);

        await action.Auth(ctx, data);
        if (action.Schema is { } schema)
        {
            var result = schema.Validate(data);
            if (!result.IsValid) throw new ValidationException(result.Errors);
            data = result.Data;
        }

        if (action.SideEffectFree)
            return await action.Handler(ctx, data);

        JsonNode? output;
        try
        {
            var db = ctx.Db;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            output = await action.Handler(ctx, data);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            foreach (var undo in ctx.FailureWork) undo();
            throw;
        }
        foreach (var work in ctx.AfterCommitWork) await work();
        foreach (var listener in scope.ServiceProvider.GetServices<ICommitListener>())
        {
            // The store is the source of truth: a derived store that fails catches up later, the write stands.
            try { await listener.CommittedAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger?.LogError(e, "Commit listener {Listener} failed", listener.GetType().Name); }
        }
        return output;
    }
}
