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
    public const string SysadminToken = "test-sysadmin-token-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public string DataDir { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public CatalogHost(bool seed = false, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        DataDir = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
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
        if (!disposing) return;
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
