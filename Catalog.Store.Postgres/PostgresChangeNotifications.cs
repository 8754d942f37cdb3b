using Catalog.Core;
using Catalog.Core.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catalog.Store.Postgres;

/// <summary>
/// LISTENs on <see cref="Channel"/>, which every transaction appending to the change feed NOTIFYs
/// (<see cref="FeedOrderInterceptor"/>); PostgreSQL delivers a notification only when its transaction commits.
/// One dedicated connection, opened again after it drops; meanwhile waits simply time out (the follower polls).
/// </summary>
public sealed class PostgresChangeNotifications(IOptions<CatalogOptions> options, ILogger<PostgresChangeNotifications> logger)
    : IChangeNotifications, IAsyncDisposable
{
    public const string Channel = "catalog_feed";

    private NpgsqlConnection? _connection;

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            _connection ??= await ListenAsync(ct);
            await _connection.WaitAsync(timeout, ct);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(e, "Listening for change notifications failed; polling until it works again");
            await DropAsync();
            await Task.Delay(timeout, ct);
        }
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.Database.ConnectionString) { Pooling = false, KeepAlive = 30 };
        var connection = new NpgsqlConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropAsync()
    {
        if (_connection is null) return;
        try { await _connection.DisposeAsync(); } catch (Exception e) when (e is NpgsqlException or IOException) { }
        _connection = null;
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
