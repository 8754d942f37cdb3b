using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Catalog.Bench;

/// <summary>
/// Groonga (Debian's groonga 13) as the peer a user could pick instead: a temporary database with the generated
/// datasets (bigram full-text index over title, tags and notes with NormalizerAuto; organization, group, tags,
/// formats and licence as reference columns for drilldowns), served by <c>groonga --protocol http</c> on 127.0.0.1.
/// </summary>
public sealed class GroongaPeer : IDisposable
{
    private const string Schema = """
        table_create Orgs TABLE_HASH_KEY ShortText
        table_create Groups TABLE_HASH_KEY ShortText
        table_create Tags TABLE_HASH_KEY ShortText
        table_create Formats TABLE_HASH_KEY ShortText
        table_create Licenses TABLE_HASH_KEY ShortText
        table_create Datasets TABLE_HASH_KEY ShortText
        column_create Datasets title COLUMN_SCALAR ShortText
        column_create Datasets notes COLUMN_SCALAR Text
        column_create Datasets tags_text COLUMN_SCALAR Text
        column_create Datasets tags COLUMN_VECTOR Tags
        column_create Datasets org COLUMN_SCALAR Orgs
        column_create Datasets grp COLUMN_SCALAR Groups
        column_create Datasets formats COLUMN_VECTOR Formats
        column_create Datasets license COLUMN_SCALAR Licenses
        column_create Datasets modified COLUMN_SCALAR Time
        column_create Datasets private COLUMN_SCALAR Bool
        column_create Tags datasets COLUMN_INDEX Datasets tags
        column_create Formats datasets COLUMN_INDEX Datasets formats
        column_create Orgs datasets COLUMN_INDEX Datasets org
        column_create Groups datasets COLUMN_INDEX Datasets grp
        column_create Licenses datasets COLUMN_INDEX Datasets license
        table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto
        column_create Terms text COLUMN_INDEX|WITH_POSITION|WITH_SECTION Datasets title,notes,tags_text

        """;

    private readonly string _dir;
    private readonly Process _server;

    public string BaseUrl { get; }

    public TimeSpan LoadTime { get; }

    private GroongaPeer(string dir, Process server, string baseUrl, TimeSpan loadTime) =>
        (_dir, _server, BaseUrl, LoadTime) = (dir, server, baseUrl, loadTime);

    public static async Task<GroongaPeer> StartAsync(IReadOnlyList<VariedDataset> datasets)
    {
        var dir = Path.Combine(Path.GetTempPath(), "catalog-groonga", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "db");
        var commands = Path.Combine(dir, "load.grn");
        await using (var writer = new StreamWriter(commands, false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync(Schema);
            await writer.WriteLineAsync("load --table Datasets");
            await writer.WriteLineAsync("[");
            for (var i = 0; i < datasets.Count; i++)
            {
                var d = datasets[i];
                var row = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["_key"] = d.Name, ["title"] = d.Title, ["notes"] = d.Notes, ["tags_text"] = string.Join(" ", d.Tags),
                    ["tags"] = d.Tags, ["org"] = VariedCatalog.OrgName(d.Org), ["grp"] = VariedCatalog.Categories[d.Group].Name,
                    ["formats"] = d.Formats.Distinct().ToArray(), ["license"] = d.License,
                    ["modified"] = new DateTimeOffset(d.Modified).ToUnixTimeSeconds(), ["private"] = d.Private,
                });
                await writer.WriteLineAsync(i < datasets.Count - 1 ? row + "," : row);
            }
            await writer.WriteLineAsync("]");
        }

        // Loading through groonga's own command reader, as `groonga -n DB < load.grn`.
        var watch = Stopwatch.StartNew();
        using (var load = Process.Start(new ProcessStartInfo("groonga", ["-n", db])
               { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            var output = load.StandardOutput.ReadToEndAsync();
            var errors = load.StandardError.ReadToEndAsync();
            await using (var file = File.OpenRead(commands)) await file.CopyToAsync(load.StandardInput.BaseStream);
            load.StandardInput.Close();
            await load.WaitForExitAsync();
            var text = await output;
            // The load command answers the number of records it stored.
            if (load.ExitCode != 0 || !text.TrimEnd().EndsWith($",{datasets.Count}]", StringComparison.Ordinal))
                throw new InvalidOperationException($"groonga load failed ({load.ExitCode}): {text[^Math.Min(text.Length, 400)..]} {await errors}");
        }
        var loadTime = watch.Elapsed;
        File.Delete(commands);

        var port = FreePort();
        var server = Process.Start(new ProcessStartInfo("groonga", ["-s", "--protocol", "http", "--bind-address", "127.0.0.1", "--port", port.ToString(), db])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var peer = new GroongaPeer(dir, server, $"http://127.0.0.1:{port}", loadTime);
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await http.GetAsync($"{peer.BaseUrl}/d/status")).StatusCode == HttpStatusCode.OK) return peer;
            }
            catch (HttpRequestException) when (attempt < 100) { }
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!_server.HasExited) _server.Kill();
        _server.WaitForExit();
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
