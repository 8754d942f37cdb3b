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

    /// <summary>Runs of a write that another transaction chose as its deadlock's victim, at most.</summary>
    private const int MaxAttempts = 3;

    /// <param name="waitForDerived">
    /// false: the derived stores (the search index) are told of the commit but not waited for, and the catch-ups of
    /// such writes are merged (one at a time, each covering every write committed before it began). For bulk writers
    /// that do not read their writes through them (the harvester), which call <see cref="DerivedCaughtUpAsync"/> when a
    /// batch is done.
    /// </param>
    public async Task<JsonNode?> InvokeAsync(
        string name,
        Caller caller,
        JsonObject data,
        IReadOnlyDictionary<string, UploadedFile>? files = null,
        CancellationToken ct = default,
        bool waitForDerived = true)
    {
        var action = registry.Find(name) ?? throw new UnknownActionException(name);
        // Reads have no transaction to lose: they run once, on the caller's data, without the copy a retry needs.
        if (action.SideEffectFree) return await InvokeOnceAsync(action, caller, data, files, waitForDerived, ct);
        for (var attempt = 1; ; attempt++)
        {
            try { return await InvokeOnceAsync(action, caller, (JsonObject)data.DeepClone(), files, waitForDerived, ct); }
            // A write that lost a deadlock or a serialization conflict (PostgreSQL: two writes locking rows and the
            // change feed in opposite orders, e.g. a purge while a load marks the resource active) was rolled back
            // whole and its undo work done: it runs again in a fresh scope. Not with uploaded files, whose streams
            // were read.
            catch (Exception e) when (attempt < MaxAttempts && files is not { Count: > 0 } && IsRetryable(e) && !ct.IsCancellationRequested)
            {
                logger?.LogWarning("Action {Action} rolled back by a write conflict ({Attempt} of {Max}); running it again", name, attempt, MaxAttempts);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 5)), ct);
            }
        }
    }

    /// <summary>PostgreSQL's deadlock (40P01) and serialization failure (40001), however the data layer wrapped them.</summary>
    private static bool IsRetryable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.Data.Common.DbException { SqlState: "40P01" or "40001" }) return true;
        return false;
    }

    private async Task<JsonNode?> InvokeOnceAsync(
        ActionDefinition action,
        Caller caller,
        JsonObject data,
        IReadOnlyDictionary<string, UploadedFile>? files,
        bool waitForDerived,
        CancellationToken ct)
    {
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
        // The files are copied and hashed before the write lock is taken, not while it is held.
        ctx.Staged = await StagedUploads.StageAsync(scope.ServiceProvider, ctx.Files, ct);
        IDisposable? turn = null;
        try
        {
            // On a store with one write lock (SQLite), the write waits for its turn here rather than in the driver.
            if (scope.ServiceProvider.GetService<SingleWriter>() is { } one) turn = await one.EnterAsync(ct);
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
        finally
        {
            turn?.Dispose();
            ctx.Staged.Discard();
        }
        foreach (var work in ctx.AfterCommitWork) await work();
        if (!waitForDerived)
        {
            _ = Deferred(scope.ServiceProvider);
            return output;
        }
        foreach (var listener in scope.ServiceProvider.GetServices<ICommitListener>())
        {
            // The store is the source of truth: a derived store that fails catches up later, the write stands.
            try { await listener.CommittedAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger?.LogError(e, "Commit listener {Listener} failed", listener.GetType().Name); }
        }
        return output;
    }

    /// <summary>Completes once the derived stores have caught up with every write committed before the call.</summary>
    public async Task DerivedCaughtUpAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await Deferred(scope.ServiceProvider).WaitAsync(ct);
    }

    private readonly Lock _deferred = new();
    private TaskCompletionSource? _nextRound;
    private bool _draining;

    /// <summary>The next catch-up round not yet begun (started when none runs); it covers every commit made before it begins.</summary>
    private Task Deferred(IServiceProvider services)
    {
        // Listeners are singletons (the index follower): they outlive the scope they were found in.
        var listeners = services.GetServices<ICommitListener>().ToList();
        lock (_deferred)
        {
            _nextRound ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var round = _nextRound.Task;
            if (!_draining)
            {
                _draining = true;
                _ = Task.Run(() => DrainAsync(listeners));
            }
            return round;
        }
    }

    /// <summary>
    /// The least time between the starts of two merged catch-up rounds. Back to back, a bulk writer's rounds each
    /// covered a few writes, and each round is an index commit and reopen (and the small segments it leaves are merged
    /// later); spaced, one round covers what a second of writes committed.
    /// </summary>
    internal static readonly TimeSpan RoundSpacing = TimeSpan.FromSeconds(1);

    private async Task DrainAsync(IReadOnlyList<ICommitListener> listeners)
    {
        var lastStart = long.MinValue;
        while (true)
        {
            TaskCompletionSource round;
            lock (_deferred)
            {
                if (_nextRound is null) { _draining = false; return; }
            }
            if (lastStart != long.MinValue && RoundSpacing - System.Diagnostics.Stopwatch.GetElapsedTime(lastStart) is { } rest && rest > TimeSpan.Zero)
                await Task.Delay(rest);
            lock (_deferred) (round, _nextRound) = (_nextRound!, null);
            lastStart = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var listener in listeners)
            {
                try { await listener.CommittedAsync(CancellationToken.None); }
                catch (Exception e) { logger?.LogError(e, "Commit listener {Listener} failed", listener.GetType().Name); }
            }
            round.TrySetResult();
        }
    }
}
