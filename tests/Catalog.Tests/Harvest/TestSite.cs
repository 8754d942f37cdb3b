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

    private TestSite(WebApplication app, IPAddress address, int port, string? root)
    {
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
        return await StartAsync(IPAddress.Loopback, app =>
        {
            var types = new FileExtensionContentTypeProvider();
            types.Mappings[".tsv"] = "text/tab-separated-values";
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root), ContentTypeProvider = types, ServeUnknownFileTypes = true,
            });
        }, root);
    }

    public static async Task<TestSite> StartAsync(IPAddress address, Action<WebApplication> configure, string? root = null)
    {
        var port = FreePort(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port));
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        return new TestSite(app, address, port, root);
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
