using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Catalog.Bench;

/// <summary>The real catalog host on Kestrel at 127.0.0.1, over an existing data folder.</summary>
public sealed class BenchHost : WebApplicationFactory<Program>
{
    private readonly string _dataDir;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public string BaseUrl { get; }

    public BenchHost(string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        _dataDir = dataDir;
        _settings = settings ?? new Dictionary<string, string>();
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Catalog:DataDir", _dataDir);
        builder.UseSetting("Catalog:Seed", "false");
        builder.UseSetting("Catalog:SiteUrl", BaseUrl);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
