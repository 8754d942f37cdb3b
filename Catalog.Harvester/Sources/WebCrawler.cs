using System.Text;
using Catalog.Harvester.Fetching;
using Catalog.Harvester.Parsing;
using Catalog.Harvester.Profiling;

namespace Catalog.Harvester.Sources;

/// <summary>A page the crawl could not read.</summary>
public sealed record PageFailure(Uri Url, string Message, bool Missing);

/// <summary>What a crawl found: dataset pages, pages it could not read, and whether it saw the whole site.</summary>
public sealed record CrawlResult(IReadOnlyList<DepartmentPage> Pages, IReadOnlyList<PageFailure> Failures, bool Complete);

/// <summary>
/// The gather stage of a <c>web</c> source: breadth-first from the start URL, staying on its host and under its path
/// prefix, within the depth and page limits, skipping what robots.txt disallows. Pages read before are asked for
/// conditionally: one answered 304, or whose body has the same hash as last time, is taken as it was read then.
/// </summary>
public sealed class WebCrawler(HarvestFetcher fetcher, PageRecords records)
{
    private const long MaxPageBytes = 5L * 1024 * 1024;

    public async Task<CrawlResult> CrawlAsync(string sourceId, Uri start, HarvestConfig config, HostThrottle throttle, Action<string>? progress, CancellationToken ct)
    {
        var prefix = config.PathPrefix ?? start.AbsolutePath[..(start.AbsolutePath.LastIndexOf('/') + 1)];
        bool InScope(Uri u) => u.Scheme == start.Scheme && u.Authority == start.Authority
            && u.AbsolutePath.StartsWith(prefix, StringComparison.Ordinal);

        // The start page first: a refused or unreachable source fails here, before anything is read.
        var key = PageRecords.KeyOf(sourceId, config);
        var robots = config.IgnoreRobots ? RobotsRules.AllowAll : await RobotsAsync(start, config, throttle, ct);
        var pages = new List<DepartmentPage>();
        var failures = new List<PageFailure>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.AbsoluteUri };
        var queue = new Queue<(Uri Url, int Depth)>();
        queue.Enqueue((start, 0));
        var fetched = 0;
        var complete = true;
        // Pages are fetched and parsed several at once (the throttle keeps each host's share polite); what they found
        // is merged here, one page at a time, so the queue and the lists need no lock.
        var running = new List<Task<(Uri Url, int Depth, DepartmentPage? Parsed, FetchException? Failure)>>();
        while (queue.Count > 0 || running.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            while (queue.Count > 0 && running.Count < Math.Max(1, config.MaxConcurrency))
            {
                var (url, depth) = queue.Dequeue();
                if (!robots.Allows(url)) continue;
                if (fetched >= config.MaxPages) { complete = false; queue.Clear(); break; }
                fetched++;
                running.Add(ReadPageAsync(url, depth, start, config, key, InScope, throttle, ct));
            }
            if (running.Count == 0) continue;
            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            var (pageUrl, pageDepth, parsed, failure) = await finished;
            if (parsed is null)
            {
                var missing = failure!.Status is 404 or 410;
                failures.Add(new PageFailure(pageUrl, failure!.Message, missing));
                if (!missing) complete = false;
                continue;
            }
            progress?.Invoke($"page {pages.Count + failures.Count + 1}: {pageUrl}{(parsed.IsDataset ? " (dataset)" : "")}");
            if (parsed.IsDataset && pageUrl != start) pages.Add(parsed);
            if (pageDepth >= config.MaxDepth) continue;
            foreach (var link in parsed.Links)
            {
                if (!InScope(link) || !LooksLikePage(link) || !seen.Add(link.AbsoluteUri)) continue;
                queue.Enqueue((link, pageDepth + 1));
            }
        }
        await records.FlushAsync(ct);
        // Found in whatever order the answers came: sorted, so that jobs import (and report) in a stable order.
        pages.Sort((a, b) => string.CompareOrdinal(a.Url.AbsoluteUri, b.Url.AbsoluteUri));
        return new CrawlResult(pages, failures, complete);
    }

    /// <summary>
    /// One page fetched and read. The start page's failure (or a refusal) is thrown: the source cannot be read at all.
    /// </summary>
    private async Task<(Uri, int, DepartmentPage?, FetchException?)> ReadPageAsync(Uri url, int depth, Uri start, HarvestConfig config,
        string key, Func<Uri, bool> inScope, HostThrottle throttle, CancellationToken ct)
    {
        try
        {
            var known = await records.FindAsync(key, url, ct);
            var read = known?.Page;
            using var page = await fetcher.FetchAsync(url, config.AllowPrivateAddresses, MaxPageBytes,
                read is null ? null : known!.ETag, read is null ? null : known!.LastModified, mayFollow: inScope, throttle: throttle, ct: ct);
            if (page.NotModified) return (url, depth, read! with { Url = url }, null);
            // Served in full but the same bytes (a server without validators): read as it was last time.
            if (read is null || page.Sha256 != known!.Sha256) read = DepartmentPageReader.Read(url, ReadHtml(page), config);
            await records.SaveAsync(key, url, page, read, ct);
            return (url, depth, read, null);
        }
        catch (FetchException e) when (url != start && !e.Refused)
        {
            return (url, depth, null, e);
        }
    }

    private async Task<RobotsRules> RobotsAsync(Uri start, HarvestConfig config, HostThrottle throttle, CancellationToken ct)
    {
        try
        {
            using var robots = await fetcher.FetchAsync(new Uri(start, "/robots.txt"), config.AllowPrivateAddresses, 512 * 1024, throttle: throttle, ct: ct);
            return RobotsRules.Parse(File.ReadAllText(robots.Path!));
        }
        catch (FetchException e) when (!e.Refused)
        {
            // No robots.txt (or none readable) is permission, as crawlers take it.
            return RobotsRules.AllowAll;
        }
    }

    private static bool LooksLikePage(Uri u)
    {
        var ext = Path.GetExtension(u.AbsolutePath).ToLowerInvariant();
        return ext is "" or ".htm" or ".html" or ".shtm" or ".shtml" or ".php" or ".asp" or ".aspx" or ".jsp";
    }

    /// <summary>Mie's CMS serves Shift_JIS and UTF-8 pages; the bytes decide, as the header is often wrong.</summary>
    private static string ReadHtml(FetchResult page)
    {
        var bytes = File.ReadAllBytes(page.Path!);
        var encoding = FileProfiler.DetectEncoding(bytes);
        return FileProfiler.ToEncoding(encoding).GetString(bytes).TrimStart('\uFEFF');
    }
}
