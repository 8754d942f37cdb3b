using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// One store (a PostgreSQL database, or one SQLite file) and one shared folder for several hosts, as nodes share
/// them; each host keeps its own data folder and index. Dropped with the instance.
/// </summary>
public sealed class SharedStore : IDisposable
{
    private readonly TestPostgresDatabase? _database;

    public TestStore Store { get; }
    public string Root { get; } = CatalogHost.NewDataDir();
    public string SharedDir => Path.Combine(Root, "shared");

    public SharedStore(TestStore store)
    {
        Store = store;
        if (store == TestStore.Postgres) _database = TestPostgresDatabase.Create();
        Directory.CreateDirectory(SharedDir);
    }

    /// <summary>A node on the store; <paramref name="logs"/> receives its log lines.</summary>
    public CatalogHost Node(Dictionary<string, string?> settings, CapturedLogs? logs = null)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Catalog:Files:Dir"] = Path.Combine(SharedDir, "files"),
        };
        if (Store == TestStore.Sqlite) all["Catalog:Database:ConnectionString"] = $"Data Source={Path.Combine(Root, "catalog.db")};Default Timeout=30";
        return new CatalogHost(settings: all, store: Store, postgresConnection: _database?.ConnectionString,
            services: logs is null ? null : s => s.AddSingleton<ILoggerProvider>(logs));
    }

    public void Dispose()
    {
        _database?.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A host's log lines (Information and above), formatted, for tests that count what each node did.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lines.Enqueue(formatter(state, exception));
        }
    }
}
