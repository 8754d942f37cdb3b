using Npgsql;

namespace Catalog.Tests.Infrastructure;

/// <summary>The store a test host runs on.</summary>
public enum TestStore { Sqlite, Postgres }

/// <summary>Sources for <c>[TestFixtureSource]</c>: a suite given one runs once per store.</summary>
public static class TestStores
{
    public static readonly TestStore[] Both = [TestStore.Sqlite, TestStore.Postgres];

    /// <summary>Each store with a flag true and false, for suites that also run in two modes.</summary>
    public static readonly object[][] BothWithFlag = [.. Both.SelectMany(s => new[] { new object[] { s, true }, [s, false] })];
}

/// <summary>
/// A fresh PostgreSQL database per host, in the cluster <c>CATALOG_TEST_POSTGRES</c> names (a connection string;
/// test.sh starts a throwaway cluster and sets it). Without it the PostgreSQL variants are ignored.
/// </summary>
public sealed class TestPostgresDatabase : IDisposable
{
    public const string Variable = "CATALOG_TEST_POSTGRES";

    private readonly string _server;

    public string Name { get; }
    public string ConnectionString { get; }

    private TestPostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>The cluster's connection string, or the test is ignored with why.</summary>
    public static string Server()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
            Assert.Ignore($"PostgreSQL variant skipped: set {Variable} to a PostgreSQL connection string (test.sh starts a cluster and sets it).");
        return server!;
    }

    public static TestPostgresDatabase Create()
    {
        var server = Server();
        var db = new TestPostgresDatabase(server, $"catalog_test_{Guid.NewGuid():N}");
        db.Execute($"CREATE DATABASE \"{db.Name}\"");
        return db;
    }

    public void Dispose()
    {
        using (var conn = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(conn);
        // FORCE: a disposed host's pooled connections may still be closing.
        Execute($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ToString());
        conn.Open();
        using var command = new NpgsqlCommand(sql, conn);
        command.ExecuteNonQuery();
    }
}
