using Catalog.Core.Auth;
using Catalog.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Dispatch;

/// <summary>
/// One action call: who calls, the unit of work it runs in, and the files it was sent.
/// Services a handler needs beyond these are resolved from the call's scope.
/// </summary>
public sealed class ActionContext(
    Caller caller,
    IServiceProvider services,
    IReadOnlyDictionary<string, UploadedFile> files,
    CancellationToken cancellationToken)
{
    private readonly List<Func<Task>> _afterCommit = [];
    private readonly List<Action> _onFailure = [];

    private CatalogDbContext? _db;
    private Authorizer? _authz;

    public Caller Caller { get; } = caller;

    /// <summary>
    /// The call's unit of work, made when first used: searches are answered from the index, and making a context
    /// for each of them was a tenth of a search's CPU over HTTP.
    /// </summary>
    public CatalogDbContext Db => _db ??= services.GetRequiredService<CatalogDbContext>();

    public Authorizer Authz => _authz ??= new(Caller, () => Db, services.GetService<IOptions<CatalogOptions>>()?.Value.Auth);
    public IReadOnlyDictionary<string, UploadedFile> Files { get; } = files;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public DateTime Now { get; } = Timestamps.Truncate(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    /// <summary>Work that must only happen once the transaction committed (tidying replaced files, index updates).</summary>
    public void AfterCommit(Func<Task> work) => _afterCommit.Add(work);

    /// <summary>Undo outside the database (files moved into place) when the transaction does not commit.</summary>
    public void OnFailure(Action undo) => _onFailure.Add(undo);

    /// <summary>The call's files as staged before its transaction began (see <see cref="StagedUploads"/>).</summary>
    internal StagedUploads? Staged { get; set; }

    internal IReadOnlyList<Func<Task>> AfterCommitWork => _afterCommit;
    internal IReadOnlyList<Action> FailureWork => _onFailure;
}

/// <summary>A file part of a multipart request, not yet stored.</summary>
public sealed record UploadedFile(string FileName, string? ContentType, Func<Stream> OpenRead);
