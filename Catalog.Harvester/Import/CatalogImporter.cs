using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.DataStore;
using Catalog.Core.Dispatch;
using Catalog.Core.Files;
using Catalog.Core.Store;
using Catalog.Harvester.Fetching;
using Catalog.Harvester.Parsing;
using Catalog.Harvester.Profiling;
using Catalog.Harvester.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Harvester.Import;

/// <summary>One problem met while harvesting an object, as harvest_object_show reports it.</summary>
public sealed record ObjectError(string Stage, string Message, string? Url = null)
{
    public JsonObject ToJson() => new() { ["stage"] = Stage, ["message"] = Message, ["url"] = Url };
}

/// <summary>What became of one page: its report status, the dataset written, its fingerprint and the problems met.</summary>
public sealed record ImportOutcome(string Status, string? PackageId, string? Fingerprint, IReadOnlyList<ObjectError> Errors);

/// <summary>
/// The fetch and import stages for one dataset page: every file fetched (conditionally) and profiled first, then
/// the dataset written in one action call, so a page whose files cannot all be read leaves the catalog as it was.
/// </summary>
public sealed class CatalogImporter(ActionDispatcher actions, HarvestFetcher fetcher, BlobStore blobs, IServiceScopeFactory scopes,
    HarvestHttpOptions options, ImportTimings timings, FileRecords records)
{
    /// <summary>Pages being imported now; the last one to finish waits for the search index (see <see cref="ImportAsync"/>).</summary>
    private int _importing;

    /// <summary>
    /// Formats the DataStore loads. A harvested file of these is stored as the resource's file (its address kept in
    /// the resource's source_url), since the DataStore loads only stored files: the upload's own path queues it.
    /// </summary>
    public static bool Stored(string format) =>
        TableSources.FormatOf(format, "") is TableFormat.Csv or TableFormat.Tsv or TableFormat.Spreadsheet;

    public async Task<ImportOutcome> ImportAsync(HarvestSource source, HarvestConfig config, Caller caller, DepartmentPage page,
        string objectId, HostThrottle throttle, CancellationToken ct)
    {
        var files = new List<ProfiledFile>();
        Interlocked.Increment(ref _importing);
        try
        {
            return await ImportFilesAsync(source, config, caller, page, objectId, files, throttle, ct);
        }
        finally
        {
            foreach (var f in files)
                if (f.LocalCopy is not null) try { File.Delete(f.LocalCopy); } catch (IOException) { }
            // Writes do not wait for the search index one by one (its catch-ups are merged instead), and files'
            // records are written in batches; when no other page is being imported (the job's last page, at the
            // latest), the records left are written and the index is waited for, so that a finished job's datasets
            // are searchable and its files asked for conditionally next time.
            if (Interlocked.Decrement(ref _importing) == 0)
            {
                await records.FlushAsync(CancellationToken.None);
                if (!options.IndexWaitPerWrite)
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await actions.DerivedCaughtUpAsync(CancellationToken.None);
                    timings.Add(ImportTimings.Stage.IndexWait, started);
                }
            }
        }
    }

    private async Task<ImportOutcome> ImportFilesAsync(HarvestSource source, HarvestConfig config, Caller caller, DepartmentPage page,
        string objectId, List<ProfiledFile> files, HostThrottle throttle, CancellationToken ct)
    {
        var errors = new List<ObjectError>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Files elsewhere are someone else's to publish; only the source's own host is harvested.
        var links = page.Files.Where(l => l.Url.Authority == page.Url.Authority).ToList();
        var known = await KnownFilesAsync(source.Id, links, ct);
        timings.Add(ImportTimings.Stage.FileLookup, started);
        foreach (var link in links)
        {
            try
            {
                files.Add(await FetchFileAsync(source.Id, config, link, known, throttle, ct));
            }
            catch (FetchException e) when (e.Status is 404 or 410)
            {
                // A dead link is the page's mistake, not a fault: the dataset is written without it, and it is reported.
                errors.Add(new ObjectError("fetch", $"Not harvested: {e.Message}", link.Url.AbsoluteUri));
            }
            catch (FetchException e)
            {
                errors.Add(new ObjectError("fetch", e.Message, link.Url.AbsoluteUri));
                return new ImportOutcome("errored", null, null, errors);
            }
        }
        timings.Add(ImportTimings.Stage.Files, started);
        if (files.Count == 0 && page.Tables.Count == 0)
        {
            errors.Add(new ObjectError("fetch", "No data file of this page could be harvested", page.Url.AbsoluteUri));
            return new ImportOutcome("errored", null, null, errors);
        }

        try
        {
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            var owner = await OrganizationAsync(caller, config, page, source.OwnerOrg, ct);
            var groups = await GroupsAsync(caller, config, page, ct);
            timings.Add(ImportTimings.Stage.Groups, started);
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            var tables = page.Tables.Select(t => TableFile.From(source.Id, page, t)).ToList();
            var dataset = DatasetBuilder.Build(source.Id, page, files, tables, config, owner, groups);
            var fingerprint = DatasetBuilder.Fingerprint(dataset);
            var id = dataset["id"]!.GetValue<string>();
            timings.Add(ImportTimings.Stage.Build, started);
            started = System.Diagnostics.Stopwatch.GetTimestamp();

            var (exists, active, lastFingerprint) = await scopes.WithDbAsync(async db =>
            {
                var state = await db.Packages.Where(p => p.Id == id).Select(p => p.State).FirstOrDefaultAsync(ct);
                var last = await db.HarvestObjects
                    .Where(o => o.SourceId == source.Id && o.Guid == page.Url.AbsoluteUri && o.PackageId == id && o.ContentHash != null)
                    .OrderByDescending(o => o.Created).Select(o => o.ContentHash).FirstOrDefaultAsync(ct);
                return (state is not null, state == ObjectState.Active, last);
            });
            if (active && lastFingerprint == fingerprint)
            {
                timings.Add(ImportTimings.Stage.Lookups, started);
                return new ImportOutcome("unchanged", id, fingerprint, errors);
            }

            ((JsonArray)dataset["extras"]!).Add(new JsonObject { ["key"] = "harvest_object_id", ["value"] = objectId });
            // The files go with the dataset in the one action call: the dataset and its stored files are written
            // together or not at all, never a dataset whose new files are missing.
            var uploads = await UploadsAsync(dataset, tables, files, ct);
            timings.Add(ImportTimings.Stage.Lookups, started);
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            var wait = options.IndexWaitPerWrite;
            if (exists)
            {
                dataset["state"] = ObjectState.Active;
                await actions.InvokeAsync("package_update", caller, dataset, uploads, ct, waitForDerived: wait);
            }
            else
            {
                await actions.InvokeAsync("package_create", caller, dataset, uploads, ct, waitForDerived: wait);
            }
            timings.Add(ImportTimings.Stage.Write, started);
            return new ImportOutcome(exists && active ? "updated" : "added", id, fingerprint, errors);
        }
        catch (ActionException e)
        {
            var detail = e is ValidationException v ? $"{e.Message}: {v.Errors.ToJsonString()}" : e.Message;
            errors.Add(new ObjectError("import", detail, page.Url.AbsoluteUri));
            return new ImportOutcome("errored", null, null, errors);
        }
    }

    /// <summary>
    /// The files to store with the dataset: table CSVs and harvested files whose stored copy differs, each named by
    /// its resource's <c>upload</c> key (the upload queues the file for the DataStore). Unchanged ones keep their file.
    /// </summary>
    private async Task<Dictionary<string, UploadedFile>> UploadsAsync(JsonObject dataset, IReadOnlyList<TableFile> tables,
        IReadOnlyList<ProfiledFile> files, CancellationToken ct)
    {
        var resources = ((JsonArray)dataset["resources"]!).OfType<JsonObject>().ToList();
        var ids = resources.Select(r => r["id"]!.GetValue<string>()).ToList();
        var stored = await scopes.WithDbAsync(db => db.Resources.Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.BlobSha256 })
            .ToDictionaryAsync(r => r.Id, r => r.BlobSha256, ct));
        var uploads = new Dictionary<string, UploadedFile>();
        void Attach(JsonObject resource, string sha256, UploadedFile file)
        {
            var id = resource["id"]!.GetValue<string>();
            if (stored.GetValueOrDefault(id) == sha256) return;
            var part = $"upload-{id}";
            resource["upload"] = part;
            uploads[part] = file;
        }
        foreach (var t in tables)
        {
            var csv = t.Csv;
            Attach(resources.First(r => r["id"]!.GetValue<string>() == t.ResourceId), t.Sha256,
                new UploadedFile($"table-{t.ResourceId[..8]}.csv", "text/csv", () => new MemoryStream(csv, writable: false)));
        }
        foreach (var f in files.Where(f => f.Store && f.LocalCopy is not null).DistinctBy(f => f.Link.Url.AbsoluteUri))
        {
            var resource = resources.First(r => r["source_url"]?.GetValue<string>() == f.Link.Url.AbsoluteUri);
            var id = resource["id"]!.GetValue<string>();
            var name = Path.GetFileName(f.Link.Url.AbsolutePath) is { Length: > 0 } n ? n : $"{id[..8]}.{f.Profile.Format.ToLowerInvariant()}";
            var path = f.LocalCopy!;
            Attach(resource, f.Profile.Sha256, new UploadedFile(name, f.Profile.MimeType, () => File.OpenRead(path)));
        }
        return uploads;
    }

    /// <summary>What is known of a page's files: their records and, for stored formats, the file the catalog holds.</summary>
    private sealed record KnownFiles(IReadOnlyDictionary<string, HarvestFile> Records, IReadOnlyDictionary<string, string?> Blobs);

    /// <summary>The page's files' records and stored files, asked of the store in two queries for the page, not two per file.</summary>
    private async Task<KnownFiles> KnownFilesAsync(string sourceId, IReadOnlyList<FileLink> links, CancellationToken ct)
    {
        var urls = links.Select(l => l.Url.AbsoluteUri).Distinct(StringComparer.Ordinal).ToList();
        var found = await records.FindManyAsync(sourceId, urls, ct);
        var ids = links.Where(l => Stored(l.Format) && found.ContainsKey(l.Url.AbsoluteUri))
            .Select(l => DatasetBuilder.StableId(sourceId, "resource", l.Url.AbsoluteUri)).Distinct().ToList();
        var blobs = ids.Count == 0 ? new Dictionary<string, string?>()
            : await scopes.WithDbAsync(db => db.Resources.Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.BlobSha256 })
                .ToDictionaryAsync(r => r.Id, r => r.BlobSha256, ct));
        return new KnownFiles(found, blobs);
    }

    private async Task<ProfiledFile> FetchFileAsync(string sourceId, HarvestConfig config, FileLink link, KnownFiles knownFiles,
        HostThrottle throttle, CancellationToken ct)
    {
        var url = link.Url.AbsoluteUri;
        // A record written by another page of this job (two pages linking one file) is newer than the page's lookup.
        var known = records.Pending(sourceId, url) ?? knownFiles.Records.GetValueOrDefault(url);
        var store = Stored(link.Format);
        var conditional = known?.Profile is not null;
        if (conditional && store)
        {
            // A 304 brings no bytes: ask conditionally only when the catalog already holds this very file.
            var blob = knownFiles.Blobs.GetValueOrDefault(DatasetBuilder.StableId(sourceId, "resource", url));
            conditional = blob is not null && blob == known!.Sha256;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var fetched = await fetcher.FetchAsync(link.Url, config.AllowPrivateAddresses, config.MaxFileBytes,
            conditional ? known!.ETag : null, conditional ? known!.LastModified : null, throttle: throttle, ct: ct);
        timings.Add(ImportTimings.Stage.Fetch, started);
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (fetched.NotModified)
        {
            var cached = System.Text.Json.JsonSerializer.Deserialize<FileProfile>(known!.Profile!)!;
            return new ProfiledFile(link, cached, Store: store && cached.Size <= blobs.MaxBytes);
        }

        if (FileProfiler.Mismatch(link.Format, fetched.Path!, fetched.ContentType) is { } mismatch)
            throw new FetchException($"{url} {mismatch}");
        // The same bytes as last time are not profiled again.
        var profile = known?.Sha256 == fetched.Sha256 && known?.Profile is not null
            ? System.Text.Json.JsonSerializer.Deserialize<FileProfile>(known.Profile)!
            : ProfileOrExplain(url, link.Format, fetched);
        timings.Add(ImportTimings.Stage.Profile, started);
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        await RememberAsync(sourceId, url, fetched, profile, ct);
        timings.Add(ImportTimings.Stage.Remember, started);
        // Larger than the catalog stores: it stays a link.
        if (!store || profile.Size > blobs.MaxBytes) return new ProfiledFile(link, profile);
        var copy = fetched.Path! + ".keep";
        File.Move(fetched.Path!, copy);
        return new ProfiledFile(link, profile, copy, Store: true);
    }

    private Task RememberAsync(string sourceId, string url, FetchResult fetched, FileProfile profile, CancellationToken ct) =>
        records.RememberAsync(new HarvestFile
        {
            SourceId = sourceId, Url = url, ETag = fetched.ETag, LastModified = fetched.LastModified, Sha256 = fetched.Sha256,
            Profile = System.Text.Json.JsonSerializer.Serialize(profile),
        }, ct);

    /// <summary>A file its format's reader cannot read (a broken workbook) is that file's fetch error, not the job's.</summary>
    private static FileProfile ProfileOrExplain(string url, string format, FetchResult fetched)
    {
        try
        {
            return FileProfiler.Profile(fetched.Path!, format, fetched.Size, fetched.Sha256!);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new FetchException($"{url} could not be read as {format}: {e.Message}");
        }
    }

    /// <summary>The organization named for the page's 担当所属 in the config map (created when missing), else the source's.</summary>
    private async Task<string?> OrganizationAsync(Caller caller, HarvestConfig config, DepartmentPage page, string? fallback, CancellationToken ct)
    {
        var candidates = new List<string>();
        if (page.Department.Count > 0) candidates.Add(string.Join(" ", page.Department));
        candidates.AddRange(page.Department.Reverse());
        foreach (var text in candidates)
        {
            if (!config.OrganizationMap.TryGetValue(text, out var name)) continue;
            await EnsureGroupAsync(caller, name, text, organization: true, ct);
            return name;
        }
        return fallback;
    }

    private async Task<IReadOnlyList<string>> GroupsAsync(Caller caller, HarvestConfig config, DepartmentPage page, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var label in page.Breadcrumb)
        {
            if (!config.GroupMap.TryGetValue(label, out var name) || names.Contains(name)) continue;
            await EnsureGroupAsync(caller, name, label, organization: false, ct);
            names.Add(name);
        }
        return names;
    }

    /// <summary>The organization or group of that name, created with that title when missing.</summary>
    public async Task EnsureGroupAsync(Caller caller, string name, string title, bool organization, CancellationToken ct)
    {
        if (await GroupExistsAsync(name, organization, ct)) return;
        // Pages imported at once may name the same new department: one creates it, the others then find it.
        await _groups.WaitAsync(ct);
        try
        {
            if (await GroupExistsAsync(name, organization, ct)) return;
            await actions.InvokeAsync(organization ? "organization_create" : "group_create", caller,
                new JsonObject { ["name"] = name, ["title"] = title }, ct: ct);
        }
        finally
        {
            _groups.Release();
        }
    }

    /// <summary>
    /// Whether the organization or group is there, asked of the store once a minute per name rather than once per page
    /// (every page of a department names the same one). One deleted within that minute fails its pages' writes with
    /// the action's own "does not exist", an object error, and is created again after.
    /// </summary>
    private async Task<bool> GroupExistsAsync(string name, bool organization, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        if (_seenGroups.TryGetValue((name, organization), out var until) && now < until) return true;
        var exists = await scopes.WithDbAsync(db => db.Groups.AnyAsync(g => g.Name == name && g.IsOrganization == organization && g.State == ObjectState.Active, ct));
        if (exists) _seenGroups[(name, organization)] = now + 60_000;
        else _seenGroups.TryRemove((name, organization), out _);
        return exists;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, bool Organization), long> _seenGroups = new();

    private readonly SemaphoreSlim _groups = new(1, 1);


}
