using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catalog.Tests.Harvest;

/// <summary>A tiny web server on 127.0.0.1 for the harvester to crawl: a folder of files, or routes of its own.</summary>
public sealed class TestSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    public int Port { get; }
    public string BaseUrl => $"http://{Address}:{Port}";
    public IPAddress Address { get; }
    public string? Root { get; }

    /// <summary>One request the site answered: its path, whether it carried a validator (If-None-Match or If-Modified-Since), its status.</summary>
    public sealed record Request(string Path, bool Conditional, int Status);

    /// <summary>Every request served, in the order answered (the sample copy's server records them).</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    private TestSite(WebApplication app, IPAddress address, int port, string? root, ConcurrentQueue<Request>? requests = null)
    {
        if (requests is not null) Requests = requests;
        _app = app;
        Address = address;
        Port = port;
        Root = root;
    }

    /// <summary>A copy of samples/site (so a test may change it), served with ETag and Last-Modified.</summary>
    public static async Task<TestSite> CopyOfSamplesAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "catalog-tests", "site-" + Guid.NewGuid().ToString("N"));
        Copy(Path.Combine(RepoRoot(), "samples", "site"), root);
        var requests = new ConcurrentQueue<Request>();
        var site = await StartAsync(IPAddress.Loopback, app =>
        {
            app.Use(async (context, next) =>
            {
                await next();
                var h = context.Request.Headers;
                requests.Enqueue(new Request(context.Request.Path.Value ?? "", h.IfNoneMatch.Count > 0 || h.IfModifiedSince.Count > 0,
                    context.Response.StatusCode));
            });
            var types = new FileExtensionContentTypeProvider();
            types.Mappings[".tsv"] = "text/tab-separated-values";
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root), ContentTypeProvider = types, ServeUnknownFileTypes = true,
            });
        }, root, requests);
        return site;
    }

    public static async Task<TestSite> StartAsync(IPAddress address, Action<WebApplication> configure, string? root = null,
        ConcurrentQueue<Request>? requests = null)
    {
        var port = FreePort(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port));
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        return new TestSite(app, address, port, root, requests);
    }

    public string File(string relative) => Path.Combine(Root!, relative.TrimStart('/'));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Root is not null) try { Directory.Delete(Root, true); } catch (IOException) { }
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Catalog.sln"))) return dir.FullName;
        throw new InvalidOperationException("Catalog.sln not found above the test folder");
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.File.Copy(file, target);
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
