using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Catalog.Bench;

/// <summary>One wrk run: requests per second, latency percentiles and what went wrong.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, long Non2xx);

/// <summary>
/// The external load generator (Debian's wrk 4), driven with a Lua script that cycles through a file of request
/// paths, each connection starting at its own place so that the connections do not send the same request together.
/// </summary>
public static partial class Wrk
{
    private const string Script = """
        -- Cycles through the request paths in WRK_PATHS, one per line; each thread starts at its own offset.
        local paths = {}
        for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("offset", threads * 7919)
        end
        local i = 0
        function init(args)
          i = (offset or 0) % #paths
        end
        function request()
          i = i % #paths + 1
          return wrk.format("GET", paths[i])
        end
        """;

    public static async Task<WrkResult> RunAsync(string baseUrl, string pathsFile, int seconds, int connections = 32)
    {
        var script = Path.Combine(Path.GetDirectoryName(pathsFile)!, "cycle.lua");
        if (!File.Exists(script)) await File.WriteAllTextAsync(script, Script);
        var start = new ProcessStartInfo("wrk",
            ["-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--timeout", "10s", "--latency", "-s", script, baseUrl])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["WRK_PATHS"] = pathsFile;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output} {errors}");
        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        double Latency(string percent)
        {
            var m = Regex.Match(output, $@"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success) throw new InvalidOperationException($"No {percent}% latency in wrk's output: {output}");
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, _ => value * 1000 };
        }
        var rate = RateLine().Match(output);
        var requests = RequestsLine().Match(output);
        if (!rate.Success || !requests.Success) throw new InvalidOperationException($"Unexpected wrk output: {output}");
        var socketErrors = SocketErrors().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var non2xx = Non2xx().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Latency("50"), Latency("99"),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture), socketErrors, non2xx);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
