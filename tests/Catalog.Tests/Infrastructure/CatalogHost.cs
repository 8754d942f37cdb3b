using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// The real catalog host on Kestrel at 127.0.0.1, with a fresh data folder (SQLite file, index, files) per instance
/// and, on PostgreSQL, a fresh database dropped with the host.
/// </summary>
public sealed class CatalogHost : WebApplicationFactory<Program>
{
    /// <summary>As long as the catalog asks of a bootstrap token (32 characters at least).</summary>
    public const string SysadminToken = "test-sysadmin-token-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataDir;
    private readonly TestPostgresDatabase? _database;

    public string DataDir { get; }
    public TestStore Store { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The PostgreSQL database the host runs on; null on SQLite.</summary>
    public string? PostgresConnection => Store == TestStore.Postgres ? _settings["Catalog:Database:ConnectionString"] : null;

    /// <param name="dataDir">
    /// An existing data folder, e.g. one a stopped host used, to start the catalog again on it; the caller deletes it.
    /// A fresh folder, owned and deleted by the host, when null.
    /// </param>
    /// <param name="store">The store provider; PostgreSQL tests are ignored when no cluster is configured.</param>
    /// <param name="postgresConnection">An existing PostgreSQL database (several hosts on one store); the caller drops it.</param>
    public CatalogHost(bool seed = false, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string? dataDir = null, TestStore store = TestStore.Sqlite, string? postgresConnection = null)
    {
        Store = store;
        if (store == TestStore.Postgres && postgresConnection is null) _database = TestPostgresDatabase.Create();
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
        if (store == TestStore.Postgres)
        {
            _settings["Catalog:Database:Provider"] = "Postgres";
            _settings["Catalog:Database:ConnectionString"] = postgresConnection ?? _database!.ConnectionString;
        }
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        try
        {
            StartServer();
        }
        catch
        {
            _database?.Dispose();
            throw;
        }
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
        _database?.Dispose();
        if (!_ownsDataDir) return;
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
