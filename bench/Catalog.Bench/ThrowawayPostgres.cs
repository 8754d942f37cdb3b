using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Catalog.Bench;

/// <summary>
/// A PostgreSQL cluster for one benchmark run, made as test.sh makes the tests' one: initdb in a temporary folder,
/// a free port on 127.0.0.1, run by an unprivileged user when started as root (PostgreSQL refuses root), stopped and
/// removed on dispose. Durability is kept on (fsync), as a deployment has it.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asNobody;

    public string ConnectionString { get; }
    public string Version { get; }

    private ThrowawayPostgres(string bin, string dir, bool asNobody, int port, string version)
    {
        (_bin, _dir, _asNobody, Version) = (bin, dir, asNobody, version);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=catalog;Database=postgres";
    }

    /// <summary>Starts a cluster from PG_BIN or Debian's newest /usr/lib/postgresql/*/bin; null (with why) when none is installed.</summary>
    public static ThrowawayPostgres? Start(TextWriter log)
    {
        var bin = Environment.GetEnvironmentVariable("PG_BIN");
        if (string.IsNullOrWhiteSpace(bin) && Directory.Exists("/usr/lib/postgresql"))
            bin = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => System.Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new System.Version(0, 0))
                .LastOrDefault();
        if (string.IsNullOrWhiteSpace(bin) || !File.Exists(Path.Combine(bin, "initdb")))
        {
            log.WriteLine("nodes: PostgreSQL not found: install it (apt-get install postgresql), set PG_BIN, or give --postgres / CATALOG_BENCH_POSTGRES.");
            return null;
        }
        var asNobody = OperatingSystem.IsLinux() && Environment.UserName == "root";
        var dir = Directory.CreateTempSubdirectory("catalog-bench-pg.").FullName;
        if (asNobody) Run("chown", "nobody", dir);
        var port = FreePort();
        var cluster = new ThrowawayPostgres(bin, dir, asNobody, port, Run(Path.Combine(bin, "postgres"), "--version").Trim());
        try
        {
            cluster.RunPg("initdb", "-D", Path.Combine(dir, "data"), "-U", "catalog", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
            cluster.RunPg("pg_ctl", "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-o",
                $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=400", "start");
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
        return cluster;
    }

    public void Dispose()
    {
        try { RunPg("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop"); }
        catch (InvalidOperationException) { } // not started, or already gone
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void RunPg(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (_asNobody) Run("runuser", ["-u", "nobody", "--", path, .. args]);
        else Run(path, args);
    }

    private static string Run(string file, params string[] args)
    {
        // From "/": the unprivileged user may not be able to enter the current folder.
        var start = new ProcessStartInfo(file) { WorkingDirectory = "/", RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}: {error.Result}");
        return output.Result;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
