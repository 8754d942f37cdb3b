namespace Catalog.Harvester.Fetching;

/// <summary>The Disallow/Allow lines of robots.txt that apply to every agent (the longest matching rule wins).</summary>
public sealed class RobotsRules
{
    private readonly List<(string Path, bool Allow)> _rules = [];

    public static RobotsRules AllowAll { get; } = new();

    public static RobotsRules Parse(string text)
    {
        var rules = new RobotsRules();
        var applies = false;
        var inAgents = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (key == "user-agent")
            {
                // Consecutive User-agent lines form one group.
                if (!inAgents) applies = false;
                inAgents = true;
                if (value == "*" || value.Contains("MieCatalogHarvester", StringComparison.OrdinalIgnoreCase)) applies = true;
                continue;
            }
            inAgents = false;
            if (!applies || value.Length == 0) continue;
            if (key == "disallow") rules._rules.Add((value, false));
            else if (key == "allow") rules._rules.Add((value, true));
        }
        return rules;
    }

    public bool Allows(Uri url)
    {
        var path = url.PathAndQuery;
        var best = _rules.Where(r => path.StartsWith(r.Path, StringComparison.Ordinal)).OrderByDescending(r => r.Path.Length).FirstOrDefault();
        return best.Path is null || best.Allow;
    }
}
