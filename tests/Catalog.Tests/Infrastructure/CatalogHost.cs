using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// The real catalog host on Kestrel at 127.0.0.1, with a fresh data folder (SQLite file, files) per instance.
/// </summary>
public sealed class CatalogHost : WebApplicationFactory<Program>
{
    /// <summary>As long as the catalog asks of a bootstrap token (32 characters at least).</summary>
    public const string SysadminToken = "test-sysadmin-token-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataDir;

    public string DataDir { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <param name="dataDir">
    /// An existing data folder, e.g. one a stopped host used, to start the catalog again on it; the caller deletes it.
    /// A fresh folder, owned and deleted by the host, when null.
    /// </param>
    public CatalogHost(bool seed = false, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string? dataDir = null)
    {
        _ownsDataDir = dataDir is null;
        DataDir = dataDir ?? NewDataDir();
        Directory.CreateDirectory(DataDir);
        Port = FreePort();
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Catalog:DataDir"] = DataDir,
            ["Catalog:Seed"] = seed ? "true" : "false",
            ["Catalog:SysadminToken"] = SysadminToken,
            ["Catalog:SiteUrl"] = BaseUrl,
        };
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        if (_services is not null) builder.ConfigureServices(_services);
    }

    /// <summary>A client speaking real HTTP to the Kestrel server.</summary>
    public CkanClient Client(string? token = null) => new(new HttpClient { BaseAddress = new Uri(BaseUrl) }, token);

    public CkanClient Sysadmin() => Client(SysadminToken);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || !_ownsDataDir) return;
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
