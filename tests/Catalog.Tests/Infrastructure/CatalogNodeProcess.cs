using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Catalog.Tests.Infrastructure;

/// <summary>
/// A catalog node as a process of its own, as deployed: <c>dotnet Catalog.Api.dll</c> from the API project's build
/// output, configured through environment variables, on a free port at 127.0.0.1. <see cref="Kill"/> sends SIGKILL,
/// so the node gets no chance to finish anything: a crash, not a stop.
/// </summary>
public sealed class CatalogNodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    public string Name { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every line the node logged so far (one line per entry), standard output and error together.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    public bool HasExited => _process.HasExited;

    private CatalogNodeProcess(string name, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        Port = FreePort();
        var dll = ApiAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        // Unprefixed variables come after appsettings.json in the host's configuration, so they win over its Urls.
        start.Environment["Urls"] = BaseUrl;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts a node and waits until it answers <c>/health/live</c> (minutes, when the machine is shared and busy).</summary>
    public static async Task<CatalogNodeProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var node = new CatalogNodeProcess(name, settings);
        try
        {
            await node.WaitLiveAsync(TimeSpan.FromMinutes(8));
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>A client speaking real HTTP to the node.</summary>
    public CkanClient Client(string? token = null) =>
        new(new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(120) }, token);

    public CkanClient Sysadmin() => Client(CatalogHost.SysadminToken);

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux), then waits for the process to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    /// <summary>The API's own build output, of the configuration and framework the tests were built with.</summary>
    public static string ApiAssembly()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var dll = Path.Combine(Harvest.TestSite.RepoRoot(), "Catalog.Api", "bin", configuration, framework, "Catalog.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build Catalog.Api first", dll);
        return dll;
    }

    private async Task WaitLiveAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode}:\n{string.Join('\n', Lines.TakeLast(40))}");
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/health/live");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Node {Name} did not come up:\n{string.Join('\n', Lines.TakeLast(40))}");
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
